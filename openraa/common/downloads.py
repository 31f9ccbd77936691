"""Every spreadsheet a user downloads (CSV, XLSX) is written through here, so no cell that came
from a record can be read as a formula when the file is opened (CSV/formula injection, OWASP)."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A spreadsheet reads a cell starting with any of these as a formula (or a DDE command).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(value):
    """The value as a spreadsheet must show it: text that would start a formula gets a leading
    apostrophe, which spreadsheets display as text. Numbers, dates and blanks pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
