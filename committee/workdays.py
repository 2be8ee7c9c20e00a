"""Working days: the one place deadlines like "5 working days" are computed.

Which days are worked, most authoritative first:
1. the locally announced changes in the CALENDAR_EXTRA_HOLIDAYS / CALENDAR_EXTRA_WORKDAYS settings;
2. the official arrangement of the year as entered in the app (`committee.calendar`: the State Council's notice,
   days off and make-up workdays, 调休), for a year that has one;
3. `chinesecalendar`, for the years it knows (to 2026 in the pinned version);
4. otherwise an estimate: weekends and the statutory holidays computed by `holidays`, without make-up workdays
   (logged once per year) — the home page warns until the year is entered (`committee/calendar/todo.py`).

The entered arrangements are read with one query and kept per process, under a version stamp in the Django cache
(shared by the web server and the worker: Redis, or the file cache of the quick start); saving an arrangement
changes the stamp once its transaction commits, and every process reloads on its next lookup. Each call below
costs one cache read, whatever the number of days it walks; a loop over many items takes `calendar()` once.
"""

import datetime
import functools
import logging
import uuid
from dataclasses import dataclass

import chinese_calendar
import holidays
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Source(models.TextChoices):
    """Where a year's working days come from."""

    ENTERED = "entered", _("已录入国务院通知")
    LIBRARY = "library", _("内置日历")
    ESTIMATED = "estimated", _("估算（无调休）")


@dataclass(frozen=True)
class Arrangement:
    """The official arrangements entered in the app: the years that have one, and their dated days."""

    years: frozenset[int]
    days: dict[datetime.date, bool]  # True: a make-up workday; False: a day off


# chinesecalendar names its holidays in English.
LIBRARY_NAMES = {
    "New Year's Day": _("元旦"),
    "Spring Festival": _("春节"),
    "Tomb-sweeping Day": _("清明节"),
    "Labour Day": _("劳动节"),
    "Dragon Boat Festival": _("端午节"),
    "National Day": _("国庆节"),
    "Mid-autumn Festival": _("中秋节"),
    "Anti-Fascist 70th Day": _("抗战胜利70周年纪念日"),
}


@functools.cache
def _estimated_holidays(year: int) -> dict[datetime.date, str]:
    logger.warning("No official holiday arrangement for %s yet: using weekends and statutory holidays.", year)
    return dict(holidays.country_holidays("CN", years=year, language="zh_CN"))


@functools.cache
def library_years() -> range:
    """The years `chinesecalendar` holds the official arrangement of."""
    known = chinese_calendar.holidays
    return range(min(known).year, max(known).year + 1)


def year_source(year: int, entered_years) -> Source:
    if year in entered_years:
        return Source.ENTERED
    return Source.LIBRARY if year in library_years() else Source.ESTIMATED


class Calendar:
    """Working days as of now: the entered arrangements and the settings, read once."""

    def __init__(self, arrangement: Arrangement):
        self.arrangement = arrangement
        self.extra_workdays = frozenset(settings.CALENDAR_EXTRA_WORKDAYS)
        self.extra_holidays = frozenset(settings.CALENDAR_EXTRA_HOLIDAYS)

    def source(self, year: int) -> Source:
        return year_source(year, self.arrangement.years)

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        source = self.source(day.year)
        if source == Source.ENTERED:
            return self.arrangement.days.get(day, day.weekday() < 5)
        if source == Source.LIBRARY:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in _estimated_holidays(day.year)

    def holiday_name(self, day: datetime.date) -> str:
        """The holiday a library or estimated day off (or a library make-up workday) belongs to; "" when none."""
        source = self.source(day.year)
        if source == Source.LIBRARY:
            name = chinese_calendar.get_holiday_detail(day)[1]
            return str(LIBRARY_NAMES.get(name, name or ""))
        if source == Source.ESTIMATED:
            return _estimated_holidays(day.year).get(day, "")
        return ""

    def add_working_days(self, start: datetime.date, n: int) -> datetime.date:
        step = 1 if n >= 0 else -1
        day, remaining = start, abs(n)
        while remaining:
            day += datetime.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        return sum(self.is_working_day(start + datetime.timedelta(days=i)) for i in range(1, (end - start).days + 1))


# --- The entered arrangements, per process -------------------------------------------------------------------------
_loaded: tuple[str, Arrangement] | None = None  # (version stamp, arrangement)


def _version_key() -> str:
    # Per database, so installations (or test databases) sharing one Redis do not invalidate each other.
    return f"workdays:arrangement-version:{connection.settings_dict['NAME']}"


def _load() -> Arrangement:
    from committee.calendar.models import CalendarYear, DayKind

    rows = CalendarYear.objects.values_list("year", "days__day", "days__kind")  # one query, years without days too
    return Arrangement(
        years=frozenset(year for year, _, _ in rows),
        days={day: kind == DayKind.WORKDAY for _, day, kind in rows if day is not None},
    )


def entered_arrangement() -> Arrangement:
    global _loaded
    key = _version_key()
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    if _loaded is None or _loaded[0] != version:
        _loaded = (version, _load())
    return _loaded[1]


def arrangement_changed() -> None:
    """After an arrangement's transaction commits: every process reloads on its next lookup."""
    cache.set(_version_key(), uuid.uuid4().hex, timeout=None)


def calendar() -> Calendar:
    return Calendar(entered_arrangement())


# --- The functions the rest of the code base calls ------------------------------------------------------------------
def is_working_day(day: datetime.date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day n working days after start (before it, for negative n). Day 0 is start itself, working or not:
    "within 5 working days of Friday 1st" is the 5th working day after the 1st."""
    return calendar().add_working_days(start, n)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after start up to and including end (negative when end is before start)."""
    return calendar().working_days_between(start, end)
