"""Worked examples of the adoption scorecard (openraa.performance.scorecard), one per rule of the
DfE definitions. Every expectation is worked out here from the dates in the example, never typed in
as a magic number. Pure: no database."""

from datetime import date, timedelta

import pytest

from openraa.common.years import FinancialYear
from openraa.performance import scorecard as sc
from openraa.performance.present import ScorecardOutput, as_dict
from openraa.performance.scorecard import ChildRecord, HouseholdRecord, Thresholds

AS_OF = date(2026, 11, 25)
KNOWSLEY, LIVERPOOL = "E08000011", "E08000012"
COUNCILS = {KNOWSLEY: "Knowsley", LIVERPOOL: "Liverpool"}


def adopted(
    council: str = KNOWSLEY, *, care: date, order: date | None, matched: date, placed: date, adoption: date, **extra
) -> ChildRecord:
    """A child adopted: entered care, decision, placement order (or not), matched, placed, adopted."""
    return ChildRecord(
        council=council,
        date_of_birth=care - timedelta(days=400),
        entered_care_on=care,
        should_be_placed_on=care + timedelta(days=60),
        placement_order_on=order,
        matched_on=matched,
        placed_on=placed,
        adoption_order_on=adoption,
        **extra,
    )


def card(children=(), households=(), year: int = 2025, thresholds: Thresholds = Thresholds()) -> sc.Scorecard:
    """The scorecard of the financial year starting in April of `year`."""
    return sc.compute_scorecard(
        children, households, year=FinancialYear(year), as_of=AS_OF, thresholds=thresholds, councils=COUNCILS
    )


def year_figures(result: sc.Scorecard, start_year: int, code: str = sc.AGENCY) -> sc.PeriodFigures:
    return next(p for p in result.group(code).years if p.period.start.year == start_year)


# ----------------------------------------------------------------------------------------------
# Periods
# ----------------------------------------------------------------------------------------------


def test_financial_years_run_april_to_march_and_the_window_is_labelled_as_the_dfe_does():
    result = card(year=2024)
    year, window = result.year, result.window
    assert (year.start, year.end, year.label) == (date(2024, 4, 1), date(2025, 3, 31), "2024-25")
    assert (window.start, window.end, window.label) == (date(2022, 4, 1), date(2025, 3, 31), "2022-25")
    assert [p.period.label for p in result.agency.years] == ["2022-23", "2023-24", "2024-25"]
    assert result.financial_year == FinancialYear.ending_in(2025)
    q3 = sc.financial_quarter(FinancialYear(2025), 3)
    assert (q3.start, q3.end, q3.label) == (date(2025, 10, 1), date(2025, 12, 31), "2025-26 Q3")
    q4 = sc.financial_quarter(FinancialYear(2025), 4)
    assert (q4.start, q4.end) == (date(2026, 1, 1), date(2026, 3, 31))
    quarters = sc.quarters_ending(date(2026, 5, 2), 3)
    assert [q.label for q in quarters] == ["2025-26 Q3", "2025-26 Q4", "2026-27 Q1"]


def test_a_bare_number_is_not_a_year_for_the_scorecard():
    with pytest.raises(TypeError):
        sc.compute_scorecard([], [], year=2025, as_of=AS_OF)


# ----------------------------------------------------------------------------------------------
# A1
# ----------------------------------------------------------------------------------------------


def test_a1_counts_days_from_entering_care_to_moving_in_for_children_adopted_in_the_year():
    care, placed = date(2024, 1, 15), date(2025, 2, 3)
    child = adopted(
        care=care, order=date(2024, 6, 1), matched=date(2024, 11, 20), placed=placed, adoption=date(2025, 9, 1)
    )
    a1 = year_figures(card([child]), 2025).timeliness.a1
    assert (a1.children, a1.total_days) == (1, (placed - care).days)
    # The year the child moved in does not matter: the adoption order decides the year.
    assert year_figures(card([child]), 2024).timeliness.a1.children == 0


def test_a1_leaves_out_a_child_adopted_without_a_placement_for_adoption_and_says_so():
    child = ChildRecord(
        council=KNOWSLEY,
        date_of_birth=date(2023, 1, 1),
        entered_care_on=date(2023, 2, 1),
        adoption_order_on=date(2025, 6, 1),
    )
    result = card([child])
    assert result.agency.window.timeliness.a1.children == 0
    assert result.agency.window.activity.adoptions == 1
    assert [n.code for n in result.notes] == ["a1_excluded"] and result.notes[0].children == 1


