"""Issue 13, "staff and units": cases registered wait 待交办 on the staff's home (the to-do list first, above the
compliance table); a unit without accounts is marked where cases are assigned and on the unit list; the unit's
inbox and home list the open cases first by deadline, overdue and due-soon marked."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.roles import Role
from committee.workdays import add_working_days
from supervision import services
from supervision.models import Channel, HandlingUnit, Opinion, State
from supervision.todo import HOME_CASES
from tests.conftest import account

TODAY = timezone.localdate()


@pytest.fixture
def unit_user(demo_data):
    return account("wangchunmen", Role.HANDLING_UNIT)


@pytest.fixture
def deputy(demo_data):
    return account("wangchunmen", Role.DEPUTY)


@pytest.fixture
def office(street):
    return HandlingUnit.objects.get(street=street, name="街道办事处党政综合办公室")


@pytest.fixture
def city_office(street):
    """城市管理办公室: open cases in the demo, and nobody with an account."""
    return HandlingUnit.objects.get(street=street, name="城市管理办公室")


def _register(by, street, content="东风路路灯坏了，请维修。", **kwargs):
    return services.opinion_register(by=by, street=street, channel=Channel.RECEPTION, content=content, **kwargs)


# --- 待交办 on the staff's home -------------------------------------------------------------------------------


def test_a_case_a_deputy_registers_waits_on_the_staff_home(login, staff_user, street, deputy):
    def item(client):
        items = client.get(reverse("home")).context["todo_items"]
        return next((i for i in items if i.label == "待交办的意见建议"), None)

    client = login(staff_user)
    before = item(client)
    assert before is not None  # the demo's deputy-registered suggestion (and the registered cases)
    waiting = Opinion.objects.filter(street=street, state__in=(State.REGISTERED, State.RETURNED))
    assert before.count == waiting.count()
    services.opinion_register(by=deputy, street=street, channel=Channel.DEPUTY_SUGGESTION, content="人行道破损")
    after = item(client)
    assert after.count == before.count + 1
    deputies = waiting.filter(proposer_kind="deputy").count()
    assert f"代表提出 {deputies} 件" in after.note
    listed = client.get(after.url)
    assert {o.pk for o in listed.context["page"]} == set(waiting.values_list("pk", flat=True)[:25])
    assert "人行道破损" in listed.content.decode()


def test_the_to_do_list_comes_first_on_the_staff_home(login, staff_user):
    page = login(staff_user).get(reverse("home")).content.decode()
    assert 'id="dashboard"' in page
    assert page.index('id="todo"') < page.index('id="dashboard"')
    assert page.index("待交办的意见建议") < page.index('id="dashboard"')


def test_staff_in_a_street_with_nothing_waiting_see_no_item(login, staff_user, street):
    Opinion.objects.filter(street=street, state__in=(State.REGISTERED, State.RETURNED)).update(state=State.ANSWERED)
    items = login(staff_user).get(reverse("home")).context["todo_items"]
    assert "待交办的意见建议" not in [i.label for i in items]


# --- Units without accounts ---------------------------------------------------------------------------------------


def test_the_unit_picker_marks_units_nobody_receives_notices_for(login, staff_user, street, city_office, office):
    case = _register(staff_user, street)
    page = login(staff_user).get(reverse("supervision:opinion_detail", args=[case.pk])).content.decode()
    assert "城市管理办公室（无账号，无人接收通知）" in page
    assert "街道办事处党政综合办公室（无账号" not in page


def test_assigning_to_a_unit_without_accounts_asks_first(login, staff_user, street, city_office):
    case = _register(staff_user, street)
    client = login(staff_user)
    url = reverse("supervision:opinion_act", args=[case.pk, "assign"])
    response = client.post(url, {"unit": city_office.pk})
    assert response.status_code == 200
    assert "没有人会收到交办通知和期限提醒" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.REGISTERED  # nothing changed
    response = client.post(url, {"unit": city_office.pk, "unstaffed_ok": "on"}, follow=True)
    page = response.content.decode()
    assert "没有人收到交办通知，请线下通知该单位" in page
    assert 'id="unit-unstaffed"' in page  # the case page keeps saying so
    case.refresh_from_db()
    assert (case.state, case.unit) == (State.ASSIGNED, city_office)


def test_assigning_to_a_unit_with_people_needs_no_confirmation(login, staff_user, street, office):
    case = _register(staff_user, street)
    response = login(staff_user).post(
        reverse("supervision:opinion_act", args=[case.pk, "assign"]), {"unit": office.pk}, follow=True
    )
    assert "已交办。" in response.content.decode()
    case.refresh_from_db()
    assert case.unit == office


def test_the_unit_list_marks_and_filters_units_without_accounts(login, staff_user, city_office, office):
    client = login(staff_user)
    page = client.get(reverse("supervision:unit_list")).content.decode()
    row = page[page.index(city_office.name) :][:400]
    assert "无账号" in row
    listed = client.get(reverse("supervision:unit_list") + "?no_accounts=1").context["page"]
    names = [u.name for u in listed]
    assert city_office.name in names and office.name not in names
    assert all(u.member_count == 0 for u in listed)


def test_the_unit_list_keeps_a_fixed_query_count(login, staff_user, street, django_assert_num_queries):
    client = login(staff_user)
    for n in range(30):
        HandlingUnit.objects.create(street=street, name=f"测试单位{n}", kind="department")
    with django_assert_num_queries(6):
        assert client.get(reverse("supervision:unit_list") + "?no_accounts=1").status_code == 200


# --- The unit's inbox and home --------------------------------------------------------------------------------


@pytest.fixture
def worklist(street, office, staff_user):
    """The unit's own cases: one overdue, one due tomorrow-ish, one with time, one closed (on top of the demo's)."""
    cases = {}
    for name, deadline in (
        ("overdue", TODAY - datetime.timedelta(days=3)),
        ("soon", add_working_days(TODAY, 1)),
        ("later", TODAY + datetime.timedelta(days=40)),
    ):
        case = _register(staff_user, street, content=f"测试件 {name}")
        cases[name] = services.opinion_assign(by=staff_user, opinion=case, unit=office, deadline=max(deadline, TODAY))
        Opinion.objects.filter(pk=case.pk).update(deadline=deadline)
    Opinion.objects.filter(unit=office, state=State.CLOSED).update(deadline=TODAY - datetime.timedelta(days=400))
    return cases


def test_the_inbox_lists_open_cases_first_by_deadline_with_marks(login, unit_user, worklist, office):
    client = login(unit_user)
    response = client.get(reverse("supervision:inbox"))
    rows = list(response.context["page"])
    assert rows and all(o.state != State.CLOSED for o in rows)  # closed ones behind the filter
    to_handle = [o for o in rows if o.state in (State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS)]
    assert rows[: len(to_handle)] == to_handle  # to handle first, then those waiting for a rating
    deadlines = [o.deadline for o in to_handle]
    assert deadlines == sorted(deadlines)
    flags = {o.pk: o.flag for o in rows}
    assert flags[worklist["overdue"].pk] == "overdue"
    assert flags[worklist["soon"].pk] == "due_soon"
    assert flags[worklist["later"].pk] == ""
    page = response.content.decode()
    assert "逾期" in page and "即将到期" in page
    closed = list(client.get(reverse("supervision:inbox") + "?show=closed").context["page"])
    assert closed and all(o.state == State.CLOSED for o in closed)
    everything = list(client.get(reverse("supervision:inbox") + "?show=all").context["page"])
    closed_at = [i for i, o in enumerate(everything) if o.state == State.CLOSED]
    assert closed_at and closed_at == list(range(closed_at[0], len(everything)))  # closed ones after the rest


def _expected_flag(opinion) -> tuple[str, str]:
    if opinion.deadline < TODAY:
        return ("逾期", "danger")
    if opinion.deadline <= add_working_days(TODAY, 2):  # OPINION_REMINDER_DAYS_BEFORE
        return ("即将到期", "warning")
    return ("", "")


def test_the_inbox_keeps_a_fixed_query_count(login, unit_user, office, django_assert_num_queries):
    client = login(unit_user)
    Opinion.objects.bulk_create(
        Opinion(
            street=office.street,
            channel=Channel.HOTLINE,
            content=f"路灯不亮 {i}",
            state=State.ASSIGNED,
            unit=office,
            deadline=TODAY - datetime.timedelta(days=i % 5),
            assigned_on=TODAY - datetime.timedelta(days=10),
            tracking_code=f"W{i:09d}",
        )
        for i in range(300)
    )
    with django_assert_num_queries(7):
        assert client.get(reverse("supervision:inbox")).status_code == 200


def test_the_unit_home_lists_its_most_urgent_cases_and_links_to_all(login, unit_user, worklist, office):
    items = login(unit_user).get(reverse("home")).context["todo_items"]
    cases = [i for i in items if "/opinions/" in i.url]
    total = Opinion.objects.filter(unit=office, state__in=(State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS))
    assert (cases[0].label, cases[0].url, cases[0].count) == (
        "待办理的意见建议",
        reverse("supervision:inbox"),
        total.count(),
    )
    shown = cases[1:]
    expected = sorted(total, key=lambda o: (o.deadline, -o.created_at.timestamp(), -o.pk))[:HOME_CASES]
    assert [i.url for i in shown] == [o.get_absolute_url() for o in expected]
    assert [(i.flag, i.tone) for i in shown] == [_expected_flag(o) for o in expected]
    assert worklist["overdue"].get_absolute_url() in [i.url for i in shown]
    page = login(unit_user).get(reverse("home")).content.decode()
    assert 'badge text-bg-danger">逾期' in page


def test_the_unit_home_keeps_a_fixed_query_count(login, unit_user, office, django_assert_num_queries):
    client = login(unit_user)
    Opinion.objects.bulk_create(
        Opinion(
            street=office.street,
            channel=Channel.HOTLINE,
            content=f"路灯不亮 {i}",
            state=State.ASSIGNED,
            unit=office,
            deadline=TODAY + datetime.timedelta(days=i % 9),
            assigned_on=TODAY,
            tracking_code=f"H{i:09d}",
        )
        for i in range(300)
    )
    # 6, plus the livelihood projects whose monthly progress the unit owes (livelihood_votes/todo.py).
    with django_assert_num_queries(7):
        response = client.get(reverse("home"))
    assert len([i for i in response.context["todo_items"] if "/opinions/" in i.url]) == HOME_CASES + 1
