"""Plain-text output of drift for the command line and e-mail: references only, never names."""

from datetime import date


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def long_date(day: date) -> str:
    """5 March 2025, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"
