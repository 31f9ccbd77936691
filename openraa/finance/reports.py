"""'What you pay and why' for one council: the same rows on the page, in the XLSX workbook (openpyxl)
and in the PDF (fpdf2). Amounts stay Decimal to the cell; nothing is rounded here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Font

from openraa.common.downloads import xlsx_bytes, xlsx_row
from openraa.common.pdf import latin1
from openraa.finance.money import ZERO, pounds
from openraa.finance.selectors import CouncilReport

POUNDS_FORMAT = '"£"#,##0.00;-"£"#,##0.00'


@dataclass(frozen=True)
class SummaryRow:
    what: str
    amount: Decimal
    why: str


def summary(report: CouncilReport, count=lambda n, kind: f"{n:,}") -> list[SummaryRow]:
    """What the council pays (positive) and receives (negative), and why. `count(n, kind)` writes a
    count of the council's children or households as the reader may see it (performance.disclosure)."""
    rows = [
        SummaryRow(
            f"Contribution: {line.name}",
            amount,
            "Pooled budget line" if line.pooled else "Held for this council: its own part of the line",
        )
        for line, amount in report.contributions
    ]
    if report.fee_count:
        rows.append(
            SummaryRow(
                "Interagency fees (paid by the agency)",
                ZERO,
                f"{count(report.fee_count, 'children')} placement{'s' if report.fee_count != 1 else ''} of its children with "
                f"providers outside the partnership, {pounds(report.fee_total)} paid from the agency's interagency "
                "budget line, not by the council",
            )
        )
    if report.compensation_detail is not None:
        detail = report.compensation_detail
        rows.append(
            SummaryRow(
                "Go-live compensation",
                -report.compensation,
                f"Brought {count(detail.households_brought, 'households')} approved household"
                f"{'s' if detail.households_brought != 1 else ''} and {count(detail.children_brought, 'children')} waiting "
                f"child{'ren' if detail.children_brought != 1 else ''} at go-live "
                f"({'received' if report.compensation >= 0 else 'paid'})",
            )
        )
    if report.variance_share is not None:
        share = report.variance_share
        month = report.monitoring.month_label
        if share.pooled_share:
            rows.append(
                SummaryRow(
                    "Share of the pooled lines' forecast " + ("overspend" if share.pooled_share > 0 else "underspend"),
                    share.pooled_share,
                    f"{report.monitoring.rule_text}; forecast {month}",
                )
            )
        if share.own_lines:
            rows.append(
                SummaryRow(
                    "Forecast "
                    + ("overspend" if share.own_lines > 0 else "underspend")
                    + " on its own part of lines held per council",
                    share.own_lines,
                    f"Its own, not shared; forecast {month}",
                )
            )
    return rows


def transfers(report: CouncilReport) -> list[SummaryRow]:
    """How the contributions are settled: staffing the council pays through its own payroll is
    recharged to the agency's budget quarterly, so only the rest changes hands as cash."""
    count = len(report.recharges)
    return [
        SummaryRow("Contributions to the agency's budget", report.contribution_total, "As in the budget for the year"),
        SummaryRow(
            "Staffing recharged to the agency's budget",
            -report.recharge_total,
            f"Staff the council employs, paid through its payroll and recharged quarterly "
            f"({count} recharge{'s' if count != 1 else ''} so far)",
        ),
        SummaryRow("Net transfer", report.net_transfer, "Contributions less the recharges repaid to the council"),
    ]


def _title(report: CouncilReport) -> str:
    return f"What {report.council.name} pays and why: {report.year.agency.name}, {report.year.label}"


