"""One way to name a year: the label, the bare ending year and the dates agree for every year."""

import argparse
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openraa.common import years
from openraa.common.years import FinancialYear

STARTS = st.integers(years.EARLIEST, years.LATEST)


@given(STARTS)
def test_every_way_of_naming_a_year_names_the_same_year(start):
    year = FinancialYear(start)
    names = [year.label, f"{start}/{(start + 1) % 100:02d}", f"{start}-{start + 1}", str(start + 1), f" {year.label} "]
    assert {years.parse(name) for name in names} == {year}
    assert years.parse(year.label).label == year.label


@given(STARTS, st.integers(0, 365))
def test_a_year_holds_exactly_its_days(start, offset):
    year = FinancialYear(start)
    day = year.starts_on + timedelta(days=offset)
    assert (day in year) == (day <= year.ends_on)
    assert FinancialYear.containing(day) == (year if day in year else year + 1)
    assert year.starts_on - timedelta(days=1) not in year
    assert (year.ends_on - year.starts_on).days in (364, 365)


def test_the_bare_year_is_the_year_ending_in_it():
    assert years.parse("2025") == FinancialYear(2024)
    assert years.parse("2025").label == "2024-25"
    assert FinancialYear(2024).end == 2025
    assert FinancialYear.containing(date(2025, 3, 31)).label == "2024-25"
    assert FinancialYear.containing(date(2025, 4, 1)).label == "2025-26"


@pytest.mark.parametrize(
    "text",
    [
        "2024-26",
        "2024-2026",
        "24-25",
        "",
        "twenty",
        "2024-",
        "1066",
        "9999-00",
        "２０２５",
        "2025.0",
        None,
        "2024--25",
        "2025-24",
    ],
)
def test_anything_else_is_refused_with_one_message(text):
    assert years.parse(text) is None
    with pytest.raises(argparse.ArgumentTypeError, match="not a financial year"):
        years.argument(text)


def test_window_and_span_labels():
    last = FinancialYear(2024)
    assert [y.label for y in last.window(3)] == ["2022-23", "2023-24", "2024-25"]
    assert years.span_label(*last.window(3)[::2]) == "2022-25"
    assert list(years.span(FinancialYear(2022), last)) == list(last.window(3))


@given(STARTS, st.integers(0, 365))
def test_months_and_quarters_partition_the_year(start, offset):
    year = FinancialYear(start)
    day = year.starts_on + timedelta(days=offset)
    if day not in year:
        return
    month = years.month_of(day)
    month_start = year.starts_on if month == 1 else year.month_end(month - 1) + timedelta(days=1)
    assert month_start <= day <= year.month_end(month)
    assert year.month_end(month).month == day.month
    assert years.quarter_of(day) == (month + 2) // 3
    # a month has ended once its last day is reached, and not before
    assert year.months_elapsed(day) == (month if day == year.month_end(month) else month - 1)
    assert year.months_elapsed(day - timedelta(days=1)) <= year.months_elapsed(day)


def test_month_and_quarter_labels_and_ends():
    year = FinancialYear(2019)
    assert year.month_end(1) == date(2019, 4, 30) and year.month_end(11) == date(2020, 2, 29)
    assert year.month_end(12) == year.ends_on
    assert year.quarter_label(1) == "Q1 2019-20 (April to June)"
    assert year.quarter_label(4) == "Q4 2019-20 (January to March)"
    assert year.months_elapsed(date(2019, 3, 1)) == 0 and year.months_elapsed(date(2021, 1, 1)) == 12
    assert year.months_elapsed(date(2019, 4, 29)) == 0 and year.months_elapsed(date(2019, 4, 30)) == 1
    assert year.months_elapsed(date(2019, 10, 15)) == 6
    assert years.quarter_of(date(2019, 4, 1)) == 1 and years.quarter_of(date(2020, 3, 31)) == 4
    assert FinancialYear(2099).label == "2099-00"
