"""Files: the national quarterly return's extracts as CSV and XLSX, and the board pack as XLSX and
PDF. Every file is built from the same tables and charts as the pages (present.py), so a file
never shows a number its page would withhold."""

from __future__ import annotations

import io
from datetime import date, datetime

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from openraa.common.disclosure import KEY_NOTE
from openraa.common.downloads import csv_text, xlsx_bytes, xlsx_row, xlsx_value
from openraa.common.pdf import Document, latin1
from openraa.performance.present import BoardOutput, Table
from openraa.performance.returns import Extract

PDF_TYPE = "application/pdf"


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def extract_csv(extract: Extract) -> bytes:
    """One header row (the items, in section order), then one row per child or household; dates in
    ISO form. Written by common/downloads.py, which makes formula text inert."""
    text = csv_text(
        [f"{c.section.split(':')[0]}: {c.header}" for c in extract.columns],
        ([_iso(v) for v in row] for row in extract.rows),
    )
    return text.encode("utf-8-sig")  # the byte-order mark makes Excel read UTF-8


_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F3F2F1")


def extract_xlsx(extract: Extract, agency_name: str) -> bytes:
    """The return's tab (sections in row 1, items in row 2), then a tab of data-quality warnings."""
    book = Workbook()
    sheet = book.active
    sheet.title = extract.sheet
    previous = None
    for i, column in enumerate(extract.columns, start=1):
        if column.section != previous:
            sheet.cell(row=1, column=i, value=xlsx_value(column.section)).font = _BOLD
            previous = column.section
        cell = sheet.cell(row=2, column=i, value=xlsx_value(column.header))
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(28, len(column.header) // 2 + 4))
    for r, row in enumerate(extract.rows, start=3):
        for i, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=i, value=xlsx_value(value))
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    notes = book.create_sheet("Data quality")
    notes.append(xlsx_row([f"{agency_name}: {extract.title}. Warnings listed before the download."]))
    notes.append(["Check", "Records", "References"])
    for cell in notes[2]:
        cell.font = _BOLD
    for warning in extract.warnings:
        named = ", ".join(warning.references)
        if warning.sealed:  # counted, never named: sealed records are not in this file
            named += f"{' and ' if named else ''}{warning.sealed} sealed record{'s' if warning.sealed > 1 else ''}"
        notes.append(xlsx_row([warning.text, warning.count, named]))
    if not extract.warnings:
        notes.append(["No data-quality warnings.", 0, ""])
    notes.column_dimensions["A"].width = 70
    notes.column_dimensions["C"].width = 80
    return xlsx_bytes(book)


SHEET_TITLES = {
    "summary": "Summary",
    "indicators-window": "Indicators over 3 years",
    "a10": "A10",
    "a1": "A1",
    "a2": "A2",
    "a3": "A3",
    "activity": "Activity",
    "activity-window": "Activity over 3 years",
    "quarterly-adoptions": "Adoptions by quarter",
    "quarterly-a10": "A10 by quarter",
    "quarterly-children-waiting": "Waiting by quarter",
    "quarterly-placement-orders": "Placement orders by quarter",
    "quarterly-approvals": "Approvals by quarter",
    "waits": "Length of waits",
    "hard-to-place": "Harder to place",
}


def _sheet_title(table: Table, used: set[str]) -> str:
    if table.key.startswith("indicators-") and table.key not in SHEET_TITLES:
        return _unique(f"Indicators {table.key.removeprefix('indicators-')}", used)
    title = SHEET_TITLES.get(table.key) or "".join(ch for ch in table.caption if ch not in "[]:*?/\\")[:31].strip()
    return _unique(title, used)


def _unique(title: str, used: set[str]) -> str:
    base, n = title, 2
    while title in used:
        title = f"{base[:28]} {n}"
        n += 1
    used.add(title)
    return title