# ----------------------------------------------------------------------------------------------
# A2
# ----------------------------------------------------------------------------------------------


def test_a2_counts_a_match_before_the_placement_order_as_zero_days():
    order_first = adopted(
        care=date(2023, 5, 1),
        order=date(2024, 1, 10),
        matched=date(2024, 4, 19),
        placed=date(2024, 5, 1),
        adoption=date(2025, 5, 1),
    )
    matched_first = adopted(
        care=date(2023, 6, 1),
        order=date(2024, 3, 1),
        matched=date(2024, 2, 14),
        placed=date(2024, 3, 20),
        adoption=date(2025, 6, 1),
    )
    a2 = year_figures(card([order_first, matched_first]), 2025).timeliness.a2
    assert a2.children == 2
    assert a2.total_days == (order_first.matched_on - order_first.placement_order_on).days + 0
    assert a2.average == (order_first.matched_on - order_first.placement_order_on).days / 2
    assert sc.a2_days(matched_first) == 0


def test_a2_counts_only_children_with_a_placement_order():
    with_order = adopted(
        care=date(2023, 5, 1),
        order=date(2024, 1, 10),
        matched=date(2024, 3, 1),
        placed=date(2024, 3, 20),
        adoption=date(2025, 5, 1),
    )
    without = adopted(
        care=date(2023, 5, 1), order=None, matched=date(2024, 3, 1), placed=date(2024, 3, 20), adoption=date(2025, 5, 2)
    )
    timeliness = year_figures(card([with_order, without]), 2025).timeliness
    assert timeliness.a1.children == 2
    assert timeliness.a2.children == 1
    assert timeliness.a2.total_days == (with_order.matched_on - with_order.placement_order_on).days


# ----------------------------------------------------------------------------------------------
# A10
# ----------------------------------------------------------------------------------------------


def test_a10_stops_the_clock_when_the_foster_placement_with_the_adopters_began_while_a1_uses_the_adoptive_placement():
    care, fostered, placed = date(2023, 9, 1), date(2023, 10, 15), date(2024, 8, 1)
    foster_carer_adoption = adopted(
        care=care,
        order=date(2024, 3, 1),
        matched=date(2024, 7, 1),
        placed=placed,
        adoption=date(2025, 7, 1),
        early_permanence_on=fostered,
        fostered_by_adopters_from=fostered,
    )
    other = adopted(
        care=date(2023, 4, 1),
        order=date(2024, 1, 1),
        matched=date(2024, 5, 1),
        placed=date(2024, 6, 1),
        adoption=date(2025, 8, 1),
    )
    t = year_figures(card([foster_carer_adoption, other]), 2025).timeliness
    assert t.a1.total_days == (placed - care).days + (other.placed_on - other.entered_care_on).days
    assert t.a10.total_days == (fostered - care).days + (other.placed_on - other.entered_care_on).days
    assert t.a1.children == t.a10.children == 2


def test_early_permanence_with_carers_who_did_not_adopt_does_not_stop_the_a10_clock():
    care, placed = date(2023, 9, 1), date(2024, 8, 1)
    child = adopted(
        care=care,
        order=date(2024, 3, 1),
        matched=date(2024, 7, 1),
        placed=placed,
        adoption=date(2025, 7, 1),
        early_permanence_on=date(2023, 10, 15),
        fostered_by_adopters_from=None,
    )
    t = year_figures(card([child]), 2025).timeliness
    assert t.a10.total_days == t.a1.total_days == (placed - care).days


# ----------------------------------------------------------------------------------------------
# A child whose plan changed
# ----------------------------------------------------------------------------------------------


