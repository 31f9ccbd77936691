"""Working-day arithmetic over England and Wales bank holidays."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openraa.common.workdays import add_months, add_working_days, is_working_day, working_days_between

DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


def test_christmas_and_boxing_day_observed_are_not_working_days():
    # 26 December 2026 is a Saturday, so the Boxing Day holiday moves to Monday 28 December.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_seven_working_days_over_easter():
    # Final panel minutes on Thursday 2 April 2026; Good Friday 3 and Easter Monday 6 April.
    assert add_working_days(date(2026, 4, 2), 7) == date(2026, 4, 15)


@given(start=DAYS, days=st.integers(min_value=0, max_value=400))
def test_counting_the_working_days_added_gives_them_back(start, days):
    end = add_working_days(start, days)
    assert is_working_day(end)
    if days:
        assert working_days_between(start, end) == days
    else:  # zero days rolls a weekend or bank holiday forward to the next working day
        assert end == start or working_days_between(start, end) == 1


@given(start=DAYS, days=st.integers(min_value=1, max_value=400))
def test_the_result_is_the_first_day_that_reaches_the_count(start, days):
    end = add_working_days(start, days)
    assert working_days_between(start, end - timedelta(days=1)) == days - 1


@given(a=DAYS, b=DAYS, c=DAYS)
def test_working_days_add_up_across_year_ends(a, b, c):
    a, b, c = sorted((a, b, c))
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)


@given(start=DAYS, months=st.integers(min_value=0, max_value=48))
def test_adding_months_lands_in_the_right_month_and_never_overshoots(start, months):
    end = add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day <= start.day
    assert end.day == start.day or (end + timedelta(days=1)).day == 1


def test_end_of_month_clamps():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
