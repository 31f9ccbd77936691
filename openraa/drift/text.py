"""Plain-text output of drift for the command line and e-mail: references only, never names."""

from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w for w in widths)
    return [line.format(*row).rstrip() for row in (header, tuple("-" * w for w in widths), *rows)]


def days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def long_date(day) -> str:
    """5 March 2025, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"