def test_a_child_whose_plan_changed_is_a_reversal_and_counts_in_none_of_the_timeliness_indicators():
    changed = ChildRecord(
        council=LIVERPOOL,
        date_of_birth=date(2023, 1, 1),
        entered_care_on=date(2023, 3, 1),
        should_be_placed_on=date(2023, 9, 1),
        placement_order_on=date(2024, 2, 1),
        plan_ended_on=date(2025, 5, 20),
        plan_ended_reason="plan_changed",
    )
    revoked = ChildRecord(
        council=LIVERPOOL,
        date_of_birth=date(2023, 1, 1),
        entered_care_on=date(2023, 3, 1),
        should_be_placed_on=date(2023, 9, 1),
        placement_order_on=date(2024, 2, 1),
        plan_ended_on=date(2025, 6, 20),
        plan_ended_reason="order_revoked",
    )
    disrupted = adopted(
        LIVERPOOL,
        care=date(2023, 3, 1),
        order=date(2024, 2, 1),
        matched=date(2024, 6, 1),
        placed=date(2024, 7, 1),
        adoption=None,
        plan_ended_on=date(2025, 8, 1),
        plan_ended_reason="disruption",
    )
    year = year_figures(card([changed, revoked, disrupted]), 2025, LIVERPOOL)
    assert year.activity.reversals == 2
    assert year.activity.disruptions == 1
    assert year.activity.adoptions == 0
    assert (year.timeliness.a1.children, year.timeliness.a2.children, year.timeliness.a10.children) == (0, 0, 0)
    # Once the plan changed the child no longer waits.
    assert not sc.is_waiting(changed, date(2025, 5, 20)) and sc.is_waiting(changed, date(2025, 5, 19))


# ----------------------------------------------------------------------------------------------
# Averages, windows, thresholds, councils
# ----------------------------------------------------------------------------------------------


def test_the_three_year_average_is_child_weighted_not_a_mean_of_the_yearly_means():
    def one(adoption: date, days: int) -> ChildRecord:
        care = date(2020, 1, 1)
        return adopted(
            care=care,
            order=care + timedelta(days=90),
            matched=care + timedelta(days=days - 20),
            placed=care + timedelta(days=days),
            adoption=adoption,
        )

    fast = [one(date(2023, 6, 1), 300)]
    slow = [one(date(2025, 6, 1), 600) for _ in range(3)]
    result = card([*fast, *slow], year=2025)
    window = result.agency.window.timeliness.a1
    assert result.window.label == "2023-26"
    assert window.children == 4
    assert window.average == (300 + 3 * 600) / 4
    yearly = [p.timeliness.a1.average for p in result.agency.years if p.timeliness.a1.children]
    assert window.average != sum(yearly) / len(yearly)


def test_thresholds_are_configurable_and_met_when_the_rounded_average_is_within_them():
    child = adopted(
        care=date(2024, 1, 1),
        order=date(2024, 4, 1),
        matched=date(2024, 8, 1),
        placed=date(2024, 9, 1),
        adoption=date(2025, 4, 10),
    )
    days = (child.placed_on - child.entered_care_on).days
    a2_days = (child.matched_on - child.placement_order_on).days
    default = card([child]).agency.window.timeliness
    assert default.a1.meets(Thresholds().a1_days) == (days <= 426)
    strict = card([child], thresholds=Thresholds(a1_days=days - 1, a2_days=a2_days))
    assert strict.thresholds.a1_days == days - 1
    assert strict.agency.window.timeliness.a1.meets(strict.thresholds.a1_days) is False
    assert strict.agency.window.timeliness.a2.meets(strict.thresholds.a2_days) is True
    assert sc.Indicator().meets(100) is None


def test_each_council_adds_up_to_the_agency():
    children = [
        adopted(
            KNOWSLEY,
            care=date(2023, 1, 1),
            order=date(2023, 9, 1),
            matched=date(2024, 1, 1),
            placed=date(2024, 2, 1),
            adoption=date(2025, 5, 1),
        ),
        adopted(
            LIVERPOOL,
            care=date(2023, 2, 1),
            order=date(2023, 10, 1),
            matched=date(2024, 3, 1),
            placed=date(2024, 4, 1),
            adoption=date(2025, 6, 1),
        ),
        adopted(
            LIVERPOOL,
            care=date(2023, 3, 1),
            order=date(2023, 11, 1),
            matched=date(2024, 5, 1),
            placed=date(2024, 6, 1),
            adoption=date(2025, 7, 1),
        ),
    ]
    result = card(children)
    for name in sc.INDICATORS:
        agency = result.agency.window.timeliness.indicator(name)
        councils = [g.window.timeliness.indicator(name) for g in result.councils]
        assert agency.children == sum(i.children for i in councils) == 3
        assert agency.total_days == sum(i.total_days for i in councils)
    assert [g.name for g in result.groups] == ["Knowsley", "Liverpool", sc.AGENCY_NAME]


