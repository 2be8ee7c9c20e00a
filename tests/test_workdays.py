import datetime

import pytest

from committee.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date

# The calendar reads the arrangements administrators entered (committee.calendar) from the database whenever its
# version stamp in the cache is new to the process, as it is after a transactional test emptied Redis.
pytestmark = pytest.mark.django_db


def test_spring_festival_2026_and_its_make_up_saturdays():
    # 2026: Spring Festival off 15-23 February; Saturdays 14 and 28 February are make-up workdays.
    assert is_working_day(D(2026, 2, 14))
    assert not is_working_day(D(2026, 2, 16))
    assert not is_working_day(D(2026, 2, 23))
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))


def test_adding_working_days_across_the_spring_festival():
    # Thursday 12 Feb 2026 + 5 working days: Fri 13, Sat 14 (make-up), Tue 24, Wed 25, Thu 26.
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    assert add_working_days(D(2026, 2, 26), -5) == D(2026, 2, 12)
    assert working_days_between(D(2026, 2, 12), D(2026, 2, 26)) == 5
    assert working_days_between(D(2026, 2, 26), D(2026, 2, 12)) == -5


def test_spring_festival_2025_make_up_sunday():
    # 2025: off 28 Jan - 4 Feb; Sunday 26 January and Saturday 8 February are workdays.
    assert is_working_day(D(2025, 1, 26))
    assert add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_working_days(D(2025, 2, 7), 1) == D(2025, 2, 8)


def test_zero_days_is_the_same_day():
    assert add_working_days(D(2026, 2, 15), 0) == D(2026, 2, 15)


def test_local_changes_win(settings):
    settings.CALENDAR_EXTRA_HOLIDAYS = [D(2026, 3, 3)]
    settings.CALENDAR_EXTRA_WORKDAYS = [D(2026, 3, 7)]
    assert not is_working_day(D(2026, 3, 3))
    assert is_working_day(D(2026, 3, 7))


@pytest.mark.parametrize(("day", "working"), [(D(2027, 1, 1), False), (D(2027, 1, 4), True), (D(2027, 1, 9), False)])
def test_a_year_without_an_official_arrangement_uses_weekends_and_statutory_holidays(day, working):
    assert is_working_day(day) is working
