"""Every spreadsheet a user downloads (CSV, XLSX) is written through here, so no cell that came
from a record can be read as a formula when the file is opened (CSV/formula injection, OWASP).

CSV: text that would start a formula gets a leading apostrophe (`safe_cell`, `csv_text`,
`csv_response`). XLSX: cells keep their exact text, typed as text: `xlsx_bytes` is the one place a
workbook is saved, and writes every cell openpyxl took for a formula (a string starting with "=")
or an error code as a string cell; `xlsx_row`/`xlsx_value` drop the control characters an XLSX
file cannot hold, which openpyxl would otherwise refuse with an exception (a 500)."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A spreadsheet reads a cell starting with any of these as a formula (or a DDE command).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# The characters XML 1.0 cannot carry (openpyxl's own pattern, which it raises on).
_NOT_IN_XLSX = re.compile(r"[\000-\010\013\014\016-\037]")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value as a spreadsheet must show it: text that would start a formula gets a leading
    apostrophe, which spreadsheets display as text. Numbers, dates and blanks pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
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
    return attachment(csv_text(header, rows), CSV_TYPE, filename)


def xlsx_value(value):
    """A value an XLSX cell can hold: text loses the control characters XML cannot carry."""
    return _NOT_IN_XLSX.sub("", value) if isinstance(value, str) else value


def xlsx_row(values: Iterable) -> list:
    """A row for `sheet.append`, each value through `xlsx_value`."""
    return [xlsx_value(value) for value in values]


def xlsx_bytes(book) -> bytes:
    """The workbook as XLSX bytes, with every text cell a string cell: openpyxl types a string that
    starts with "=" as a formula and "#N/A" and the like as errors, so they are typed back to
    text here, where every workbook is saved, whichever way its cells were written."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A file to save, never kept by a browser's or proxy's cache."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