# ----------------------------------------------------------------------------------------------
# The rest of the scorecard's counts
# ----------------------------------------------------------------------------------------------


def test_children_waiting_are_counted_at_the_end_of_the_year_with_their_long_waits():
    year_end = date(2025, 3, 31)
    t = Thresholds()
    recent = ChildRecord(
        council=KNOWSLEY,
        date_of_birth=date(2022, 1, 1),
        entered_care_on=date(2023, 1, 1),
        should_be_placed_on=date(2024, 6, 1),
        placement_order_on=year_end - timedelta(days=30),
    )
    over_90 = replace_order(recent, year_end - timedelta(days=t.waiting_days + 1))
    over_18_months = replace_order(recent, date(2023, 9, 1))
    placed_later = replace_order(recent, date(2024, 5, 1), placed_on=date(2025, 5, 1), matched_on=date(2025, 4, 1))
    placed_before = replace_order(recent, date(2024, 5, 1), placed_on=date(2025, 3, 1), matched_on=date(2025, 2, 1))
    activity = year_figures(
        card([recent, over_90, over_18_months, placed_later, placed_before], year=2024), 2024
    ).activity
    assert activity.children_waiting == 4  # all but the one placed before the year's end
    assert activity.waiting_over_days == 3  # over_90, over_18_months, placed_later (ordered 1 May 2024)
    assert activity.waiting_over_months == 1


def replace_order(child: ChildRecord, order: date, **changes) -> ChildRecord:
    from dataclasses import replace

    return replace(child, placement_order_on=order, **changes)


def test_flows_in_the_year_decisions_orders_enquiries_and_approvals():
    children = [
        ChildRecord(
            council=KNOWSLEY,
            date_of_birth=date(2023, 1, 1),
            entered_care_on=date(2023, 2, 1),
            should_be_placed_on=date(2025, 4, 1),
            placement_order_on=date(2025, 9, 1),
        ),
        ChildRecord(
            council=KNOWSLEY,
            date_of_birth=date(2023, 1, 1),
            entered_care_on=date(2023, 2, 1),
            should_be_placed_on=date(2025, 3, 31),
        ),
    ]
    households = [
        HouseholdRecord(KNOWSLEY, enquiry_on=date(2025, 4, 2), approved_on=date(2025, 12, 1)),
        HouseholdRecord(KNOWSLEY, enquiry_on=date(2024, 4, 2), approved_on=date(2025, 1, 1)),
    ]
    activity = year_figures(card(children, households), 2025).activity
    assert (activity.adm_decisions, activity.placement_orders) == (1, 1)
    assert (activity.enquiries, activity.approvals) == (1, 1)


def test_households_wait_from_approval_until_a_child_is_matched_and_again_after_a_disruption():
    approved = date(2024, 6, 1)
    matched, disrupted = date(2024, 9, 1), date(2025, 2, 1)
    household = HouseholdRecord(
        LIVERPOOL, enquiry_on=date(2023, 6, 1), approved_on=approved, placements=((matched, disrupted),)
    )
    assert sc.household_waiting(household, approved)
    assert not sc.household_waiting(household, matched)
    assert sc.household_waiting(household, disrupted)
    t = Thresholds()
    end = date(2025, 3, 31)
    activity = year_figures(card([], [household], year=2024), 2024).activity
    assert activity.households_waiting == 1
    assert activity.households_waiting_long == int(end > sc.add_months(approved, t.household_wait_months))
    closed = HouseholdRecord(LIVERPOOL, approved_on=approved, closed_on=date(2024, 8, 1))
    assert not sc.household_waiting(closed, end)


