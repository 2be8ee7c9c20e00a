"""Residents' council members (livelihood_votes.council, Art 18(1)): eligibility, the way in, the term and its
role, quorum by the day, the rule 18(1), the to-do items and the demo."""

import datetime
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committee import services as people
from committee import workdays
from committee.compliance.registry import Period, Status, window
from committee.models import AuditEntry, Membership, Street, User
from committee.roles import Role
from livelihood_votes.council import compliance, services, todo
from livelihood_votes.council.models import Category, CouncilMember, MemberState, Objection, Source, Tie, Training
from meetings.services import body_members
from tests.conftest import account

D = datetime.date
TODAY = timezone.localdate()


def person(**overrides):
    return {
        "full_name": "易喆",
        "mobile": "13712345678",
        "birth_date": D(1980, 5, 1),
        "tie": Tie.LIVES,
        "tie_since": D(2010, 1, 1),
        "address": "东风社区3栋",
        "category": Category.RESIDENT,
    } | overrides


@pytest.fixture
def party(street):
    return account(street.slug, Role.PARTY)


def through_notice(street, staff_user, *, applied_on, **overrides) -> CouncilMember:
    member = services.application_submit(street=street, on=applied_on, **person(**overrides))
    services.application_review(by=staff_user, member=member, passed=True, on=applied_on)
    services.notice_publish(by=staff_user, street=street, on=applied_on, background=False)
    member.refresh_from_db()
    return member


def appointed(street, staff_user, party, *, starts_on, ends_on, **overrides) -> CouncilMember:
    member = through_notice(street, staff_user, applied_on=starts_on - datetime.timedelta(days=30), **overrides)
    services.member_confirm(by=party, member=member, on=starts_on)
    return services.member_appoint(by=staff_user, member=member, term_starts_on=starts_on, term_ends_on=ends_on)


# --- Eligibility -----------------------------------------------------------------------------------------------
def test_under_18_on_the_day_of_application_is_refused_at_the_birth_date(street):
    with pytest.raises(ValidationError) as refused:
        services.application_submit(street=street, on=D(2026, 6, 1), **person(birth_date=D(2008, 6, 2)))
    assert set(refused.value.error_dict) == {"birth_date"}
    assert "年满18周岁" in refused.value.error_dict["birth_date"][0].messages[0]
    member = services.application_submit(street=street, on=D(2026, 6, 1), **person(birth_date=D(2008, 6, 1)))
    assert member.state == MemberState.APPLIED  # 18 on the day is old enough


def test_less_than_a_year_in_the_street_is_refused_at_the_since_date(street, staff_user):
    with pytest.raises(ValidationError) as refused:
        services.recommendation_enter(
            by=staff_user,
            street=street,
            source=Source.COMMUNITY,
            recommended_by="东风社区居委会",
            on=D(2026, 6, 1),
            **person(tie=Tie.WORKS, tie_since=D(2025, 6, 2)),
        )
    assert set(refused.value.error_dict) == {"tie_since"}
    assert not CouncilMember.objects.filter(mobile="13712345678").exists()


def test_a_community_recommendation_names_the_community(street, staff_user):
    with pytest.raises(ValidationError) as refused:
        services.recommendation_enter(by=staff_user, street=street, source=Source.COMMUNITY, **person())
    assert set(refused.value.error_dict) == {"recommended_by"}


def test_the_public_form_shows_a_refusal_at_its_field(client, street):
    cache.clear()
    data = person(birth_date="2015-01-01", tie_since="2010-01-01") | {
        "statement": "愿意参与议事",
        "website": "",
        "started": signing.dumps(time.time() - 30, salt="committee.public.form"),
    }
    response = client.post(reverse("council:apply", args=[street.slug]), data)
    assert response.status_code == 200
    assert "年满18周岁" in str(response.context["form"].errors["birth_date"])
    assert not CouncilMember.objects.filter(mobile="13712345678").exists()


