"""The one write of the calendar: entering (or correcting) a year's official arrangement."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import workdays
from committee.calendar.models import FIRST_YEAR, CalendarDay, CalendarYear, DayKind
from committee.models import User

WEEKDAYS = "一二三四五六日"


def can_manage(user) -> bool:
    """The people who run the installation (superusers, 系统管理员) enter the arrangements; street roles never do:
    one installation's calendar serves every street of every city on it."""
    return bool(user.is_authenticated and user.is_superuser)


def last_enterable_year(today: datetime.date) -> int:
    """The State Council announces a year's arrangement late in the year before: next year at most."""
    return today.year + 1


def check_source_date(source_date: datetime.date, today: datetime.date) -> dict[str, list[str]]:
    if source_date > today:
        return {"source_date": [_("通知的发布日期不能晚于今天。")]}
    return {}


def check_days(
    year: int, days_off: dict[datetime.date, str], make_up_workdays: dict[datetime.date, str]
) -> dict[str, list[str]]:
    """What is wrong with a year's days: messages by the field they belong to (`days_off`, `make_up_workdays`)."""
    problems: dict[str, list[str]] = {"days_off": [], "make_up_workdays": []}
    for field, days in (("days_off", days_off), ("make_up_workdays", make_up_workdays)):
        for day in sorted(days):
            if day.year != year:
                problems[field].append(_("%(day)s 不在%(year)d年内。") % {"day": day.isoformat(), "year": year})
    for day in sorted(set(days_off) & set(make_up_workdays)):
        problems["make_up_workdays"].append(
            _("%(day)s 已写在放假日期里，不能又是调休上班日。") % {"day": day.isoformat()}
        )
    for day in sorted(make_up_workdays):
        if day.weekday() < 5:
            problems["make_up_workdays"].append(
                _("%(day)s 是星期%(weekday)s，本来就上班：调休上班日应是周六或周日。")
                % {"day": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]}
            )
    if not days_off:
        problems["days_off"].append(_("请填写放假日期：国务院的通知每年都有放假安排。"))
    return {field: messages for field, messages in problems.items() if messages}


@transaction.atomic
def arrangement_save(
    *,
    by: User,
    year: int,
    source_title: str,
    source_number: str,
    source_date: datetime.date,
    source_url: str,
    days_off: dict[datetime.date, str],
    make_up_workdays: dict[datetime.date, str],
) -> CalendarYear:
    """Enter a year's arrangement, or replace the one entered: `days_off` and `make_up_workdays` map each day to the
    holiday it belongs to ("" when not named). Only the days that change are written, so the audit log shows what
    changed; every process reloads the calendar once this commits."""
    if not can_manage(by):
        raise PermissionDenied
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= last_enterable_year(today):
        raise ValidationError(
            _("只能录入%(first)d年至%(last)d年的安排。") % {"first": FIRST_YEAR, "last": last_enterable_year(today)}
        )
    problems = check_days(year, days_off, make_up_workdays) | check_source_date(source_date, today)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    arrangement = CalendarYear.objects.select_for_update().filter(year=year).first()
    if arrangement is None:
        arrangement = CalendarYear(year=year, entered_by=by, entered_at=now)
    arrangement.source_title = source_title
    arrangement.source_number = source_number
    arrangement.source_date = source_date
    arrangement.source_url = source_url
    arrangement.updated_by, arrangement.updated_at = by, now
    arrangement.full_clean()
    arrangement.save()

    wanted = {day: (DayKind.DAY_OFF, name) for day, name in days_off.items()}
    wanted |= {day: (DayKind.WORKDAY, name) for day, name in make_up_workdays.items()}
    existing = {row.day: row for row in arrangement.days.all()}
    for day, row in existing.items():
        if day not in wanted:
            row.delete()
    for day, (kind, name) in sorted(wanted.items()):
        row = existing.get(day)
        if row is None:
            CalendarDay.objects.create(arrangement=arrangement, day=day, kind=kind, name=name)
        elif (row.kind, row.name) != (kind, name):
            row.kind, row.name = kind, name
            row.save(update_fields=["kind", "name"])
    transaction.on_commit(workdays.arrangement_changed)
    return arrangement
