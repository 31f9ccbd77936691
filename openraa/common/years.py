"""Financial years, which are also the DfE's collection years: 1 April to 31 March. Pure Python.

One way to name a year, everywhere (commands, pages, API, exports): "2024-25" (or "2024/25",
"2024-2025") is 1 April 2024 to 31 March 2025, and a bare "2025" is the year *ending* 31 March 2025,
the same year, as SSDA903 names it. Every output prints the full label ("2024-25"), never a bare
number. In code a year is a `FinancialYear`; its `start` is the calendar year it starts in.
"""

from __future__ import annotations

import argparse
import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from openraa.common import parsing

EARLIEST = 1990  # no year the records or a return speak of begins earlier
LATEST = parsing.LATEST_YEAR - 1

# Month 1 is April, quarter 1 is April to June.
MONTH_NAMES = (
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
)

_PAIR = re.compile(r"([0-9]{4})\s*[-/]\s*([0-9]{2}|[0-9]{4})")


@dataclass(frozen=True, order=True, slots=True)
class FinancialYear:
    start: int  # the calendar year the financial year starts in: 2024 for 2024-25

    @property
    def end(self) -> int:
        """The calendar year it ends in, SSDA903's name for it: 2025 for 2024-25."""
        return self.start + 1

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def starts_on(self) -> date:
        return date(self.start, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start + 1, 3, 31)

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on

    def __add__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start + years)

    def __sub__(self, years: int) -> FinancialYear:
        return FinancialYear(self.start - years)

    def window(self, years: int = 3) -> tuple[FinancialYear, ...]:
        """The `years` years ending with this one, oldest first (the scorecard's 3-year window)."""
        return tuple(self - back for back in range(years - 1, -1, -1))

    def month_end(self, month: int) -> date:
        """The last day of month 1 (April) ... 12 (March)."""
        calendar_year = self.start if month <= 9 else self.start + 1
        calendar_month = (month + 2) % 12 + 1
        return date(calendar_year, calendar_month, calendar.monthrange(calendar_year, calendar_month)[1])

    def quarter_label(self, quarter: int) -> str:
        """'Q1 2024-25 (April to June)'."""
        return f"Q{quarter} {self.label} ({MONTH_NAMES[(quarter - 1) * 3]} to {MONTH_NAMES[quarter * 3 - 1]})"

    def months_elapsed(self, on: date) -> int:
        """Whole months of the year ended by `on`: 0 before 30 April, 12 from 31 March."""
        if on < self.starts_on:
            return 0
        if on >= self.ends_on:
            return 12
        month = month_of(on)
        return month if on == self.month_end(month) else month - 1

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def ending_in(cls, year: int) -> FinancialYear:
        return cls(year - 1)


def month_of(day: date) -> int:
    """1 for April ... 12 for March."""
    return (day.month - 4) % 12 + 1


def quarter_of(day: date) -> int:
    return (month_of(day) - 1) // 3 + 1


def span_label(first: FinancialYear, last: FinancialYear) -> str:
    """A run of years as the DfE labels it: 2022-23 to 2024-25 is "2022-25"."""
    return f"{first.start}-{last.end % 100:02d}"


def span(first: FinancialYear, last: FinancialYear) -> Iterator[FinancialYear]:
    return (FinancialYear(start) for start in range(first.start, last.start + 1))


def parse(value: object) -> FinancialYear | None:
    """'2024-25', '2024/25', '2024-2025' and '2025' are all 2024-25; None when the text is not a
    year (or one out of range). A bare year is the year ending in it (see the module's docstring)."""
    text = parsing._text(value)
    if text is None:
        return None
    bare = parsing.year(text, EARLIEST + 1, LATEST + 1)
    if bare is not None:
        return FinancialYear.ending_in(bare)
    pair = _PAIR.fullmatch(text)
    if pair is None:
        return None
    start, end = int(pair[1]), pair[2]
    follows = int(end) == (start + 1 if len(end) == 4 else (start + 1) % 100)
    return FinancialYear(start) if follows and EARLIEST <= start <= LATEST else None


class PathConverter:
    """A year in a URL path by its label (/finance/2019-20/...); registered by the apps' urls.py.
    A label naming no year matches no URL (404)."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> FinancialYear:
        year = parse(value)
        if year is None:
            raise ValueError(refusal(value))
        return year

    def to_url(self, value: FinancialYear | str) -> str:
        year = value if isinstance(value, FinancialYear) else parse(value)
        if year is None:
            raise ValueError(refusal(value))
        return year.label


HELP = "a financial year: 2024-25 (1 April 2024 to 31 March 2025), or 2025 for the same year (the year ending in it)"


def refusal(value: object) -> str:
    return f"{value!r} is not a financial year: give 2024-25 (1 April 2024 to 31 March 2025), or 2025 for the same year"


def argument(value: str) -> FinancialYear:
    """An argparse `type=` for every `--year`: refuses with the one message."""
    year = parse(value)
    if year is None:
        raise argparse.ArgumentTypeError(refusal(value))
    return year
