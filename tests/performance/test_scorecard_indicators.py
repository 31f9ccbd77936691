"""Each scorecard indicator from its DfE definition (openraa.performance.scorecard): A3, A4, A5, A9,
A11-A16 beside A1, A2 and A10, per year and over the 3-year window, with the properties that hold
for any records (hypothesis). Pure: no database."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.common.workdays import add_months
from openraa.common.years import FinancialYear
from openraa.performance import scorecard as sc
from openraa.performance.present import ScorecardOutput, as_dict
from openraa.performance.scorecard import ChildRecord, HouseholdRecord, Thresholds

AS_OF = date(2026, 11, 25)
YEAR = FinancialYear(2024)  # 2024-25; the window is 2022-25
KNOWSLEY, LIVERPOOL = "E08000011", "E08000012"
COUNCILS = {KNOWSLEY: "Knowsley", LIVERPOOL: "Liverpool"}


def card(children=(), households=(), thresholds: Thresholds = Thresholds(), year: FinancialYear = YEAR):
    return sc.compute_scorecard(children, households, year=year, as_of=AS_OF, thresholds=thresholds, councils=COUNCILS)


def figures(result: sc.Scorecard, label: str, code: str = sc.AGENCY) -> sc.PeriodFigures:
    g = result.group(code)
    return next(p for p in (*g.years, g.window) if p.period.label == label)


def adopted(care: date, waited: int, adoption: date, council: str = KNOWSLEY, **extra) -> ChildRecord:
    """Entered care on `care`, moved in `waited` days later, adopted on `adoption`."""
    placed = care + timedelta(days=waited)
    return ChildRecord(
        council=council,
        date_of_birth=care - timedelta(days=300),
        entered_care_on=care,
        should_be_placed_on=care + timedelta(days=30),
        placement_order_on=care + timedelta(days=60),
        matched_on=placed - timedelta(days=10),
        placed_on=placed,
        adoption_order_on=adoption,
        **extra,
    )


# ----------------------------------------------------------------------------------------------
# Random adopted children, for the properties
# ----------------------------------------------------------------------------------------------

WINDOW_START = YEAR.window()[0].starts_on


@st.composite
def adopted_children(draw) -> ChildRecord:
    care = WINDOW_START - timedelta(days=draw(st.integers(0, 900)))
    waited = draw(st.integers(0, 900))
    placed = care + timedelta(days=waited)
    adoption = max(placed + timedelta(days=draw(st.integers(30, 400))), WINDOW_START)
    fostered = draw(st.one_of(st.none(), st.integers(0, 900).map(lambda d: care + timedelta(days=min(d, waited)))))
    order = draw(st.one_of(st.none(), st.integers(0, waited).map(lambda d: care + timedelta(days=d))))
    return ChildRecord(
        council=draw(st.sampled_from([KNOWSLEY, LIVERPOOL])),
        date_of_birth=care - timedelta(days=draw(st.integers(0, 3000))),
        entered_care_on=care,
        placement_order_on=order,
        matched_on=placed - timedelta(days=draw(st.integers(0, 60))),
        placed_on=placed,
        adoption_order_on=adoption,
        fostered_by_adopters_from=fostered,
        sex=draw(st.sampled_from(["1", "2", "M", "F", "U", ""])),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(adopted_children(), max_size=25), st.integers(100, 900))
def test_a3_counts_the_a1_children_under_the_a1_threshold_and_follows_it(children, threshold):
    result = card(children, thresholds=Thresholds(a1_days=threshold))
    for g in result.groups:
        for p in (*g.years, g.window):
            t = p.timeliness
            in_period = [
                c for c in children if c.adoption_order_on in p.period and (g.is_agency or c.council == g.code)
            ]
            under = [c for c in in_period if sc.a1_days(c) is not None and sc.a1_days(c) < threshold]
            assert t.a3.count == len(under) <= t.a1.children == t.a3.of
            if t.a3.of:
                assert t.a3.percent == 100 * len(under) / t.a1.children


@settings(max_examples=60, deadline=None)
@given(st.lists(adopted_children(), max_size=25))
def test_the_window_is_child_weighted_the_sum_of_the_years_days_over_their_children(children):
    result = card(children)
    for g in result.groups:
        for name in sc.INDICATORS:
            years = [p.timeliness.indicator(name) for p in g.years]
            window = g.window.timeliness.indicator(name)
            assert window.children == sum(i.children for i in years)
            assert window.total_days == sum(i.total_days for i in years)
            if window.children:
                assert window.average == sum(i.total_days for i in years) / sum(i.children for i in years)
        assert g.window.timeliness.a3.count == sum(p.timeliness.a3.count for p in g.years)


@settings(max_examples=60, deadline=None)
@given(st.lists(adopted_children(), min_size=1, max_size=25))
def test_a10_is_never_longer_than_a1_and_differs_whenever_a_foster_carer_adoption_started_earlier(children):
    for c in children:
        a1, a10 = sc.a1_days(c), sc.a10_days(c)
        assert a10 <= a1
        assert (a10 < a1) == (c.fostered_by_adopters_from is not None and c.fostered_by_adopters_from < c.placed_on)
    window = card(children).agency.window.timeliness
    earlier = [
        c
        for c in children
        if c.adoption_order_on in card(children).window
        and c.fostered_by_adopters_from is not None
        and c.fostered_by_adopters_from < c.placed_on
    ]
    assert window.a10.total_days <= window.a1.total_days
    assert (window.a10.total_days < window.a1.total_days) == bool(earlier)


def test_a10_differs_from_a1_for_a_foster_carer_adoption():
    child = adopted(date(2023, 1, 10), 400, date(2024, 9, 1), fostered_by_adopters_from=date(2023, 3, 1))
    t = figures(card([child]), "2024-25").timeliness
    assert t.a1.total_days == (child.placed_on - child.entered_care_on).days
    assert t.a10.total_days == (child.fostered_by_adopters_from - child.entered_care_on).days
    assert t.a10.total_days < t.a1.total_days


def test_a3_is_strictly_under_the_threshold():
    threshold = Thresholds().a1_days
    at = adopted(date(2023, 1, 1), threshold, date(2024, 6, 1))
    under = adopted(date(2023, 1, 1), threshold - 1, date(2024, 6, 2))
    a3 = figures(card([at, under]), "2024-25").timeliness.a3
    assert (a3.count, a3.of) == (1, 2)
    moved = figures(card([at, under], thresholds=Thresholds(a1_days=threshold + 1)), "2024-25").timeliness.a3
    assert moved.count == 2


# ----------------------------------------------------------------------------------------------
# A4, A5, A15, A16: the period's flows
# ----------------------------------------------------------------------------------------------


def _plan(council=KNOWSLEY, **dates) -> ChildRecord:
    return ChildRecord(council=council, date_of_birth=date(2021, 1, 1), entered_care_on=date(2022, 1, 1), **dates)


def test_a4_is_the_adoptions_and_their_share_of_the_adoption_plans_that_ended():
    children = [
        adopted(date(2023, 1, 1), 300, date(2024, 6, 1)),
        adopted(date(2023, 1, 1), 300, date(2024, 7, 1)),
        _plan(should_be_placed_on=date(2023, 5, 1), plan_ended_on=date(2024, 8, 1), plan_ended_reason="plan_changed"),
        _plan(
            should_be_placed_on=date(2023, 5, 1),
            placement_order_on=date(2023, 8, 1),
            plan_ended_on=date(2024, 9, 1),
            plan_ended_reason="order_revoked",
        ),
        _plan(
            should_be_placed_on=date(2023, 5, 1),
            placement_order_on=date(2023, 8, 1),
            placed_on=date(2023, 12, 1),
            plan_ended_on=date(2024, 10, 1),
            plan_ended_reason="disruption",
        ),
        _plan(should_be_placed_on=date(2023, 5, 1), plan_ended_on=date(2025, 5, 1), plan_ended_reason="plan_changed"),
    ]
    a = figures(card(children), "2024-25").activity
    ended_in_year = [c for c in children if (c.adoption_order_on or c.plan_ended_on) in card(children).year]
    assert a.adoptions == 2 and a.plans_ended == len(ended_in_year) == 5
    assert a.a4.percent == 100 * 2 / 5
    assert a.reversals == 2  # A5: the plan changed and the order revoked, not the disruption
    assert a.disruptions == 1


def test_a15_and_a16_count_the_decisions_and_orders_made_in_the_period():
    children = [
        _plan(should_be_placed_on=date(2024, 4, 1), placement_order_on=date(2025, 3, 31)),
        _plan(should_be_placed_on=date(2024, 3, 31), placement_order_on=date(2025, 4, 1)),
        _plan(should_be_placed_on=date(2022, 4, 1)),
    ]
    result = card(children)
    year, window = figures(result, "2024-25").activity, figures(result, "2022-25").activity
    assert (year.adm_decisions, year.placement_orders) == (1, 1)
    assert (window.adm_decisions, window.placement_orders) == (3, 1)  # the order of 1 April 2025 is in 2025-26


# ----------------------------------------------------------------------------------------------
# A9, A14: children waiting at the end of the period
# ----------------------------------------------------------------------------------------------


def test_a9_and_a14_count_the_children_waiting_at_the_end_of_the_year():
    end = YEAR.ends_on
    decision_only = _plan(should_be_placed_on=date(2024, 10, 1))
    ordered = _plan(should_be_placed_on=date(2024, 6, 1), placement_order_on=date(2024, 9, 1))
    matched = replace(ordered, matched_on=date(2025, 2, 1))
    matched_after = replace(ordered, matched_on=date(2025, 4, 2))
    placed = replace(ordered, matched_on=date(2025, 2, 1), placed_on=date(2025, 3, 1))
    ended = replace(decision_only, plan_ended_on=date(2025, 1, 1), plan_ended_reason="plan_changed")
    later = _plan(should_be_placed_on=date(2025, 4, 1))
    children = [decision_only, ordered, matched, matched_after, placed, ended, later]
    a = figures(card(children), "2024-25").activity
    assert a.waiting_to_be_placed == sum(sc.waiting_to_be_placed(c, end) for c in children) == 4
    assert a.children_waiting == 3  # with a placement order, not placed
    assert a.waiting_for_match == sum(sc.waiting_for_match(c, end) for c in children) == 2
    assert a.waiting_for_match <= a.children_waiting <= a.waiting_to_be_placed
    # The window's stocks are its last year's.
    assert figures(card(children), "2022-25").activity.waiting_to_be_placed == a.waiting_to_be_placed


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1200),
            st.one_of(st.none(), st.integers(0, 400)),
            st.one_of(st.none(), st.integers(0, 400)),
            st.one_of(st.none(), st.integers(0, 400)),
        ),
        max_size=20,
    )
)
def test_children_waiting_nest_a14_within_the_waiting_with_an_order_within_a9(rows):
    start = WINDOW_START - timedelta(days=200)
    children = []
    for decision, order, matched, placed in rows:
        decided = start + timedelta(days=decision)
        ordered = decided + timedelta(days=order) if order is not None else None
        children.append(
            _plan(
                should_be_placed_on=decided,
                placement_order_on=ordered,
                matched_on=decided + timedelta(days=matched) if matched is not None else None,
                placed_on=decided + timedelta(days=matched + placed)
                if matched is not None and placed is not None
                else None,
            )
        )
    result = card(children)
    for g in result.groups:
        for p in g.years:
            a = p.activity
            assert a.waiting_for_match <= a.children_waiting <= a.waiting_to_be_placed
            assert a.waiting_to_be_placed == sum(
                sc.waiting_to_be_placed(c, p.counted_on) for c in children if g.is_agency or c.council == g.code
            )


# ----------------------------------------------------------------------------------------------
# A11, A12, A13: families
# ----------------------------------------------------------------------------------------------


def test_a11_counts_approved_families_not_yet_matched_and_a13_the_applications_not_yet_decided():
    end = YEAR.ends_on
    waiting = HouseholdRecord(KNOWSLEY, enquiry_on=date(2023, 1, 1), approved_on=date(2024, 5, 1))
    matched = replace(waiting, placements=((date(2024, 11, 1), None),), matches=(date(2024, 11, 1),))
    closed = replace(waiting, closed_on=date(2025, 1, 1))
    applying = HouseholdRecord(KNOWSLEY, enquiry_on=date(2024, 9, 1), registered_on=date(2024, 10, 1))
    enquired = HouseholdRecord(KNOWSLEY, enquiry_on=date(2025, 2, 1))
    registered_later = HouseholdRecord(KNOWSLEY, enquiry_on=date(2025, 2, 1), registered_on=date(2025, 4, 2))
    withdrawn = replace(applying, closed_on=date(2025, 3, 1))
    households = [waiting, matched, closed, applying, enquired, registered_later, withdrawn]
    a = figures(card([], households), "2024-25").activity
    assert a.households_waiting == sum(sc.household_waiting(h, end) for h in households) == 1
    assert a.applications_open == sum(sc.application_open(h, end) for h in households) == 2  # applying, enquired
    assert not sc.application_open(registered_later, end)  # registered after the year: its application counts then


def test_a12_is_the_share_of_families_matched_who_waited_3_months_or_more_since_approval():
    approved = date(2024, 5, 10)
    months = Thresholds().household_wait_months
    on_the_day = HouseholdRecord(KNOWSLEY, approved_on=approved, matches=(add_months(approved, months),))
    a_day_short = HouseholdRecord(
        KNOWSLEY, approved_on=approved, matches=(add_months(approved, months) - timedelta(days=1),)
    )
    twice = HouseholdRecord(LIVERPOOL, approved_on=date(2023, 1, 1), matches=(date(2023, 2, 1), date(2024, 8, 1)))
    result = card([], [on_the_day, a_day_short, twice])
    year = figures(result, "2024-25").activity
    assert (year.families_matched, year.families_matched_late) == (3, 2)  # on_the_day and twice's second match
    assert year.a12.percent == 100 * 2 / 3
    window = figures(result, "2022-25").activity
    assert window.families_matched == sum(p.activity.families_matched for p in result.agency.years) == 4


# ----------------------------------------------------------------------------------------------
# Breakdowns and the plain data
# ----------------------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(adopted_children(), max_size=20))
def test_each_breakdown_adds_up_to_the_window_sex_included(children):
    result = card(children)
    for g in result.groups:
        rows = {(r.dimension, r.category): r.timeliness for r in g.breakdowns}
        window = g.window.timeliness
        for dimension in sc.BREAKDOWNS:
            mine = [t for (d, _), t in rows.items() if d == dimension]
            assert sum(t.a1.children for t in mine) == window.a1.children
            assert sum(t.a3.count for t in mine) == window.a3.count
            assert sum(t.a10.total_days for t in mine) == window.a10.total_days
    in_window = [c for c in children if c.adoption_order_on in result.window and sc.a1_days(c) is not None]
    female = {(r.dimension, r.category): r.timeliness for r in result.agency.breakdowns}[("Sex", "Female")]
    assert female.a1.children == sum(c.sex in ("2", "F") for c in in_window)


def test_the_plain_data_gives_every_indicator_per_year_and_over_the_window():
    children = [
        adopted(date(2023, 1, 1), 300, date(2024, 6, 1)),
        _plan(should_be_placed_on=date(2024, 6, 1), placement_order_on=date(2024, 9, 1)),
    ]
    households = [HouseholdRecord(KNOWSLEY, enquiry_on=date(2024, 9, 1))]
    result = card(children, households)
    data = as_dict(ScorecardOutput(result, suppress=False))
    agency = data["groups"][-1]
    assert agency["council"] is None and agency["name"] == sc.AGENCY_NAME
    year = agency["years"][-1]
    assert year["period"] == "2024-25" and agency["window"]["period"] == "2022-25"
    assert year["a3"] == {"count": 1, "of": 1, "percent": 100.0, "threshold_days": 426}
    assert year["a4"] == {"adoptions": 1, "plans_ended": 1, "percent_of_ended_plans": 100.0}
    assert (year["a9"], year["a14"], year["a13"]) == (1, 1, 1)  # the second child; the enquiry
    assert year["a15"] == sum(c.should_be_placed_on in result.year for c in children) == 1
    assert year["a16"] == sum(c.placement_order_on in result.year for c in children) == 1
    assert agency["window"]["a15"] == sum(c.should_be_placed_on in result.window for c in children) == 2
    assert [r["dimension"] for r in agency["breakdowns"]].count("Sex") == 3


def test_a_withheld_figure_is_explained_once_with_the_nearest_figure_that_can_be_shown():
    children = [
        *(adopted(date(2023, 1, 1), 300 + i, date(2024, 6, 1 + i), LIVERPOOL) for i in range(9)),
        *(adopted(date(2023, 1, 1), 500, date(2024, 7, 1 + i), KNOWSLEY) for i in range(2)),
    ]
    output = ScorecardOutput(card(children), suppress=True)
    a1 = output.timeliness("a1")
    knowsley, total = a1.rows[0], a1.rows[-1]
    assert knowsley.header == "Knowsley" and any(c.withheld for c in knowsley.cells)
    assert a1.suppression.startswith("Not shown for Knowsley") and "“<5”" in a1.suppression
    for column, cell in zip(a1.columns[1:], total.cells):
        if not cell.withheld and any(r.cells[a1.columns.index(column) - 1].withheld for r in a1.rows[:-1]):
            assert f"{column}: {cell.text}" in a1.suppression
    assert f": {len(children)}" in a1.suppression  # all councils' children, the nearest count shown
    indicators = output.indicators()
    adopted_row = indicators.rows[0]
    assert adopted_row.cells[0].withheld and adopted_row.cells[-1].text == str(len(children))
    assert f"{adopted_row.header}: {len(children)}" in indicators.suppression
    assert not ScorecardOutput(card(children), suppress=False).timeliness("a1").suppression
