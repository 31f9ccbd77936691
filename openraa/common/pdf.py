"""Plain PDFs (fpdf2's built-in Helvetica): the text every PDF the project writes goes through, and
a simple document of headings, paragraphs and labelled rows for letters and printed profiles."""

from dataclasses import dataclass, field

from fpdf import FPDF

# The built-in fonts cover Latin-1 only: the common typographic characters outside it are swapped.
_SWAPS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2212": "-",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00a0": " ",
    "\u2022": "-",
    "\u00b7": "-",
}


def latin1(value: object) -> str:
    text = "".join(_SWAPS.get(ch, ch) for ch in str(value))
    return str(text.encode("latin-1", "replace").decode("latin-1"))


@dataclass(frozen=True)
class Section:
    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()  # (label, value)


@dataclass(frozen=True)
class Paper:
    """A letter or a printed record: a letterhead, a title, sections, and a footer line."""

    title: str
    sections: tuple[Section, ...]
    letterhead: tuple[str, ...] = ()  # the agency's name and address, top right
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)


class Document(FPDF):
    """An A4 PDF with its title (and the footer's words) at the foot of every page, page numbered: the
    one page every PDF the project writes is printed on."""

    def __init__(self, title: str, *, orientation: str = "P", footer: str | None = None):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.footer_text = latin1(footer if footer is not None else title)
        self.set_auto_page_break(auto=True, margin=14)
        self.set_title(latin1(title))
        self.set_author("OpenRAA")
        self.set_creator("OpenRAA")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, latin1(f"{self.footer_text}  |  page {self.page_no()}"), align="C")


def render(paper: Paper) -> bytes:
    pdf = Document(paper.title, footer=paper.footer)
    pdf.add_page()
    if paper.letterhead:
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(0, 5, latin1(paper.letterhead[0]), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        for line in paper.letterhead[1:]:
            pdf.multi_cell(0, 4.5, latin1(line), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, latin1(paper.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for section in paper.sections:
        if section.heading:
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, latin1(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10.5)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5.5, latin1(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        for label, value in section.rows:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(55, 5.5, latin1(label), new_x="RIGHT", new_y="TOP")
            pdf.set_font("Helvetica", size=10)
            pdf.multi_cell(0, 5.5, latin1(value), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        pdf.ln(2)
    return bytes(pdf.output())