def board_xlsx(pack: BoardOutput, agency_name: str) -> bytes:
    """The board pack: a cover sheet, then one sheet per table; withheld cells hold their mark as
    text. The quarterly sheets carry the same bar charts as the pages."""
    book = Workbook()
    cover = book.active
    cover.title = "About"
    for line in _cover_lines(pack, agency_name):
        cover.append(xlsx_row([line]))
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 120
    used = {"About"}
    chart_tables = {
        "quarterly-adoptions": "Adoption orders",
        "quarterly-children-waiting": "Children",
        "waits": "Children",
    }
    for table in pack.tables():
        sheet = book.create_sheet(_sheet_title(table, used))
        sheet.append(xlsx_row([table.caption]))
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(xlsx_row(table.columns))
        for cell in sheet[2]:
            cell.font, cell.fill = _BOLD, _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append(
                xlsx_row([row.header, *(c.value if c.value is not None and c.numeric else c.text for c in row.cells)])
            )
            if row.total:
                for cell in sheet[sheet.max_row]:
                    cell.font = _BOLD
        for note in (*table.notes, *([table.suppression] if table.suppression else [])):
            sheet.append(xlsx_row([note]))
        sheet.column_dimensions["A"].width = 44
        for i in range(2, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 16
        if table.key in chart_tables:
            _bar_chart(sheet, table, chart_tables[table.key])
    return xlsx_bytes(book)


def _bar_chart(sheet, table: Table, unit: str) -> None:
    councils = [r for r in table.rows if not r.total]
    chart = BarChart()
    chart.type = "col"
    chart.title = table.caption
    chart.y_axis.title = unit
    chart.height, chart.width = 9, 22
    columns = len(table.columns) - 1
    if table.key == "waits":
        columns -= 1  # not the "All waiting" column
    data = Reference(sheet, min_col=1, max_col=columns + 1, min_row=3, max_row=2 + len(councils))
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=columns + 1, min_row=2, max_row=2))
    sheet.add_chart(chart, f"A{len(table.rows) + len(table.notes) + 5}")


def _cover_lines(pack: BoardOutput, agency_name: str) -> list[str]:
    card = pack.card
    t = card.thresholds
    lines = [
        f"{agency_name}: board pack",
        f"Figures as of {card.as_of:%-d %B %Y}; financial year {card.year.label}; 3-year window {card.window.label}.",
        f"Thresholds: A1 {t.a1_days} days (A3: children under it), A10 {t.a10_days} days, A2 {t.a2_days} days; "
        f"A12 families matched {t.household_wait_months} months or more after approval; children waiting over "
        f"{t.waiting_days} days and over {t.long_wait_months} months; households waiting over "
        f"{t.household_wait_months} months.",
        "Aggregates only: no child's or household's record is in this pack.",
    ]
    if pack.suppress:
        lines.append(KEY_NOTE)
    return lines


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def board_pdf(pack: BoardOutput, agency_name: str) -> bytes:
    pdf = Document(f"{agency_name}: board pack", orientation="L")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, latin1(f"{agency_name}: board pack"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in _cover_lines(pack, agency_name)[1:]:
        pdf.multi_cell(0, 6, latin1(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    charts = {c.key: c for c in pack.charts()}
    after = {
        "quarterly-adoptions": "chart-adoptions",
        "quarterly-children-waiting": "chart-waiting",
        "quarterly-a10": "chart-a10",
        "waits": "chart-waits",
        "hard-to-place": "chart-hard",
    }
    for table in pack.tables():
        _pdf_table(pdf, table)
        if table.key in after:
            chart = charts[after[table.key]]
            height_mm = 180 * chart.height / chart.width
            if pdf.get_y() + height_mm > pdf.h - 16:
                pdf.add_page()
            pdf.image(io.BytesIO(latin1(chart.svg()).encode("latin-1")), x=pdf.l_margin, w=180)
            pdf.ln(4)
    return bytes(pdf.output())


def _pdf_table(pdf: FPDF, table: Table) -> None:
    columns = len(table.columns)
    size = 9 if columns <= 7 else 7
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 7, latin1(table.caption), new_x="LMARGIN", new_y="NEXT")
    if table.suppression:  # why figures are withheld, and the nearest that can be shown, before the table
        pdf.set_font("Helvetica", size=8)
        pdf.multi_cell(0, 4.5, latin1(table.suppression), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=size)
    first = 60 if columns <= 7 else 34
    rest = (pdf.epw - first) / max(1, columns - 1)
    widths = (first, *([rest] * (columns - 1)))
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", *(["RIGHT"] * (columns - 1))),
        line_height=4.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(243, 242, 241)),
        first_row_as_headings=True,
    ) as t:
        heading = t.row()
        for column in table.columns:
            heading.cell(latin1(column))
        for row in table.rows:
            r = t.row()
            style = FontFace(emphasis="BOLD") if row.total else None
            r.cell(latin1(row.header), style=style)
            for cell in row.cells:
                r.cell(latin1(cell.text), style=style)
    for note in table.notes:
        pdf.set_font("Helvetica", "I", 8)
        pdf.multi_cell(0, 4.5, latin1(note), new_x="LMARGIN", new_y="NEXT")
