"""The council members' pages: the public self-nomination, each confirmed step of the way in, who may take which
step, and fixed query counts on the member list and the council's page."""

import datetime
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee.models import Membership, User
from committee.roles import Role
from livelihood_votes.council import services
from livelihood_votes.council.models import Category, CouncilMember, MemberState, Source, Tie, Training
from tests.conftest import account

D = datetime.date


def application_data(**overrides):
    return {
        "full_name": "易喆",
        "mobile": "13712345678",
        "birth_date": "1980-05-01",
        "tie": Tie.LIVES,
        "tie_since": "2010-01-01",
        "address": "东风社区3栋",
        "category": Category.RESIDENT,
        "statement": "退休教师，愿意参与议事",
        "website": "",
        "started": signing.dumps(time.time() - 30, salt="committee.public.form"),
    } | overrides


@pytest.fixture
def party(street):
    return account(street.slug, Role.PARTY)


def test_the_way_in_through_the_pages(client, login, street, staff_user, party):
    cache.clear()
    response = client.post(reverse("council:apply", args=[street.slug]), application_data())
    member = CouncilMember.objects.get(mobile="13712345678")
    assert response.status_code == 302 and response["Location"] == reverse("council:track", args=[member.tracking_code])
    assert member.source == Source.SELF_NOMINATION and member.entered_by is None
    assert "待初审" in client.get(response["Location"]).content.decode()

    login(staff_user)
    action = reverse("council:action", args=[member.pk, "review"])
    assert "确认初审结果" in client.get(action).content.decode()  # the question before the step
    assert client.post(action, {"passed": "1"}).status_code == 302
    publish = reverse("council:notice_publish") + f"?street={street.pk}"
    assert "易喆" in client.get(publish).content.decode()
    assert client.post(publish).status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.ON_NOTICE
    page = client.get(reverse("council:public_notice", args=[street.slug])).content.decode()
    assert "易喆" in page and f"公示至{member.notice.ends_on:%Y年%-m月%-d日}" in page

    # The notice ends; the party committee confirms (the committee's staff may not).
    member.notice.__class__.objects.filter(pk=member.notice_id).update(starts_on=D(2026, 1, 5), ends_on=D(2026, 1, 12))
    confirm = reverse("council:action", args=[member.pk, "confirm"])
    assert client.post(confirm).status_code == 403
    login(party)
    response = client.post(confirm)
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert member.state == MemberState.CONFIRMED

    login(staff_user)
    appoint = reverse("council:action", args=[member.pk, "appoint"])
    refused = client.post(appoint, {"term_starts_on": "2030-01-01", "term_ends_on": "2029-01-01"})
    assert "任期届满日期须晚于任期开始日期" in str(refused.context["form"].errors["term_ends_on"])
    today = member.confirmed_on
    response = client.post(appoint, {"term_starts_on": today.isoformat(), "term_ends_on": "2030-04-18"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.state == MemberState.APPOINTED
    assert Membership.objects.active().filter(user=member.user, street=street, role=Role.COUNCIL_MEMBER).exists()
    assert "易喆" in client.get(reverse("council:page")).content.decode()


def test_a_recommendation_entered_by_staff_refuses_at_the_field(client, login, street, staff_user):
    login(staff_user)
    data = application_data(source=Source.UNIT, recommended_by="", street=street.pk, tie_since="2026-11-01")
    response = client.post(reverse("council:add"), data)
    errors = response.context["form"].errors
    assert "recommended_by" in errors and not CouncilMember.objects.filter(mobile="13712345678").exists()
    response = client.post(reverse("council:add"), data | {"recommended_by": "湘乡市第一中学"})
    assert "须在本街道居住或工作满1年" in str(response.context["form"].errors["tie_since"])
    data |= {"recommended_by": "湘乡市第一中学", "tie_since": "2010-01-01"}
    response = client.post(reverse("council:add"), data)
    member = CouncilMember.objects.get(mobile="13712345678")
    assert response["Location"] == member.get_absolute_url() and member.entered_by == staff_user


def test_the_public_form_refuses_floods(client, street, settings):
    settings.PUBLIC_FORM_RATE = "1/h"
    cache.clear()
    url = reverse("council:apply", args=[street.slug])
    assert client.post(url, application_data()).status_code == 302
    response = client.post(url, application_data(mobile="13712345679"))
    assert "提交过于频繁" in response.content.decode()
    assert not CouncilMember.objects.filter(mobile="13712345679").exists()


def test_applications_are_the_committees_and_the_party_committees_own(client, login, street, party):
    application = CouncilMember.objects.get(street=street, state=MemberState.APPLIED)
    url = reverse("council:detail", args=[application.pk])
    for user, status in [
        (party, 200),
        (account(street.slug, Role.DEPUTY), 404),
        (account(street.slug, Role.COUNCIL_MEMBER), 404),
        (User.objects.get(username="xiangxiang_city"), 404),
        (account("xinxianglu", Role.PARTY), 404),
    ]:
        login(user)
        assert client.get(url).status_code == status, user
    login(account(street.slug, Role.DEPUTY))
    assert application.full_name not in client.get(reverse("council:list")).content.decode()


def test_a_member_sees_their_role_and_term(client, login, street):
    member = account(street.slug, Role.COUNCIL_MEMBER)
    login(member)
    term = member.council_terms.get()
    page = client.get(reverse("council:detail", args=[term.pk])).content.decode()
    assert "在任" in page and "2030年4月18日" in page
    assert "居民议事员" in client.get(reverse("home")).content.decode()


def _many_members(street, staff_user, n=60):
    """n appointed members (with accounts and roles) and 15 trainings, written in bulk."""
    notice = services.CouncilNotice.objects.create(
        street=street, starts_on=D(2025, 4, 3), ends_on=D(2025, 4, 10), published_by=staff_user
    )
    users = User.objects.bulk_create(
        User(username=f"many{i}", mobile=f"1360000{i:04d}", full_name=f"成员{i}") for i in range(n)
    )
    memberships = Membership.objects.bulk_create(
        Membership(user=u, street=street, role=Role.COUNCIL_MEMBER, started_on=D(2025, 4, 18), ended_on=D(2030, 4, 18))
        for u in users
    )
    members = CouncilMember.objects.bulk_create(
        CouncilMember(
            street=street,
            full_name=u.full_name,
            mobile=u.mobile,
            user=u,
            birth_date=D(1970, 1, 1),
            tie=Tie.LIVES,
            tie_since=D(2000, 1, 1),
            address="东风社区",
            category=Category.values[i % 4],
            source=Source.values[i % 4],
            tracking_code=f"YSMANY{i:04d}",
            state=MemberState.APPOINTED,
            applied_on=D(2025, 4, 1),
            reviewed_on=D(2025, 4, 2),
            reviewed_by=staff_user,
            notice=notice,
            confirmed_on=D(2025, 4, 16),
            confirmed_by=staff_user,
            term_starts_on=D(2025, 4, 18),
            term_ends_on=D(2030, 4, 18),
            membership=membership,
        )
        for i, (u, membership) in enumerate(zip(users, memberships, strict=True))
    )
    for i in range(15):
        training = Training.objects.create(
            street=street, topic=f"培训{i}", held_on=D(2025, 6, 1), recorded_by=staff_user
        )
        training.attendees.set(members[:20])


@pytest.mark.parametrize(
    ("username", "url", "queries"),
    [
        ("wangchunmen_staff", reverse("council:list"), 6),
        ("wangchunmen_staff", reverse("council:page"), 9),
        ("wangchunmen_deputy", reverse("council:page"), 9),
        ("xiangxiang_city", reverse("council:list"), 6),
    ],
)
def test_the_member_list_and_the_council_page_cost_the_same_with_many_members(
    client, street, staff_user, username, url, queries
):
    client.force_login(User.objects.get(username=username), backend="committee.auth.MobileOrUsernameBackend")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_members(street, staff_user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "成员1" in response.content.decode()
    assert len(few) == len(many) == queries, [q["sql"] for q in many.captured_queries]


def test_the_public_form_hides_its_honeypot_from_people(client, street):
    html = client.get(reverse("council:apply", args=[street.slug])).content.decode()
    wrapper = html[: html.index('id="div_id_website"')].rsplit("<div", 2)[-2]
    assert "visually-hidden" in wrapper and 'aria-hidden="true"' in wrapper
    assert html.index('id="div_id_website"') > html.index('id="div_id_statement"')  # after every real field