def test_breakdowns_by_age_ethnic_group_disability_and_siblings_add_up_to_the_window():
    older = adopted(
        care=date(2023, 1, 1),
        order=date(2023, 9, 1),
        matched=date(2024, 1, 1),
        placed=date(2024, 2, 1),
        adoption=date(2025, 5, 1),
        ethnicity="BAFR",
        disability=True,
        sibling_group_size=3,
    )
    older = replace_dob(older, date(2016, 1, 1))
    baby = adopted(
        care=date(2024, 1, 1),
        order=date(2024, 6, 1),
        matched=date(2024, 8, 1),
        placed=date(2024, 9, 1),
        adoption=date(2025, 6, 1),
        ethnicity="NOBT",
    )
    baby = replace_dob(baby, date(2023, 12, 20))
    result = card([older, baby])
    rows = {(r.dimension, r.category): r.timeliness for r in result.agency.breakdowns}
    assert rows[("Age band", "5 to 9")].a1.total_days == sc.a1_days(older)
    assert rows[("Age band", "Under 1")].a1.total_days == sc.a1_days(baby)
    assert rows[("Ethnic group", "Black or Black British")].a1.children == 1
    assert rows[("Ethnic group", "Not known")].a1.children == 1
    assert rows[("Disability", "Disabled")].a2.children == 1
    assert rows[("Sibling group", "Sibling group of 3 or more")].a10.children == 1
    for dimension in sc.BREAKDOWNS:
        assert (
            sum(t.a1.children for (d, _), t in rows.items() if d == dimension)
            == result.agency.window.timeliness.a1.children
        )


def replace_dob(child: ChildRecord, born: date) -> ChildRecord:
    from dataclasses import replace

    return replace(child, date_of_birth=born)


# ----------------------------------------------------------------------------------------------
# The board's figures
# ----------------------------------------------------------------------------------------------


def test_board_quarters_waits_and_hard_to_place_children():
    as_of = date(2026, 5, 20)
    waiting_old = ChildRecord(
        council=KNOWSLEY,
        date_of_birth=date(2018, 1, 1),
        entered_care_on=date(2024, 1, 1),
        should_be_placed_on=date(2024, 3, 1),
        placement_order_on=date(2024, 6, 1),
        ethnicity="MWBC",
        sibling_group_size=2,
    )
    waiting_new = ChildRecord(
        council=LIVERPOOL,
        date_of_birth=date(2025, 1, 1),
        entered_care_on=date(2025, 2, 1),
        should_be_placed_on=date(2025, 8, 1),
        placement_order_on=date(2026, 4, 2),
    )
    adopted_q = adopted(
        LIVERPOOL,
        care=date(2024, 1, 1),
        order=date(2024, 6, 1),
        matched=date(2024, 9, 1),
        placed=date(2024, 10, 1),
        adoption=date(2026, 1, 15),
    )
    board = sc.compute_board([waiting_old, waiting_new, adopted_q], [], as_of=as_of, councils=COUNCILS, quarters=4)
    assert [q.label for q in board.quarters] == ["2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2026-27 Q1"]
    agency = board.agency
    assert [q.adoptions for q in agency.quarters] == [0, 0, 1, 0]
    assert agency.quarters[2].a10.total_days == sc.a10_days(adopted_q)
    assert [q.children_waiting for q in agency.quarters] == [1, 1, 1, 2]
    assert agency.quarters[-1].counted_on == as_of
    assert agency.waiting.children == 2
    assert (
        agency.waiting.total_days
        == (as_of - waiting_old.placement_order_on).days + (as_of - waiting_new.placement_order_on).days
    )
    assert agency.wait_bands[sc.WAIT_BANDS.index("Under 3 months")] == 1
    assert agency.wait_bands[sc.WAIT_BANDS.index("Over 18 months")] == 1
    older, minority, disabled, siblings, any_of = agency.hard_to_place
    assert (older.children, minority.children, disabled.children, siblings.children, any_of.children) == (1, 1, 0, 1, 1)
    assert sum(g.waiting.children for g in board.councils) == agency.waiting.children


@pytest.mark.parametrize(
    "order,on,band",
    [
        (date(2025, 1, 1), date(2025, 4, 1), "Under 3 months"),
        (date(2025, 1, 1), date(2025, 4, 2), "3 to 6 months"),
        (date(2025, 1, 1), date(2026, 7, 2), "Over 18 months"),
    ],
)
def test_wait_bands_are_calendar_months_since_the_order(order, on, band):
    assert sc.wait_band(order, on) == band


def test_as_dict_gives_every_indicator_with_its_threshold():
    child = adopted(
        care=date(2024, 1, 1),
        order=date(2024, 4, 1),
        matched=date(2024, 8, 1),
        placed=date(2024, 9, 1),
        adoption=date(2025, 4, 10),
    )
    data = as_dict(ScorecardOutput(card([child]), suppress=False))
    agency = data["groups"][-1]
    assert agency["council"] is None
    assert agency["window"]["a1"]["total_days"] == sc.a1_days(child)
    assert agency["window"]["a2"]["threshold_days"] == 121
