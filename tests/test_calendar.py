"""committee.calendar: entering a year's official holiday arrangement, its pages, permissions, audit and the home
page's warning. The 2027 arrangement used here is made up for the tests (the State Council's is not entered in the
demo): days off Friday 5 – Thursday 11 February, make-up workdays Sunday 31 January and Saturday 20 February."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from committee import workdays
from committee.calendar import services
from committee.calendar.forms import format_days, parse_days
from committee.calendar.models import CalendarDay, CalendarYear, DayKind
from committee.calendar.todo import missing_years
from committee.models import AuditEntry, User
from tests.conftest import account

D = datetime.date
SOURCE = {
    "source_title": "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    "source_number": "国办发明电〔2026〕99号",
    "source_date": "2026-11-10",
    "source_url": "",
}
DAYS_OFF = "2027-01-01 元旦\n2027-02-05..2027-02-11 春节"
MAKE_UP = "2027-01-31 春节\n2027-02-20 春节"
PUBLISHED = D(2026, 11, 10)


@pytest.fixture
def admin(demo_data):
    return User.objects.get(username="admin")


@pytest.fixture
def calendar_restored():
    """Saving an arrangement changes the calendar's version once it commits (the tests run the commit callbacks);
    the test's transaction is rolled back afterwards, so put back the calendar every process had before."""
    key = workdays._version_key()
    before = workdays._loaded, workdays.cache.get(key)
    yield
    workdays._loaded = before[0]
    workdays.cache.set(key, before[1], timeout=None)


@pytest.fixture
def enter(admin, calendar_restored, django_capture_on_commit_callbacks):
    def _enter(days_off=DAYS_OFF, make_up=MAKE_UP, year=2027, by=admin, source_date=PUBLISHED):
        with django_capture_on_commit_callbacks(execute=True):
            return services.arrangement_save(
                by=by,
                year=year,
                source_title=SOURCE["source_title"],
                source_number=SOURCE["source_number"],
                source_date=source_date,
                source_url="",
                days_off=parse_days(days_off),
                make_up_workdays=parse_days(make_up),
            )

    return _enter


def post(client, year=2027, confirm=None, digest=None, **fields):
    data = SOURCE | {"days_off": DAYS_OFF, "make_up_workdays": MAKE_UP} | fields
    if confirm:
        data |= {"confirm": "1", "preview_digest": digest}
    return client.post(reverse("calendar:year_edit", args=[year]), data)


def digest_of(response) -> str:
    return re.search(r'name="preview_digest" value="([0-9a-f]+)"', response.content.decode()).group(1)


# --- Deadline arithmetic -------------------------------------------------------------------------------------------
def test_spring_festival_2027_with_the_entered_arrangement(enter):
    enter()
    assert workdays.calendar().source(2027) == workdays.Source.ENTERED
    assert not workdays.is_working_day(D(2027, 2, 5))
    assert not workdays.is_working_day(D(2027, 2, 11))
    assert workdays.is_working_day(D(2027, 1, 31))  # a Sunday worked in lieu
    assert workdays.is_working_day(D(2027, 2, 20))  # a Saturday worked in lieu
    assert not workdays.is_working_day(D(2027, 2, 13))  # an ordinary Saturday
    # Thursday 4 February + 3 working days: Fri 12, Mon 15, Tue 16 (the estimate gives Mon 15: Thu 11 worked).
    assert workdays.add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 16)
    # The make-up Saturday counts: Wednesday 17 + 3 = Thu 18, Fri 19, Sat 20.
    assert workdays.add_working_days(D(2027, 2, 17), 3) == D(2027, 2, 20)
    # Friday 29 January + 1: Sunday 31 is worked.
    assert workdays.add_working_days(D(2027, 1, 29), 1) == D(2027, 1, 31)
    assert workdays.working_days_between(D(2027, 2, 4), D(2027, 2, 16)) == 3


def test_without_an_arrangement_2027_is_estimated(demo_data):
    assert workdays.calendar().source(2027) == workdays.Source.ESTIMATED
    assert workdays.add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 15)
    assert not workdays.is_working_day(D(2027, 2, 20))