# --- The way in ------------------------------------------------------------------------------------------------
def test_the_whole_way_in_grants_the_role_for_the_term_and_ending_it_ends_the_role(street, staff_user, party):
    applied_on = D(2026, 3, 2)
    member = services.application_submit(street=street, on=applied_on, **person())
    assert member.user is None and len(member.tracking_code) == 10

    member = services.application_review(by=staff_user, member=member, passed=True, on=D(2026, 3, 4))
    notice = services.notice_publish(by=staff_user, street=street, on=D(2026, 3, 5), background=False)
    assert notice.ends_on == workdays.add_working_days(D(2026, 3, 5), 5) == D(2026, 3, 12)
    assert notice.document.number and notice.document.state == "done"
    assert any("易喆" in p["text"] for p in notice.document.context["paragraphs"])
    assert any("2026年3月12日" in p["text"] for p in notice.document.context["paragraphs"])
    member.refresh_from_db()
    assert member.state == MemberState.ON_NOTICE and member.notice == notice

    objection = services.objection_record(
        by=staff_user, member=member, content="此人户籍不在本街道", received_on=D(2026, 3, 9)
    )
    with pytest.raises(ValidationError, match="公示期满后"):
        services.member_confirm(by=party, member=member, on=D(2026, 3, 12))
    with pytest.raises(ValidationError, match="未处理的公示异议"):
        services.member_confirm(by=party, member=member, on=D(2026, 3, 13))
    services.objection_handle(
        by=staff_user, objection=objection, result="经核实，此人在本街道居住16年，异议不成立", upheld=False
    )
    member = services.member_confirm(by=party, member=member, on=D(2026, 3, 13))
    assert member.state == MemberState.CONFIRMED

    member = services.member_appoint(
        by=staff_user, member=member, term_starts_on=D(2026, 3, 16), term_ends_on=D(2030, 4, 18)
    )
    membership = member.membership
    assert member.state == MemberState.APPOINTED and member.user.mobile == "13712345678"
    assert (membership.role, membership.street, membership.user) == (Role.COUNCIL_MEMBER, street, member.user)
    assert (membership.started_on, membership.ended_on) == (D(2026, 3, 16), D(2030, 4, 18))
    assert not member.user.has_usable_password()  # the committee sets it on the people page

    services.member_end(by=staff_user, member=member, ended_on=D(2026, 9, 1), reason="迁出本街道")
    membership.refresh_from_db()
    assert membership.ended_on == D(2026, 9, 1)
    member.refresh_from_db()
    assert member.state == MemberState.ENDED
    # The role is audited with its new dates.
    assert AuditEntry.objects.get_for_object(membership).filter(changes__has_key="ended_on").count() >= 2


def test_a_rejection_needs_a_reason_and_an_objection_upheld_rejects(street, staff_user):
    member = services.application_submit(street=street, on=D(2026, 3, 2), **person())
    with pytest.raises(ValidationError) as refused:
        services.application_review(by=staff_user, member=member, passed=False, on=D(2026, 3, 3))
    assert set(refused.value.error_dict) == {"reason"}
    other = through_notice(street, staff_user, applied_on=D(2026, 3, 2), mobile="13712345679")
    objection = services.objection_record(by=staff_user, member=other, content="有违法记录", received_on=D(2026, 3, 3))
    services.objection_handle(by=staff_user, objection=objection, result="经核实属实", upheld=True)
    other.refresh_from_db()
    assert other.state == MemberState.REJECTED and "经核实属实" in other.rejection_reason


