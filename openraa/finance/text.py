"""Plain-text tables for the finance commands: numbers right-aligned, amounts as 1,234.50."""

from collections.abc import Sequence
from decimal import Decimal


def amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> list[str]:
    """Columns from `numeric_from` on are right-aligned."""
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]

    def line(row) -> str:
        cells = [str(cell).rjust(w) if i >= numeric_from else str(cell).ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
