"""Duty records on the pages: fixed query counts with many records, the rules on the dashboard with evidence,
access (a deputy reads their own, another street's deputy gets 404, nobody confirms their own claim)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from committee.compliance.registry import Period, Status, rule, window
from committee.duties import registry
from committee.models import Membership, Street, User
from committee.roles import Role
from deputies.records.models import Claim, ClaimKind, ClaimParticipant, ClaimState, PointEntry, Quarter, QuarterScore
from meetings.models import Meeting, MeetingKind, MeetingState, Participant

TODAY = datetime.date(2026, 12, 3)


def _login(client, username):
    client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
    return client


def _deputy_claim():
    return Claim.objects.filter(
        participant_links__person__username="wangchunmen_deputy", organised=False, state=ClaimState.PENDING
    ).first()


def test_the_rules_show_on_the_dashboard_with_evidence(demo_data):
    streets = list(Street.objects.order_by("pk"))
    year = window(Period.YEAR, 2026, 4)
    deeds = rule("11(5)").evaluate(streets, year, TODAY)
    assert all(result.status == Status.MET for result in deeds.values())
    publicity = rule("11(4)").evaluate(streets, year, TODAY)
    wangchunmen = streets[0]
    assert publicity[wangchunmen.pk].status == Status.MET
    campaigns = rule("11(4)").list_evidence(wangchunmen, year, TODAY)
    assert len([e for e in campaigns if "/claims/" in e.url]) == 3  # the three campaigns, linked
    published = rule("12(1)").evaluate(streets, window(Period.QUARTER, 2026, 3), TODAY)
    assert published[wangchunmen.pk].status == Status.MET
    assert (
        rule("12(1)").list_evidence(wangchunmen, window(Period.QUARTER, 2026, 3), TODAY)[0].url
        == Quarter.objects.get(street=wangchunmen, year=2026, number=3).get_absolute_url()
    )
    due = rule("12(1)").evaluate(streets, window(Period.QUARTER, 2026, 4), TODAY)
    assert due[wangchunmen.pk].status == Status.NOT_YET_DUE


def test_a_deputy_short_of_a_deed_is_named_in_the_evidence(street):
    user = User.objects.create(username="no_deed", full_name="未办实事代表")
    Membership.objects.create(user=user, street=street, role=Role.DEPUTY, started_on=datetime.date(2026, 1, 1))
    year, today = window(Period.YEAR, 2026, 4), datetime.date(2026, 12, 20)
    result = rule("11(5)").evaluate([street], year, today)[street.pk]
    assert result.status == Status.AT_RISK
    assert [e.label for e in rule("11(5)").list_evidence(street, year, today)] == ["未办实事代表：0次"]


@pytest.mark.parametrize("count", [1, 200])
def test_the_registry_costs_the_same_for_1_and_200_deputies(street, staff_user, django_assert_num_queries, count):
    users = User.objects.bulk_create(User(username=f"reg-{count}-{i}", full_name="代表") for i in range(count))
    meeting = Meeting.objects.create(
        street=street,
        kind=MeetingKind.COMMITTEE,
        title="会",
        date=datetime.date(2026, 6, 1),
        time=datetime.time(9),
        place="会议室",
        state=MeetingState.HELD,
        notice_sent_on=datetime.date(2026, 5, 1),
        created_by=staff_user,
    )
    Participant.objects.bulk_create(
        Participant(street=street, meeting=meeting, user=u, name="代表", group="member") for u in users
    )
    claim = Claim.objects.create(
        street=street,
        kind=ClaimKind.DEED,
        title="实事",
        date=datetime.date(2026, 6, 2),
        filed_by=staff_user,
        organised=True,
        state=ClaimState.CONFIRMED,
        reviewed_by=staff_user,
        reviewed_at=meeting.created_at,
    )
    ClaimParticipant.objects.bulk_create(ClaimParticipant(street=street, claim=claim, person=u) for u in users)
    people = [u.pk for u in users]
    with django_assert_num_queries(
        12
    ):  # one a source, receptions and reports to constituents included (appraisals a second when there are any)
        items = registry.items(people=people, streets=[street.pk], start=datetime.date(2026, 1, 1), end=TODAY)
    assert len(items) == 2 * count


@pytest.fixture
def thousands_of_lines(street):
    """A published quarter with 300 deputies and 3,000 lines."""
    quarter = Quarter.objects.get(street=street, year=2026, number=3)
    users = User.objects.bulk_create(User(username=f"bulk-{i}", full_name=f"代表{i}") for i in range(300))
    QuarterScore.objects.bulk_create(
        QuarterScore(street=street, quarter=quarter, person=u, points=5, year_total=65, grade="fair") for u in users
    )
    content_type = ContentType.objects.get_for_model(Claim)
    PointEntry.objects.bulk_create(
        PointEntry(
            street=street,
            quarter=quarter,
            person=u,
            kind="deed",
            date=datetime.date(2026, 8, 1),
            label="实事",
            url="/",
            points=Decimal(5),
            source_type=content_type,
            source_id=1_000_000 + n * 300 + i,
        )
        for n in range(10)
        for i, u in enumerate(users)
    )
    return quarter


def test_the_points_table_has_a_fixed_query_count(client, thousands_of_lines, django_assert_num_queries):
    _login(client, "wangchunmen_staff")
    url = reverse("records:quarter_detail", args=[thousands_of_lines.pk])
    client.get(url)
    # session, user, memberships, quarter, distribution, scores page (count + rows), corrections
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200


def test_the_deputys_quarter_page_has_a_fixed_query_count(client, thousands_of_lines, django_assert_num_queries):
    _login(client, "wangchunmen_deputy")
    url = reverse("records:quarter_detail", args=[thousands_of_lines.pk])
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert "bulk-1" not in response.content.decode()  # no other deputy's name, no ranking


def test_the_archive_has_a_fixed_query_count_with_thousands_of_records(
    client, street, staff_user, django_assert_num_queries
):
    deputy = User.objects.get(username="wangchunmen_deputy")
    claims = Claim.objects.bulk_create(
        Claim(
            street=street,
            kind=ClaimKind.FIVE_VISITS,
            title=f"走访{n}",
            date=datetime.date(2026, 1 + n % 11, 1),
            filed_by=staff_user,
            organised=True,
            state=ClaimState.CONFIRMED,
            reviewed_by=staff_user,
            reviewed_at=deputy.date_joined,
        )
        for n in range(2000)
    )
    ClaimParticipant.objects.bulk_create(ClaimParticipant(street=street, claim=c, person=deputy) for c in claims)
    _login(client, "wangchunmen_deputy")
    url = reverse("records:archive", args=[street.pk, deputy.pk, 2026])
    client.get(url)
    # session, user, memberships, street, person; the sources (12-13, receptions and reports to constituents
    # included); the points; the filed archive and its PDFs
    with django_assert_num_queries(20):
        response = client.get(url)
    assert response.context["count"] > 2000


def test_the_deputys_home_shows_quotas_points_and_the_archive(client, demo_data, django_assert_num_queries):
    _login(client, "wangchunmen_deputy")
    client.get(reverse("home"))
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "暂无履职记录" not in page
    assert "立法相关活动" in page and "为民办实事" in page
    assert reverse("records:claim_add") in page


def test_another_streets_deputy_gets_404(client, demo_data):
    street = Street.objects.get(slug="wangchunmen")
    deputy = User.objects.get(username="wangchunmen_deputy")
    _login(client, "xinxianglu_deputy")
    assert client.get(reverse("records:claim_detail", args=[_deputy_claim().pk])).status_code == 404
    assert client.get(reverse("records:archive", args=[street.pk, deputy.pk, 2026])).status_code == 404


def test_a_deputy_cannot_see_another_deputys_archive_of_the_same_street(client, demo_data):
    street = Street.objects.get(slug="wangchunmen")
    other = User.objects.get(username="wangchunmen_deputy100")
    _login(client, "wangchunmen_deputy")
    assert client.get(reverse("records:archive", args=[street.pk, other.pk, 2026])).status_code == 404


def test_a_deputy_cannot_confirm_their_own_claim_on_the_page(client, demo_data):
    claim = _deputy_claim()
    _login(client, "wangchunmen_deputy")
    assert "confirm-claim" not in client.get(claim.get_absolute_url()).content.decode()
    assert client.post(reverse("records:claim_confirm", args=[claim.pk])).status_code == 403
    claim.refresh_from_db()
    assert claim.state == ClaimState.PENDING


def test_staff_see_the_claims_waiting_on_their_to_do_list(client, demo_data):
    _login(client, "wangchunmen_staff")
    items = {item.label: item for item in client.get(reverse("home")).context["todo_items"]}
    pending = Claim.objects.filter(street__slug="wangchunmen", state=ClaimState.PENDING).count()
    assert items["待确认的代表履职登记"].count == pending > 0


def test_a_deputy_sees_their_own_score_on_the_list_and_reports_an_omission(client, demo_data):
    _login(client, "wangchunmen_deputy")
    response = client.get(reverse("records:points"))
    scored = [score for _quarter, score in response.context["rows"] if score]
    assert len(scored) == 3  # 2026 Q1–Q3
    quarter = Quarter.objects.get(street__slug="wangchunmen", year=2026, number=3)
    url = reverse("records:correction_add", args=[quarter.pk])
    assert client.get(url).status_code == 302  # final: the window is closed
    Quarter.objects.filter(pk=quarter.pk).update(state="published", corrections_until=datetime.date(2099, 1, 1))
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["omission"]


def test_the_claims_list_has_a_fixed_query_count(client, street, staff_user, django_assert_num_queries):
    Claim.objects.bulk_create(
        Claim(street=street, kind=ClaimKind.DEED, title=f"实事{n}", date=datetime.date(2026, 5, 1), filed_by=staff_user)
        for n in range(500)
    )
    _login(client, "wangchunmen_staff")
    client.get(reverse("records:claims"))
    # session, user, memberships, readable streets, the page (count + rows)
    with django_assert_num_queries(6):
        assert client.get(reverse("records:claims")).status_code == 200


def test_the_points_list_has_a_fixed_query_count(client, demo_data, django_assert_num_queries):
    _login(client, "wangchunmen_deputy")
    client.get(reverse("records:points"))
    # session, user, memberships, readable streets, the page (count + rows), my scores on it
    with django_assert_num_queries(7):
        assert client.get(reverse("records:points")).status_code == 200


def test_the_term_summary_shows_each_year_with_its_published_total(client, demo_data, django_assert_num_queries):
    street = Street.objects.get(slug="wangchunmen")
    _login(client, "wangchunmen_deputy")
    deputy = User.objects.get(username="wangchunmen_deputy")
    url = reverse("records:term_summary", args=[street.pk, deputy.pk])
    client.get(url)
    # session, user, memberships, street, person; the sources (12, receptions and reports included); the published totals
    with django_assert_num_queries(18):
        response = client.get(url)
    years = {year: score for year, _n, _kinds, score in response.context["years"]}
    assert years[2026] is not None and years[2026].quarter.number == 3
