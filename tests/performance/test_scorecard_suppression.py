"""Small-number suppression (openraa.common.disclosure): numbers under 5 are never shown to
aggregates-only readers, and no total gives one away. The property test plays the reader: it
works out every cell it can from the lines and checks that no small number comes out."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.common.disclosure import LOW, WITHHELD, Disclosure
from openraa.common.years import FinancialYear
from openraa.performance import scorecard as sc
from openraa.performance.present import BoardOutput, ScorecardOutput


def test_small_numbers_are_shown_as_under_5_and_zero_and_five_are_shown():
    d = Disclosure(active=True)
    for key, value in {"zero": 0, "one": 1, "four": 4, "five": 5}.items():
        d.cell(key, value)
    d.resolve()
    assert [d.text(k) for k in ("zero", "one", "four", "five")] == ["0", LOW, LOW, "5"]
    assert d.value("four") is None and d.value("five") == 5


def test_a_total_cannot_give_away_the_one_small_cell_of_its_line():
    d = Disclosure(active=True)
    for council, n in {"a": 3, "b": 12, "c": 40}.items():
        d.cell(council, n)
    d.cell("all", 55)
    d.line(["a", "b", "c"], "all")
    d.resolve()
    assert d.text("a") == LOW
    assert d.text("b") == WITHHELD  # the smallest other cell, so a = all - b - c cannot be worked out
    assert d.text("c") == "40" and d.text("all") == "55"


def test_inactive_disclosure_shows_every_number():
    d = Disclosure(active=False)
    d.cell("a", 1)
    d.cell("all", 1)
    d.line(["a"], "all")
    assert d.text("a") == "1" and not d.withheld("all")


def _reader_can_work_out(d: Disclosure) -> set:
    """Every cell a reader can compute: those shown, then any single unknown of a line."""
    known = {k for k in d.values if d.is_shown(k) and not d.withheld(k)}
    changed = True
    while changed:
        changed = False
        for members, total in d.lines:
            cells = (*members, total)
            unknown = [k for k in cells if k not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return known


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5), min_size=2, max_size=5))
def test_no_small_number_can_be_worked_out_from_a_table_with_row_and_column_totals(grid):
    """Rows x columns with a total for each row, each column and the whole."""
    d = Disclosure(active=True)
    rows, columns = len(grid), len(grid[0])
    grid = [row[:columns] + [0] * (columns - len(row)) for row in grid]
    for r in range(rows):
        for c in range(columns):
            d.cell((r, c), grid[r][c])
        d.cell((r, "total"), sum(grid[r]))
        d.line([(r, c) for c in range(columns)], (r, "total"))
    for c in range(columns):
        d.cell(("total", c), sum(grid[r][c] for r in range(rows)))
        d.line([(r, c) for r in range(rows)], ("total", c))
    d.cell(("total", "total"), sum(map(sum, grid)))
    d.line([(r, "total") for r in range(rows)], ("total", "total"))
    d.line([("total", c) for c in range(columns)], ("total", "total"))
    d.resolve()
    small = {k for k, v in d.values.items() if 0 < v < 5}
    assert not small & _reader_can_work_out(d)


def _example_scorecard():
    care = date(2022, 1, 1)
    children = []
    # Liverpool: many adoptions; Knowsley: two (small); one child waiting in Knowsley.
    for i in range(9):
        children.append(
            sc.ChildRecord(
                council="E08000012",
                date_of_birth=date(2021, 1, 1),
                entered_care_on=care,
                should_be_placed_on=date(2022, 6, 1),
                placement_order_on=date(2022, 9, 1),
                matched_on=date(2023, 1, 1 + i),
                placed_on=date(2023, 2, 1 + i),
                adoption_order_on=date(2024, 6, 1 + i),
            )
        )
    for i in range(2):
        children.append(
            sc.ChildRecord(
                council="E08000011",
                date_of_birth=date(2021, 1, 1),
                entered_care_on=care,
                should_be_placed_on=date(2022, 6, 1),
                placement_order_on=date(2022, 9, 1),
                matched_on=date(2023, 3, 1),
                placed_on=date(2023, 4, 1),
                adoption_order_on=date(2024, 7, 1 + i),
            )
        )
    children.append(
        sc.ChildRecord(
            council="E08000011",
            date_of_birth=date(2021, 1, 1),
            entered_care_on=care,
            should_be_placed_on=date(2022, 6, 1),
            placement_order_on=date(2024, 9, 1),
        )
    )
    councils = {"E08000011": "Knowsley", "E08000012": "Liverpool"}
    as_of = date(2025, 2, 10)
    card = sc.compute_scorecard(children, [], year=FinancialYear(2024), as_of=as_of, councils=councils)
    board = sc.compute_board(children, [], as_of=as_of, councils=councils)
    return card, board


def test_the_scorecard_tables_suppress_small_councils_and_their_averages_for_aggregates_only_readers():
    card, _ = _example_scorecard()
    shown = ScorecardOutput(card, suppress=True).timeliness("a1")
    knowsley = next(r for r in shown.rows if r.header == "Knowsley")
    texts = [c.text for c in knowsley.cells]
    assert LOW in texts
    assert str(card.group("E08000011").window.timeliness.a1.rounded) not in texts[-3:]
    exact = ScorecardOutput(card, suppress=False).timeliness("a1")
    knowsley = next(r for r in exact.rows if r.header == "Knowsley")
    assert "2" in [c.text for c in knowsley.cells]


def test_the_board_pack_suppresses_across_all_of_its_tables():
    card, board = _example_scorecard()
    pack = BoardOutput(card, board, suppress=True)
    assert _reader_can_work_out(pack.d).isdisjoint({k for k, v in pack.d.values.items() if 0 < v < 5})
    for table in pack.tables():
        counts = [
            i
            for i, column in enumerate(table.columns[1:])
            if "days" not in column
            and "Share" not in column
            and "within" not in column
            and table.key != "quarterly-a10"
        ]
        for row in table.rows:
            for i in counts:
                assert row.cells[i].text not in {"1", "2", "3", "4"}, (table.key, row.header, table.columns[i + 1])