def xlsx(report: CouncilReport) -> bytes:
    """Every row goes through xlsx_row and the book through xlsx_bytes: names typed by staff (budget
    lines, providers) stay text, never a formula."""
    book = Workbook()
    sheet = book.active
    sheet.title = "What you pay"
    bold = Font(bold=True)
    sheet.append(xlsx_row([_title(report)]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(xlsx_row([f"Council ONS code {report.council.ons_code}; forecast {report.monitoring.month_label}"]))
    sheet.append([])
    sheet.append(["What", "Amount (£)", "Why"])
    for cell in sheet[4]:
        cell.font = bold
    for row in summary(report):
        sheet.append(xlsx_row([row.what, row.amount, row.why]))
        sheet.cell(sheet.max_row, 2).number_format = POUNDS_FORMAT
    sheet.append(xlsx_row(["What it pays", report.net, "Positive: the council pays; negative: it receives"]))
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.cell(sheet.max_row, 2).font = bold
    sheet.cell(sheet.max_row, 2).number_format = POUNDS_FORMAT
    sheet.append([])
    sheet.append(["Money between the council and the agency", None, None])
    sheet.cell(sheet.max_row, 1).font = bold
    for row in transfers(report):
        sheet.append(xlsx_row([row.what, row.amount, row.why]))
        sheet.cell(sheet.max_row, 2).number_format = POUNDS_FORMAT
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 90

    def table(title: str, header: list[str], rows: list[list], money_columns: tuple[int, ...]) -> None:
        part = book.create_sheet(title)
        part.append(xlsx_row(header))
        for cell in part[1]:
            cell.font = bold
        for values in rows:
            part.append(xlsx_row(values))
            for column in money_columns:
                part.cell(part.max_row, column).number_format = POUNDS_FORMAT
        for i, _ in enumerate(header):
            part.column_dimensions[chr(ord("A") + i)].width = 28 if i else 50

    table(
        "Contributions",
        ["Line", "Part", "Amount (£)"],
        [[line.name, line.get_part_display(), amount] for line, amount in report.contributions],
        (3,),
    )
    table(
        "Recharges",
        ["Quarter", "Line", "Amount (£)"],
        [[report.year.period.quarter_label(q), line, amount] for q, line, amount in report.recharges],
        (3,),
    )
    table(
        "Interagency fees",
        ["Child", "Placed", "Provider", "Children placed together", "Fee (£)", "Due", "Paid"],
        [
            [
                e.child.reference,
                e.placed_on,
                f"{e.provider_name} ({e.get_provider_kind_display()})",
                e.children_placed,
                e.amount,
                e.due_on,
                e.paid_on,
            ]
            for e in report.fees
        ],
        (5,),
    )
    share = report.variance_share
    table(
        "Over- and underspend",
        ["What", "Amount (£)"],
        [
            ["Sharing rule: " + report.monitoring.rule_text, None],
            ["Pooled lines' forecast variance (all councils)", report.monitoring.pooled_variance],
            ["This council's share", share.pooled_share if share else None],
            ["Its own part of lines held per council", share.own_lines if share else None],
        ],
        (2,),
    )
    return xlsx_bytes(book)


def pdf(report: CouncilReport) -> bytes:
    document = FPDF(orientation="landscape", format="A4")
    document.set_title(latin1(_title(report)))
    document.set_creator("OpenRAA")
    document.add_page()
    document.set_font("Helvetica", "B", 15)
    document.multi_cell(0, 8, latin1(_title(report)), new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", size=10)
    document.multi_cell(
        0,
        6,
        latin1(
            f"Council ONS code {report.council.ons_code}. Forecast {report.monitoring.month_label}. "
            "Positive amounts the council pays; negative amounts it receives."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(3)
    heading = FontFace(emphasis="BOLD")

    def table(header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        with document.table(
            col_widths=widths,
            headings_style=heading,
            line_height=6,
            text_align=tuple("RIGHT" if "£" in h else "LEFT" for h in header),
        ) as grid:
            grid.row([latin1(h) for h in header])
            for values in rows:
                grid.row([latin1(v) for v in values])
        document.ln(4)

    table(
        ["What", "Amount (£)", "Why"],
        [[r.what, pounds(r.amount), r.why] for r in summary(report)] + [["What it pays", pounds(report.net), ""]],
        (80, 30, 150),
    )
    document.set_font("Helvetica", "B", 12)
    document.cell(0, 8, "Money between the council and the agency", new_x="LMARGIN", new_y="NEXT")
    document.set_font("Helvetica", size=10)
    table(["What", "Amount (£)", "Why"], [[r.what, pounds(r.amount), r.why] for r in transfers(report)], (80, 30, 150))
    if report.recharges:
        document.set_font("Helvetica", "B", 12)
        document.cell(0, 8, "Staffing recharges", new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", size=10)
        table(
            ["Quarter", "Line", "Amount (£)"],
            [[report.year.period.quarter_label(q), line, pounds(a)] for q, line, a in report.recharges],
            (80, 130, 50),
        )
    if report.fees:
        document.set_font("Helvetica", "B", 12)
        document.cell(0, 8, "Interagency fees", new_x="LMARGIN", new_y="NEXT")
        document.set_font("Helvetica", size=10)
        table(
            ["Child", "Placed", "Provider", "Fee (£)", "Due", "Paid"],
            [
                [
                    e.child.reference,
                    f"{e.placed_on:%d/%m/%Y}",
                    f"{e.provider_name} ({e.get_provider_kind_display()})",
                    pounds(e.amount),
                    f"{e.due_on:%d/%m/%Y}",
                    f"{e.paid_on:%d/%m/%Y}" if e.paid_on else "Not yet",
                ]
                for e in report.fees
            ],
            (30, 30, 110, 35, 27, 28),
        )
    return bytes(document.output())