def test_local_settings_win_over_the_entered_arrangement(enter, settings):
    enter()
    settings.CALENDAR_EXTRA_WORKDAYS = [D(2027, 2, 8)]
    settings.CALENDAR_EXTRA_HOLIDAYS = [D(2027, 2, 20)]
    assert workdays.is_working_day(D(2027, 2, 8))
    assert not workdays.is_working_day(D(2027, 2, 20))


def test_an_entered_year_wins_over_the_library(enter):
    """A correction of a year chinesecalendar holds: the entered days are used, not the library's."""
    enter(days_off="2026-10-01..2026-10-08 国庆节", make_up="", year=2026)
    assert workdays.is_working_day(D(2026, 2, 16))  # the library's Spring Festival no longer applies
    assert not workdays.is_working_day(D(2026, 10, 8))


def test_lookups_cost_one_query_after_a_change_and_none_after_that(enter, django_assert_num_queries):
    workdays.calendar()
    enter()
    with django_assert_num_queries(1):  # the version changed: this process reloads, once
        assert workdays.add_working_days(D(2027, 1, 1), 250) > D(2027, 12, 1)
    with django_assert_num_queries(0):
        workdays.add_working_days(D(2027, 1, 1), 250)
        workdays.working_days_between(D(2027, 1, 1), D(2027, 12, 31))
        workdays.is_working_day(D(2027, 2, 5))


def test_another_process_sees_the_change_through_the_shared_version(enter):
    """A process holding the old calendar (here: put back by hand) reloads once the version moves on."""
    stale = workdays.calendar()
    enter()
    workdays._loaded = (workdays._loaded[0], stale.arrangement)  # as if loaded before, under the new version
    workdays.arrangement_changed()  # what the saving process's commit does
    assert workdays.calendar().source(2027) == workdays.Source.ENTERED


# --- Reading what was typed -------------------------------------------------------------------------------------
def test_days_are_read_from_lines_ranges_and_commas():
    days = parse_days("2027-01-01 元旦\n2027-02-05..2027-02-07 春节, 2027-10-1至2027-10-2 国庆节\n\n")
    assert days == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
    }
    assert parse_days(format_days(days)) == days
    assert format_days(days).splitlines()[1] == "2027-02-05..2027-02-07 春节"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-02-30", "第1条“2027-02-30”：没有2027-02-30这一天"),
        ("2027-02-05..2027-02-3o 春节", "第1条“2027-02-05..2027-02-3o 春节”：日期写法不对"),
        ("2月5日", "日期写法不对。请写成 2027-02-05"),
        ("2027-01-01\n2027-02-11..2027-02-05 春节", "第2条“2027-02-11..2027-02-05 春节”：区间的结束日期早于开始日期"),
        ("2027-02-01..2027-03-01", "一个区间最长14天"),
        ("2027-02-05..2027-02-07\n2027-02-07", "第2条“2027-02-07”：2027-02-07 前面已经写过"),
    ],
)
def test_unreadable_days_are_refused_in_chinese(text, message):
    with pytest.raises(ValidationError) as error:
        parse_days(text)
    assert any(message in m for m in error.value.messages), error.value.messages


# --- The pages ----------------------------------------------------------------------------------------------------
def test_the_year_list_shows_each_years_status(login, admin, enter, django_assert_num_queries):
    enter()
    client = login(admin)
    with django_assert_num_queries(4):  # session, user, memberships (the menu), the arrangements
        response = client.get(reverse("calendar:year_list"))
    page = response.content.decode()
    assert "已录入国务院通知" in page and "国办发明电〔2026〕99号" in page
    assert "内置日历" in page  # 2026, from chinesecalendar
    assert reverse("calendar:year_edit", args=[2027]) in page


def test_the_year_page_shows_the_month_grid_and_the_periods(login, staff_user, enter, django_assert_num_queries):
    enter()
    client = login(staff_user)
    with django_assert_num_queries(5):  # session, user, memberships, the arrangement, its days
        response = client.get(reverse("calendar:year_detail", args=[2027]))
    page = response.content.decode()
    assert "2月5日至2月11日，共7天" in page
    assert 'title="2027-02-20 春节 调休上班"' in page
    assert 'title="2027-02-08 春节 放假"' in page
    assert reverse("calendar:year_edit", args=[2027]) not in page  # staff cannot change it
    assert "修改记录" not in page


