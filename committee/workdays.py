"""Working days: the one place deadlines like "5 working days" are computed.

The official arrangement (State Council holidays with their make-up workdays, 调休) comes from
`chinesecalendar`. For a year it does not hold yet (the arrangement is announced each winter for the next year),
weekends and the statutory holidays computed by `holidays` stand in, and a warning is logged once; locally
announced changes come from the CALENDAR_EXTRA_HOLIDAYS / CALENDAR_EXTRA_WORKDAYS settings and win over both.
"""

import datetime
import functools
import logging

import chinese_calendar
import holidays
from django.conf import settings

logger = logging.getLogger(__name__)


@functools.cache
def _estimated_holidays(year: int) -> frozenset[datetime.date]:
    logger.warning("No official holiday arrangement for %s yet: using weekends and statutory holidays.", year)
    return frozenset(holidays.country_holidays("CN", years=year))


def is_working_day(day: datetime.date) -> bool:
    if day in settings.CALENDAR_EXTRA_WORKDAYS:
        return True
    if day in settings.CALENDAR_EXTRA_HOLIDAYS:
        return False
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and day not in _estimated_holidays(day.year)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The day n working days after start (before it, for negative n). Day 0 is start itself, working or not:
    "within 5 working days of Friday 1st" is the 5th working day after the 1st."""
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after start up to and including end (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + datetime.timedelta(days=i)) for i in range(1, (end - start).days + 1))
