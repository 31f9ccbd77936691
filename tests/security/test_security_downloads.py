"""Downloads are safe (issue 14): no text that came from a record or an uploaded file is a formula
when a spreadsheet opens the CSV or XLSX. The writer is one module (openraa/common/downloads.py);
these tests check it, the two findings, and every download the crawl in
tests/security/test_security_download_crawl.py reaches."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from openraa.common.downloads import FORMULA_START, csv_text, safe_cell, xlsx_bytes, xlsx_row, xlsx_value
from openraa.interchange import services
from openraa.people.roles import Role
from tests import builders

PAYLOADS = ("=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", '=HYPERLINK("http://x","y")', "\t=1+2", "＝1+2")
KNOWSLEY = Path(__file__).parents[1] / "fixtures" / "ssda903" / "knowsley-2025"


def unsafe_csv_cells(content: bytes | str) -> list[str]:
    """The cells of a CSV a spreadsheet would run as a formula (a plain number such as -2 is data)."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if safe_cell(cell) != cell]


def formula_cells(content: bytes) -> list[str]:
    """The cells of an XLSX file that a spreadsheet reads as a formula (or an error code)."""
    book = load_workbook(io.BytesIO(content))
    return [
        f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type in ("f", "e")
    ]


def xlsx_strings(content: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(content))
    return {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }


# -- the writer ------------------------------------------------------------------------------------


@given(st.text(st.characters(exclude_characters="\x00")))
def test_no_csv_cell_starts_a_formula_and_the_text_is_kept(text):
    cell = list(csv.reader(io.StringIO(csv_text(["h"], [[text]]))))[1][0]
    assert safe_cell(cell) == cell  # nothing left that a spreadsheet would run
    assert cell == text or (cell == "'" + text and text.startswith(FORMULA_START))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_csv_cell_that_would_start_a_formula_is_shown_as_text(payload):
    assert unsafe_csv_cells(csv_text(["What"], [[payload]])) == []
    assert list(csv.reader(io.StringIO(csv_text(["What"], [[payload]]))))[1] == ["'" + payload]


def test_numbers_and_blanks_stay_numbers_in_csv():
    assert list(csv.reader(io.StringIO(csv_text(["a", "b", "c", "d"], [[-2, "-2.50", None, Decimal("3.10")]]))))[1] == [
        "-2",
        "-2.50",
        "",
        "3.10",
    ]


@given(st.text(max_size=40))
def test_an_xlsx_cell_holding_text_is_always_text(text):
    book = Workbook()
    book.active.append(xlsx_row([text]))
    book.active.cell(2, 1, value=xlsx_value(text))
    content = xlsx_bytes(book)
    assert formula_cells(content) == []
    # XML keeps no control character but tab and line ends, and reads any line end as "\n".
    shown = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32).replace("\r\n", "\n").replace("\r", "\n")
    values = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    assert values == [shown or None] * 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_xlsx_cell_keeps_the_exact_text_and_is_not_a_formula(payload):
    book = Workbook()
    book.active.append([payload, 3, None])
    content = xlsx_bytes(book)
    assert formula_cells(content) == []
    cell = load_workbook(io.BytesIO(content)).active["A1"]
    assert (cell.value, cell.data_type) == (payload, "s")
    assert load_workbook(io.BytesIO(content)).active["B1"].data_type == "n"


# -- the findings ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_budget_line_named_like_a_formula_is_text_in_the_council_report(client_for):
    from openraa.finance.models import BudgetLine, Contribution, FinancialYear

    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    year = FinancialYear.objects.create(agency=aim, start_year=2025)
    line = BudgetLine.objects.create(year=year, name='=HYPERLINK("http://x","y")', part="pooled")
    Contribution.objects.create(line=line, council=builders.council("Knowsley"), amount=Decimal("100.00"))
    client = client_for(builders.user(Role.FINANCE_OFFICER, aim))
    response = client.get("/finance/councils/E08000011/report.xlsx?year=2025-26")
    assert response.status_code == 200
    assert formula_cells(response.content) == []
    assert '=HYPERLINK("http://x","y")' in xlsx_strings(response.content)


@pytest.mark.django_db
def test_the_import_reason_report_shows_formula_text_from_the_file_as_text(client_for):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    files = []
    for p in sorted(KNOWSLEY.iterdir()):
        content = p.read_bytes()
        if "Episodes" in p.name:
            content = content.replace(b"\n1003,", b"\n=1+2,").replace(b"\n1002,", b"\n@SUM(A1),")
        files.append((p.name, content))
    result = services.import_return(files, builders.council("Knowsley"), 2025)
    assert "=1+2" in result.run.report  # what the file said is kept, as it came
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    response = client.get(f"/interchange/ssda903/runs/{result.run.pk}/report.csv")
    assert response.status_code == 200
    assert unsafe_csv_cells(response.content) == []
    cells = {cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row}
    assert {"'=1+2", "'@SUM(A1)"} <= cells
    assert unsafe_csv_cells(result.report_csv()) == []  # the command's --report file too
