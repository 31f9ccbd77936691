"""Financial years, which are also the DfE's collection years: 1 April to 31 March. Pure Python.

One way to name a year, everywhere (commands, pages, API, exports): "2024-25" (or "2024/25",
"2024-2025") is 1 April 2024 to 31 March 2025, and a bare "2025" is the year *ending* 31 March 2025,
the same year, as SSDA903 names it. Every output prints the full label ("2024-25"), never a bare
number. In code a year is a `FinancialYear`; its `start` is the calendar year it starts in.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from openraa.common import parsing

EARLIEST = 1990  # no year the records or a return speak of begins earlier
LATEST = parsing.LATEST_YEAR - 1


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

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def ending_in(cls, year: int) -> FinancialYear:
        return cls(year - 1)


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
    if "-" not in text and "/" not in text:
        return None
    start = parsing.financial_year(text, EARLIEST, LATEST)
    return None if start is None else FinancialYear(start)


HELP = "a financial year: 2024-25 (1 April 2024 to 31 March 2025), or 2025 for the same year (the year ending in it)"


def refusal(value: object) -> str:
    return f"{value!r} is not a financial year: give 2024-25 (1 April 2024 to 31 March 2025), or 2025 for the same year"


def argument(value: str) -> FinancialYear:
    """An argparse `type=` for every `--year`: refuses with the one message."""
    year = parse(value)
    if year is None:
        raise argparse.ArgumentTypeError(refusal(value))
    return year
