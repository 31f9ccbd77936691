"""Financial years (1 April to 31 March), their quarters and months. Pure Python.

A financial year is named by the calendar year it starts in: 2019 is 1 April 2019 to 31 March 2020,
written 2019-20. Quarter 1 is April to June; month 1 is April.
"""

from __future__ import annotations

import calendar
from datetime import date

from openraa.common import parsing

MONTH_NAMES = ("April", "May", "June", "July", "August", "September", "October", "November", "December",
               "January", "February", "March")


def label(year: int) -> str:
    return f"{year}-{str(year + 1)[2:]}"


def parse_label(text: str) -> int | None:
    """'2019-20' or '2019/20' or '2019' -> 2019; None when it is not a financial year (or one out of
    range, such as 9999-00, whose end date Python cannot even make)."""
    return parsing.financial_year(text)


def starts_on(year: int) -> date:
    return date(year, 4, 1)


def ends_on(year: int) -> date:
    return date(year + 1, 3, 31)


def year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def contains(year: int, day: date) -> bool:
    return starts_on(year) <= day <= ends_on(year)


def month_of(day: date) -> int:
    """1 for April ... 12 for March."""
    return (day.month - 4) % 12 + 1


def quarter_of(day: date) -> int:
    return (month_of(day) - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    calendar_month = (month + 2) % 12 + 1
    calendar_year = year if month <= 9 else year + 1
    return date(calendar_year, calendar_month, calendar.monthrange(calendar_year, calendar_month)[1])


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def quarter_label(year: int, quarter: int) -> str:
    first = MONTH_NAMES[(quarter - 1) * 3]
    last = MONTH_NAMES[quarter * 3 - 1]
    return f"Q{quarter} {label(year)} ({first} to {last})"


def months_elapsed(year: int, on: date) -> int:
    """Whole months of the year that have ended by `on` (0 before the end of April, 12 after March)."""
    if on < starts_on(year):
        return 0
    if on >= ends_on(year):
        return 12
    month = month_of(on)
    return month if on == month_end(year, month) else month - 1
