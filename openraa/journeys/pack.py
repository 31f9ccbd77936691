"""The panel pack: one PDF for the members of a panel - the meeting, who attended and its quorum,
then each item in agenda order with the panel paper of every record on it, as the paper pages show
it (journeys/papers.py, with policy.hidden_fields for the DECISION purpose). The view audits every
person's record in it as a download."""

from dataclasses import dataclass, field

from fpdf import FPDF

from openraa.common.pdf import Document, latin1

PDF_TYPE = "application/pdf"


@dataclass
class Paper:
    title: str  # "Child C-000123" / "Household H-000045"
    rows: list[tuple[str, str]] = field(default_factory=list)
    applicants: list[str] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)
    journey: list[str] = field(default_factory=list)  # the dated history, newest first
    withheld: str = ""  # why the paper is not in the pack (a sealed record, one out of reach)


@dataclass
class PackItem:
    heading: str
    lines: list[str]
    papers: list[Paper]


@dataclass
class Pack:
    title: str
    agency: str
    lines: list[str]  # date, attendance, quorum
    items: list[PackItem]


def _text(pdf: FPDF, text: str, size: int = 10, style: str = "", height: float = 5.5) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")


def pack_pdf(pack: Pack) -> bytes:
    pdf = Document(pack.title, footer=f"{pack.title}  |  official - sensitive")
    pdf.add_page()
    _text(pdf, pack.agency, 11)
    _text(pdf, pack.title, 18, "B", 10)
    for line in pack.lines:
        _text(pdf, line)
    for number, item in enumerate(pack.items, start=1):
        pdf.add_page()
        _text(pdf, f"Item {number}: {item.heading}", 14, "B", 8)
        for line in item.lines:
            _text(pdf, line)
        for paper in item.papers:
            pdf.ln(3)
            _text(pdf, paper.title, 12, "B", 7)
            if paper.withheld:
                _text(pdf, paper.withheld, 10, "I")
                continue
            pdf.set_font("Helvetica", size=9)
            with pdf.table(
                col_widths=(60, 120), text_align=("LEFT", "LEFT"), line_height=4.5, first_row_as_headings=False
            ) as table:
                for label, value in paper.rows:
                    row = table.row()
                    row.cell(latin1(label))
                    row.cell(latin1(value))
            if paper.applicants:
                _text(pdf, "Applicants", 10, "B")
                for applicant in paper.applicants:
                    _text(pdf, applicant, 9)
            _text(pdf, "Needs", 10, "B")
            for need in paper.needs or ["None recorded"]:
                _text(pdf, need, 9)
            _text(pdf, "Journey", 10, "B")
            for line in paper.journey or ["No steps recorded yet"]:
                _text(pdf, line, 9)
    return bytes(pdf.output())
