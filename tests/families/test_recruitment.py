"""The recruitment report's plain rules: the funnel never widens down its stages, every family is
counted in exactly one row of each breakdown, and no count from 1 to 4 can be read or worked out."""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from openraa.common.disclosure import LOW, WITHHELD, determined_cells
from openraa.families import front_door, recruitment
from openraa.families.recruitment import STAGES, Family

_SOURCES = [value for value, _ in front_door.SOURCE_CHOICES] + ["unknown-source"]


@st.composite
def families(draw):
    monitoring = {}
    for key, (_, choices) in front_door.MONITORING.items():
        options = [value for value, _ in choices] + [front_door.PREFER_NOT, "no-such-answer"]
        if draw(st.booleans()):
            monitoring[key] = draw(st.sampled_from(options))
    return Family(draw(st.sampled_from(_SOURCES)), monitoring, draw(st.integers(0, len(STAGES) - 1)))


many = st.lists(families(), max_size=40)


@given(many)
def test_funnel_never_widens_and_rows_add_up(found):
    overall = recruitment.totals(found)
    assert overall[0] == len(found)
    assert all(later <= earlier for earlier, later in pairwise(overall))
    for breakdown in recruitment.breakdowns():
        counts = recruitment.funnel(found, breakdown)
        for row in counts.values():
            assert all(later <= earlier for earlier, later in pairwise(row))
        for stage in range(len(STAGES)):
            assert sum(row[stage] for row in counts.values()) == overall[stage]


@given(many)
def test_no_count_from_one_to_four_is_shown_or_can_be_worked_out(found):
    report = recruitment.report(found)
    d = report.disclosure
    for table in report.tables:
        for row in (*table.rows, table.total):
            for text in row.cells:
                assert text in (LOW, WITHHELD) or not 1 <= int(text.replace(",", "")) <= 4
    # What the reader cannot read, the page's lines must not give away: solve them exactly.
    unknown = {key for key in d.values if d.withheld(key) or not d.is_shown(key)}
    small = {key for key, n in d.values.items() if 1 <= n <= 4}
    assert small <= unknown
    fixed = determined_cells(unknown, [(*members, total) for members, total in d.lines], unknown)
    assert not (fixed & small)


@given(many)
def test_exact_counts_are_the_funnel(found):
    report = recruitment.report(found)
    overall = recruitment.totals(found)
    for stage, text in enumerate(report.tables[0].total.cells):
        if text not in (LOW, WITHHELD):
            assert int(text.replace(",", "")) == overall[stage]


def test_unknown_answers_and_prefer_not_have_their_own_rows():
    found = [Family("campaign", {"religion": front_door.PREFER_NOT}, 3)] * 5 + [Family("nowhere", {}, 0)] * 6
    tables = {t.key: t for t in recruitment.report(found).tables}
    religion = {row.label: row.cells for row in tables["religion"].rows}
    assert religion["Prefer not to say"] == ("5", "5", "5", "5")
    assert religion["Not answered"] == ("6", "0", "0", "0")
    source = {row.label: row.cells for row in tables["source"].rows}
    assert source["Something else"] == ("6", "0", "0", "0")
    assert tables["source"].total.cells == ("11", "5", "5", "5")


def test_a_single_family_is_never_shown():
    tables = recruitment.report([Family("event", {"sexual_orientation": "bisexual"}, 1)]).tables
    orientation = {row.label: row.cells for row in next(t for t in tables if t.key == "sexual_orientation").rows}
    assert orientation["Bisexual"][:2] == (LOW, LOW)
    assert tables[0].total.cells[:2] == (LOW, LOW)


def test_furthest_stage_counts_a_skipped_stage_as_passed():
    assert recruitment.furthest_stage(registered=False, stage1=False, approved=True) == 3
    assert recruitment.furthest_stage(registered=True, stage1=False, approved=False) == 1
    assert recruitment.furthest_stage(registered=False, stage1=False, approved=False) == 0


class _Gap:
    def __init__(self, label, children, approved, in_assessment):
        self.label, self.children, self.approved, self.in_assessment = label, children, approved, in_assessment


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30)), max_size=15))
def test_gap_counts_from_one_to_four_are_never_shown(values):
    rows = recruitment.gap_rows([_Gap("child aged 2-4", *v) for v in values], limit=20)
    assert len(rows) == len(values)
    for row, (children, approved, _) in zip(rows, values):
        for text in (row.children, row.approved, row.in_assessment):
            assert text == LOW or not 1 <= int(text) <= 4
        assert row.none_approved == (approved == 0)
        assert row.children == (LOW if 1 <= children <= 4 else str(children))