def test_an_unentered_year_says_it_is_estimated(login, staff_user):
    page = login(staff_user).get(reverse("calendar:year_detail", args=[2027])).content.decode()
    assert "尚未录入" in page and "请联系系统管理员" in page
    assert 'title="2027-02-06 春节 放假"' in page  # the statutory holiday, from the `holidays` estimate


def test_a_year_too_far_ahead_is_not_found(login, admin):
    client = login(admin)
    far = timezone.localdate().year + 2
    assert client.get(reverse("calendar:year_detail", args=[far])).status_code == 404
    assert client.get(reverse("calendar:year_edit", args=[far])).status_code == 404


def test_entering_a_year_previews_then_saves_on_confirmation(login, admin, calendar_restored):
    client = login(admin)
    response = post(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "预览" in page and "确认保存" in page and "2月5日至2月11日，共7天" in page
    assert not CalendarYear.objects.filter(year=2027).exists()  # nothing saved by the preview

    response = post(client, confirm=True, digest=digest_of(response))
    assert response.status_code == 302
    arrangement = CalendarYear.objects.get(year=2027)
    assert arrangement.entered_by == admin and arrangement.source_number == "国办发明电〔2026〕99号"
    kinds = dict(arrangement.days.values_list("day", "kind"))
    assert kinds[D(2027, 2, 5)] == DayKind.DAY_OFF and kinds[D(2027, 2, 20)] == DayKind.WORKDAY
    assert len(kinds) == 1 + 7 + 2
    assert not workdays.is_working_day(D(2027, 2, 8))  # used at once


def test_a_confirmation_of_something_else_than_the_preview_is_previewed_again(login, admin):
    client = login(admin)
    digest = digest_of(post(client))
    response = post(client, confirm=True, digest=digest, make_up_workdays="2027-02-20 春节")
    assert response.status_code == 200
    assert "预览之后内容有改动" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_replacing_an_arrangement_says_so_and_changes_only_what_differs(login, admin, enter):
    enter()
    client = login(admin)
    form = client.get(reverse("calendar:year_edit", args=[2027])).content.decode()
    assert "2027-02-05..2027-02-11 春节" in form  # the entered arrangement, to correct
    response = post(client, make_up_workdays="2027-02-20 春节")  # 31 January is not worked after all
    page = response.content.decode()
    assert "确认后将替换" in page and "删去：1月31日" in page and "确认替换" in page
    before = AuditEntry.objects.count()
    post(client, confirm=True, digest=digest_of(response), make_up_workdays="2027-02-20 春节")
    assert not CalendarDay.objects.filter(day=D(2027, 1, 31)).exists()
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    # The year's row (updated) and the one day removed; the other nine days are untouched.
    assert sorted((e.content_type.model, e.action) for e in entries) == [
        ("calendarday", AuditEntry.Action.DELETE),
        ("calendaryear", AuditEntry.Action.UPDATE),
    ]
    assert all(e.actor == admin for e in entries)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"days_off": "2027-02-30 春节"}, "days_off", "没有2027-02-30这一天"),
        ({"days_off": ""}, "days_off", "这个字段是必填项"),
        ({"days_off": "2028-01-01 元旦"}, "days_off", "2028-01-01 不在2027年内"),
        ({"make_up_workdays": "2027-02-17"}, "make_up_workdays", "2027-02-17 是星期三，本来就上班"),
        ({"make_up_workdays": "2027-02-06"}, "make_up_workdays", "2027-02-06 已写在放假日期里"),
        ({"source_title": ""}, "source_title", "这个字段是必填项"),
        ({"source_date": "2099-01-01"}, "source_date", "通知的发布日期不能晚于今天"),
    ],
)
def test_form_errors_show_at_their_field_and_keep_what_was_typed(login, admin, fields, field, message):
    response = post(login(admin), **fields)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert f'id="id_{field}"' in page and "is-invalid" in page
    typed = {"days_off": DAYS_OFF, "make_up_workdays": MAKE_UP} | fields
    for line in (typed["days_off"] + "\n" + typed["make_up_workdays"]).splitlines():
        assert line in page  # what was typed stays in the form
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_both_fields_show_their_errors_at_once(login, admin):
    response = post(login(admin), days_off="2027-02-5..", make_up_workdays="2027-02-17")
    errors = response.context["form"].errors
    assert "日期写法不对" in errors["days_off"][0]
    assert "2027-02-17 是星期三" in errors["make_up_workdays"][0]