def test_an_objection_after_the_notice_is_refused_at_its_date(street, staff_user):
    member = through_notice(street, staff_user, applied_on=D(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        services.objection_record(by=staff_user, member=member, content="异议", received_on=D(2026, 4, 1))
    assert set(refused.value.error_dict) == {"received_on"}
    assert not Objection.objects.filter(member=member).exists()


def test_the_party_committee_confirms_and_the_committee_staff_cannot(street, staff_user, director, party):
    member = through_notice(street, staff_user, applied_on=D(2026, 3, 2))
    for user in (staff_user, director):
        with pytest.raises(PermissionDenied):
            services.member_confirm(by=user, member=member, on=D(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        services.application_review(by=party, member=member, passed=True)
    assert services.member_confirm(by=party, member=member, on=D(2026, 4, 1)).state == MemberState.CONFIRMED


def test_a_second_open_application_of_the_same_person_is_refused(street, staff_user):
    services.application_submit(street=street, on=D(2026, 3, 2), **person())
    with pytest.raises(ValidationError) as refused:
        services.application_submit(street=street, on=D(2026, 3, 3), **person())
    assert set(refused.value.error_dict) == {"mobile"}


def test_the_database_keeps_one_open_term_per_person_and_dates_in_order(street, staff_user, party):
    member = appointed(street, staff_user, party, starts_on=D(2026, 4, 1), ends_on=D(2030, 4, 1))
    fields = {
        f.name: getattr(member, f.name)
        for f in CouncilMember._meta.concrete_fields
        if f.name not in ("id", "tracking_code", "membership", "mobile")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.create(**fields | {"mobile": "13700000001", "state": MemberState.APPLIED})
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.filter(pk=member.pk).update(term_ends_on=D(2026, 3, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.filter(pk=member.pk).update(state=MemberState.ENDED)  # no end date or reason


def test_a_training_counts_only_members_serving_on_its_day(street, staff_user, party):
    member = appointed(street, staff_user, party, starts_on=D(2026, 4, 1), ends_on=D(2030, 4, 1))
    with pytest.raises(ValidationError) as refused:
        services.training_record(
            by=staff_user, street=street, topic="履职培训", held_on=D(2026, 3, 20), attendees=[member]
        )
    assert set(refused.value.error_dict) == {"attendees"} and "易喆" in refused.value.messages[0]
    training = services.training_record(
        by=staff_user, street=street, topic="履职培训", held_on=D(2026, 4, 20), attendees=[member]
    )
    assert list(training.attendees.all()) == [member]


# --- Quorum by the day -----------------------------------------------------------------------------------------
def test_a_council_meeting_counts_the_members_appointed_on_its_day(street, staff_user, party):
    late = appointed(street, staff_user, party, starts_on=D(2026, 7, 1), ends_on=D(2030, 4, 1), mobile="13712340001")
    gone = appointed(street, staff_user, party, starts_on=D(2026, 4, 1), ends_on=D(2030, 4, 1), mobile="13712340002")
    services.member_end(by=staff_user, member=gone, ended_on=D(2026, 6, 1), reason="辞去议事会成员")
    serving = appointed(street, staff_user, party, starts_on=D(2026, 4, 1), ends_on=D(2030, 4, 1), mobile="13712340003")
    on_the_day = {u.pk for u in body_members(street, "council", D(2026, 6, 24))}
    assert serving.user_id in on_the_day
    assert late.user_id not in on_the_day  # appointed after the meeting's day
    assert gone.user_id not in on_the_day  # ended before it
    assert late.user_id in {u.pk for u in body_members(street, "council", D(2026, 7, 1))}


# --- Rule 18(1) ------------------------------------------------------------------------------------------------
def test_rule_18_1_names_the_members_seated_without_review_and_notice(street, staff_user, other_street):
    year = window(Period.YEAR, TODAY.year, 4)
    results = compliance.members_selected_through_review_and_notice([street, other_street], year, TODAY)
    assert results[street.pk].status == Status.MET
    membership, _ = people.person_add(
        by=staff_user, street=street, full_name="龙堃", mobile="13712349999", role=Role.COUNCIL_MEMBER
    )
    results = compliance.members_selected_through_review_and_notice([street, other_street], year, TODAY)
    assert results[street.pk].status == Status.MISSED
    assert [e.label for e in results[street.pk].evidence] == ["龙堃"]
    assert results[street.pk].evidence[0].url == reverse("committee:person_edit", args=[membership.pk])
    assert results[other_street.pk].status == Status.MET


def test_a_role_given_on_the_people_page_becomes_the_terms_role_at_appointment(street, staff_user, party):
    membership, _ = people.person_add(
        by=staff_user, street=street, full_name="易喆", mobile="13712345678", role=Role.COUNCIL_MEMBER
    )
    member = appointed(street, staff_user, party, starts_on=D(2026, 4, 1), ends_on=D(2030, 4, 1))
    assert member.membership_id == membership.pk
    assert Membership.objects.filter(user=member.user, role=Role.COUNCIL_MEMBER, street=street).count() == 1


# --- To-do -----------------------------------------------------------------------------------------------------
def test_to_do_items_for_the_committee_and_the_party_committee(street, staff_user, party, django_assert_num_queries):
    labels = {item.label: item.count for item in todo.council_selection(staff_user)}
    assert labels["待初审的议事会成员申请"] == 1  # the demo's self-nomination
    assert labels["公示中的议事会成员人选"] == 1
    assert "待党工委确认的议事会成员人选" not in {i.label for i in todo.council_selection(party)}  # notice runs
    through_notice(street, staff_user, applied_on=D(2026, 3, 2))
    with django_assert_num_queries(1):
        items = todo.council_selection(party)
    assert [(i.label, i.count) for i in items] == [("待党工委确认的议事会成员人选", 1)]
    deputy = account(street.slug, Role.DEPUTY)
    deputy.active_memberships  # noqa: B018 - loaded once per request anyway
    with django_assert_num_queries(0):
        assert todo.council_selection(deputy) == []


# --- Demo ------------------------------------------------------------------------------------------------------
def test_the_demo_gives_every_seated_member_a_term_through_review_and_notice(demo_data):
    for street in Street.objects.all():
        seated = Membership.objects.active().filter(street=street, role=Role.COUNCIL_MEMBER)
        assert seated.count() == 9
        assert not seated.filter(council_term__isnull=True).exists()
        terms = CouncilMember.objects.filter(street=street)
        assert terms.filter(state=MemberState.APPLIED).count() == 1
        assert terms.filter(state=MemberState.ON_NOTICE, notice__ends_on__gte=TODAY).count() == 1
        assert {m.category for m in terms.filter(state=MemberState.APPOINTED)} == set(Category.values)
        assert Training.objects.filter(street=street).get().attendees.count() == 9
    user = User.objects.get(username="wangchunmen_council_member")
    assert user.council_terms.get().state == MemberState.APPOINTED
