"""What every template must hold to, checked over all of them: a page title is text (no markup in
<title>), and a record's reference is a link to its page (`{% record_link %}`) wherever a page shows
one, except where the page is that record's own (its heading and title) or the text is for a screen
reader only. Pure file reading: no database."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "openraa" / "templates"

_TITLE = re.compile(r"\{% block title %\}(.*?)\{% endblock %\}", re.S)
# A plain {{ something.reference }} of a child, household, case, carer or plan.
_REFERENCE = re.compile(r"\{\{ ([\w.]+)\.reference \}\}")
_RECORDS = re.compile(r"(^|\.)(child|household|case|carer|plan|member|sibling)$")
# Where a reference may stand as text: a heading or caption of the record's own page, the title, a
# screen-reader-only label, the text of a link, an attribute, or an e-mail and export template.
_ALLOWED = ("<h1", "govuk-caption", "visually-hidden", "block title", "<caption", 'value="', "aria-", "<title")


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*.html"))


def test_every_page_title_is_text():
    wrong = [
        str(path.relative_to(TEMPLATES))
        for path in _templates()
        for title in _TITLE.findall(path.read_text())
        if "<" in title
    ]
    assert wrong == []


def _inside_link(line: str, start: int) -> bool:
    opened = line.rfind("<a ", 0, start)
    return opened != -1 and line.rfind("</a>", 0, start) < opened


def test_references_of_records_are_links():
    wrong = []
    for path in _templates():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for match in _REFERENCE.finditer(line):
                if not _RECORDS.search(match.group(1)) or _inside_link(line, match.start()):
                    continue
                if any(marker in line[: match.start()] for marker in _ALLOWED):
                    continue
                wrong.append(f"{path.relative_to(TEMPLATES)}:{number}: {match.group(0)}")
    assert wrong == [], "use {% record_link record %}:\n" + "\n".join(wrong)


def test_no_record_link_inside_another_link():
    """A link inside a link is invalid HTML and confuses screen readers: a reference inside a link
    (the decision queue's "Household approval H-000012") stays text."""
    wrong = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for found in re.finditer(r"\{% record_link ", line)
        if _inside_link(line, found.start())
    ]
    assert wrong == []
