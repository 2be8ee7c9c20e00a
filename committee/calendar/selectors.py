"""What the calendar's pages show: a year month by month, and its holidays as periods."""

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committee.calendar.models import CalendarDay, CalendarYear, DayKind
from committee.models import AuditEntry
from committee.workdays import Arrangement, Calendar, Source

WEEKDAY_LABELS = [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")]
ACTIONS = {LogEntry.Action.CREATE: _("新增"), LogEntry.Action.UPDATE: _("修改"), LogEntry.Action.DELETE: _("删除")}


@dataclass(frozen=True)
class Cell:
    day: datetime.date | None  # None: a blank before the 1st or after the last day
    kind: str = ""  # "off" (holiday), "makeup" (weekend worked), "weekend", "" (an ordinary working day)
    name: str = ""
    local: bool = False  # changed by CALENDAR_EXTRA_HOLIDAYS / CALENDAR_EXTRA_WORKDAYS


@dataclass(frozen=True)
class Period:
    kind: str  # "off" or "makeup"
    name: str
    first: datetime.date
    last: datetime.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def year_calendar(year: int, days: list[CalendarDay] | None) -> tuple[Calendar, dict[datetime.date, str]]:
    """The calendar a year's pages show, from the page's own rows (no per-process cache, so a page's query count
    never depends on it): `days` is the year's entered arrangement, or None when it has none."""
    if days is None:
        return Calendar(Arrangement(frozenset(), {})), {}
    arrangement = Arrangement(frozenset({year}), {d.day: d.kind == DayKind.WORKDAY for d in days})
    return Calendar(arrangement), {d.day: d.name for d in days}


def candidate_calendar(
    year: int, days_off: dict[datetime.date, str], make_up_workdays: dict[datetime.date, str]
) -> tuple[Calendar, dict[datetime.date, str]]:
    """The calendar a form would give the year (its preview)."""
    arrangement = Arrangement(frozenset({year}), dict.fromkeys(days_off, False) | dict.fromkeys(make_up_workdays, True))
    return Calendar(arrangement), days_off | make_up_workdays


def _cell(cal: Calendar, day: datetime.date, names: dict[datetime.date, str]) -> Cell:
    working, weekend = cal.is_working_day(day), day.weekday() >= 5
    name = names.get(day) or cal.holiday_name(day)
    local = day in cal.extra_holidays or day in cal.extra_workdays
    if working:
        return Cell(day, "makeup" if weekend else "", name if weekend else "", local)
    if not weekend or day in names or (name and cal.source(day.year) != Source.ENTERED):
        return Cell(day, "off", name, local)
    return Cell(day, "weekend", "", local)


def months(year: int, cal: Calendar, names: dict[datetime.date, str]) -> list[tuple[int, list[list[Cell]]]]:
    """Twelve months, each a list of weeks (Monday first) of cells."""
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    return [
        (
            month,
            [
                [_cell(cal, day, names) if day.month == month else Cell(None) for day in week]
                for week in weeks_of(year, month)
            ],
        )
        for month in range(1, 13)
    ]


def periods(grid: list[tuple[int, list[list[Cell]]]]) -> list[Period]:
    """The holidays and make-up workdays of the year, consecutive days of the same holiday as one period."""
    result: list[Period] = []
    cells = [
        cell for _, weeks in grid for week in weeks for cell in week if cell.day and cell.kind in ("off", "makeup")
    ]
    for cell in cells:
        last = result[-1] if result else None
        if last and last.kind == cell.kind and last.name == cell.name and cell.day - last.last == datetime.timedelta(1):
            result[-1] = Period(last.kind, last.name, last.first, cell.day)
        else:
            result.append(Period(cell.kind, cell.name, cell.day, cell.day))
    return result


def changes(
    current: CalendarYear, days_off: dict[datetime.date, str], make_up_workdays: dict[datetime.date, str]
) -> dict[str, list[datetime.date]]:
    """What replacing the entered arrangement with these days changes: days added, removed, changed."""
    before = {d.day: (d.kind, d.name) for d in current.days.all()}
    after = {day: (DayKind.DAY_OFF, name) for day, name in days_off.items()}
    after |= {day: (DayKind.WORKDAY, name) for day, name in make_up_workdays.items()}
    return {
        "added": sorted(day for day in after if day not in before),
        "removed": sorted(day for day in before if day not in after),
        "changed": sorted(day for day in after if day in before and before[day] != after[day]),
    }


def history(arrangement: CalendarYear):
    """The audit entries of a year's arrangement and of its days, newest first."""
    return (
        AuditEntry.objects.filter(
            Q(content_type__app_label="calendar", content_type__model="calendaryear", object_pk=str(arrangement.pk))
            | Q(
                content_type__app_label="calendar",
                content_type__model="calendarday",
                additional_data__calendar_year=arrangement.year,
            )
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
