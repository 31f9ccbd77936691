"""Plain-text tables for the command line and e-mail."""

from collections.abc import Sequence


def table(header: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int | None = None) -> list[str]:
    """Columns left-aligned under a dashed rule; from `numeric_from` on, right-aligned (numbers)."""
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    right_from = len(widths) if numeric_from is None else numeric_from

    def line(row: Sequence[object]) -> str:
        cells = [
            str(cell).rjust(w) if i >= right_from else str(cell).ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
