"""City-wide lists at scale (issue 14): the unit filter offers one street's units, 办理统计 names each unit's street
and pages them, the meeting list counts participants of the meetings it shows."""

import re

from django.urls import reverse

from meetings.models import Meeting, Participant
from supervision.models import HandlingUnit


def test_the_unit_filter_offers_the_chosen_streets_units_only(login, city_user, street, other_street, client):
    login(city_user)
    url = reverse("supervision:opinion_list")
    assert 'name="unit"' not in client.get(url).content.decode()  # no street chosen: no 40 same-named units
    page = client.get(url, {"street": street.pk})
    offered = set(page.context["units"])
    assert offered == set(HandlingUnit.objects.filter(street=street))
    assert not any(unit.street_id == other_street.pk for unit in offered)


def test_a_staff_members_unit_filter_offers_their_streets_units(login, staff_user, street, client):
    login(staff_user)
    page = client.get(reverse("supervision:opinion_list"))
    assert set(page.context["units"]) == set(HandlingUnit.objects.filter(street=street))


def test_figures_name_each_units_street_and_page_them(login, city_user, client, settings):
    login(city_user)
    url = reverse("supervision:figures")
    first = client.get(url)
    body = first.content.decode()
    rows = re.findall(r"<tr>\s*<td>城市管理办公室</td><td class=\"text-nowrap\">([^<]+)</td>", body)
    assert len(rows) == len(set(rows)) >= 2  # one row per street's office, each with its street
    units = first.context["page"].paginator.count
    assert units > 25 or first.context["page"].paginator.num_pages == 1
    assert len(first.context["units"]) == min(units, 25)
    if units > 25:
        second = client.get(url, {"page": 2})
        assert {row["id"] for row in second.context["units"]}.isdisjoint({row["id"] for row in first.context["units"]})


def test_the_meeting_list_counts_each_meetings_participants(login, staff_user, street, client):
    login(staff_user)
    page = client.get(reverse("meetings:list")).context["page"]
    assert page.object_list
    for meeting in page:
        participants = Participant.objects.filter(meeting=meeting)
        assert meeting.invited == participants.count()
        assert meeting.present == participants.exclude(signed_in_at=None).count()
    assert any(meeting.invited for meeting in page)
    assert Meeting.objects.filter(street=street).count() >= len(page.object_list)
