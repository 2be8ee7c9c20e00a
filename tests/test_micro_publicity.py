"""Publicity activities (Issue 12 §4, Art 3(1), 11(4), 19(2)–(3)): staff record a legal or people's-congress
publicity activity once with its participants, its “五进” and “人大代表+” kind and its audience; each participant
gets a duty record; rule 11(4) counts the legal-publicity ones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.compliance.registry import Period, rule, window
from committee.duties import registry
from committee.models import Membership, User
from committee.roles import Role
from deputies.records import services
from deputies.records.models import Claim, ClaimKind, DeputyRole, FiveVisitVenue

DAY = datetime.date(2026, 6, 20)


def _deputies(street, n):
    return list(
        Membership.objects.filter(street=street, role=Role.DEPUTY, ended_on=None)
        .order_by("user_id")
        .values_list("user_id", flat=True)[:n]
    )


def test_a_publicity_activity_recorded_once_gives_each_participant_a_duty_record(client, street):
    client.force_login(User.objects.get(username="wangchunmen_staff"), backend="committee.auth.MobileOrUsernameBackend")
    people = _deputies(street, 5)
    response = client.post(
        reverse("records:activity_add"),
        {
            "kind": ClaimKind.CONGRESS_PUBLICITY,
            "title": "人大制度宣传进园区",
            "date": DAY.isoformat(),
            "place": "湘乡经开区",
            "venue": FiveVisitVenue.PARK,
            "deputy_role": DeputyRole.LEGAL_PUBLICIST,
            "audience": "85",
            "participants": people,
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(title="人大制度宣传进园区")
    assert (claim.venue, claim.deputy_role, claim.audience, claim.organised) == ("park", "legal_publicist", 85, True)
    items = registry.items(people=people, streets=[street.pk], start=DAY, end=DAY)
    assert sorted(i.person_id for i in items if i.source == claim) == sorted(people)
    assert {i.kind for i in items if i.source == claim} == {"congress_publicity"}
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "进园区" in page and "法治宣传员" in page and 'id="claim-audience">85<' in page


def test_a_five_visits_activity_names_where_and_a_deputy_plus_one_the_role(street, staff_user):
    people = [User.objects.get(pk=pk) for pk in _deputies(street, 2)]
    kwargs = {"by": staff_user, "street": street, "title": "走访", "date": DAY, "participants": people}
    with pytest.raises(ValidationError) as error:
        services.activity_record(kind=ClaimKind.FIVE_VISITS, **kwargs)
    assert "venue" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.activity_record(kind=ClaimKind.DEPUTY_PLUS, venue=FiveVisitVenue.ORGAN, **kwargs)
    assert "deputy_role" in error.value.message_dict
    claim = services.activity_record(
        kind=ClaimKind.DEPUTY_PLUS, venue=FiveVisitVenue.ORGAN, deputy_role=DeputyRole.MEDIATOR, **kwargs
    )
    assert claim.get_deputy_role_display() == "纠纷调解员"


def test_rule_11_4_counts_the_organised_legal_publicity_activities_only(street, staff_user):
    year, today = window(Period.YEAR, 2026, 4), datetime.date(2026, 12, 3)
    before = rule("11(4)").evaluate([street], year, today)[street.pk].summary
    people = [User.objects.get(pk=pk) for pk in _deputies(street, 3)]
    kwargs = {"by": staff_user, "street": street, "date": DAY, "participants": people, "audience": 40}
    services.activity_record(kind=ClaimKind.CONGRESS_PUBLICITY, title="人大制度宣传", **kwargs)
    assert rule("11(4)").evaluate([street], year, today)[street.pk].summary == before
    services.activity_record(
        kind=ClaimKind.LEGAL_PUBLICITY, title="宪法进企业", venue=FiveVisitVenue.ENTERPRISE, **kwargs
    )
    after = rule("11(4)").evaluate([street], year, today)[street.pk].summary
    assert before.endswith("普法宣传3次") and after.endswith("普法宣传4次")
    evidence = rule("11(4)").list_evidence(street, year, today)
    assert "宪法进企业" in [e.label for e in evidence]