def test_the_audit_log_records_who_entered_what(login, admin, calendar_restored):
    client = login(admin)
    post(client, confirm=True, digest=digest_of(post(client)))
    arrangement = CalendarYear.objects.get(year=2027)
    year_entry = AuditEntry.objects.get(content_type__model="calendaryear", object_pk=str(arrangement.pk))
    assert year_entry.action == AuditEntry.Action.CREATE and year_entry.actor == admin
    day_entries = AuditEntry.objects.filter(content_type__model="calendarday", additional_data__calendar_year=2027)
    assert day_entries.count() == 10 and {e.actor for e in day_entries} == {admin}
    page = client.get(reverse("calendar:year_detail", args=[2027])).content.decode()
    assert "修改记录" in page and "2027-02-05 放假（春节）" in page


# --- Permission -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["staff", "director", "party"])
def test_street_roles_cannot_enter_an_arrangement(login, demo_data, role):
    client = login(account("wangchunmen", role))
    assert client.get(reverse("calendar:year_edit", args=[2027])).status_code == 403
    assert post(client).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_the_service_refuses_anyone_but_the_administrators(enter, staff_user):
    with pytest.raises(PermissionDenied):
        enter(by=staff_user)


# --- The warning on the home page ---------------------------------------------------------------------------------
def test_the_warning_dates(enter):
    last = max(workdays.library_years())  # the last year chinesecalendar knows (2026 when written)
    assert missing_years(D(last, 10, 31)) == []
    assert missing_years(D(last, 11, 1)) == [last + 1]
    assert missing_years(D(last, 12, 31)) == [last + 1]
    assert missing_years(D(last + 1, 1, 4)) == [last + 1]  # the year began without it: still warned
    assert missing_years(D(last + 1, 11, 1)) == [last + 1, last + 2]
    enter(year=last + 1, days_off=f"{last + 1}-01-01 元旦", make_up="", source_date=D(last, 10, 1))
    assert missing_years(D(last, 11, 1)) == []
    assert missing_years(D(last + 1, 10, 31)) == []
    assert missing_years(D(last + 1, 11, 1)) == [last + 2]


@pytest.fixture
def november_of_the_last_known_year(monkeypatch):
    """The clock on 1 November of the last year chinesecalendar knows: the next year is due and unknown."""
    today = D(max(workdays.library_years()), 11, 1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    return today.year + 1


def test_the_home_page_tells_administrators_what_to_do(login, admin, november_of_the_last_known_year):
    year = november_of_the_last_known_year
    page = login(admin).get(reverse("home")).content.decode()
    assert f"录入{year}年节假日安排" in page
    assert reverse("calendar:year_edit", args=[year]) in page
    assert "请按通知录入放假和调休上班日期" in page


def test_the_home_page_tells_committee_staff_whom_to_ask(login, staff_user, november_of_the_last_known_year):
    year = november_of_the_last_known_year
    page = login(staff_user).get(reverse("home")).content.decode()
    assert f"{year}年节假日安排尚未录入" in page and "请联系系统管理员" in page
    assert reverse("calendar:year_detail", args=[year]) in page


def test_the_warning_is_not_for_deputies_and_goes_once_entered(
    login, demo_data, staff_user, enter, november_of_the_last_known_year
):
    year = november_of_the_last_known_year
    assert "节假日安排" not in login(account("wangchunmen", "deputy")).get(reverse("home")).content.decode()
    enter(year=year, days_off=f"{year}-01-01 元旦", make_up="", source_date=D(year - 1, 10, 1))
    assert "节假日安排尚未录入" not in login(staff_user).get(reverse("home")).content.decode()
