"""Working days in England and Wales: Monday to Friday, not a bank holiday. Pure Python.

Bank holidays come from the maintained `holidays` package (England and Wales share them), so a
new year or a one-off holiday needs a package update, never an edit here."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (start itself does not count).
    With days == 0, start if it is a working day, else the next working day."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start), so that
    working_days_between(d, add_working_days(d, n)) == n."""
    if end <= start:
        return 0
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset)))


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 January + 1 month = 28/29 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    return min(
        start.replace(year=year, month=month, day=1) + timedelta(days=start.day - 1), next_month - timedelta(days=1)
    )
