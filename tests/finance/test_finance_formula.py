"""The demand-led formula without a database: worked examples, and properties over random activity
and budgets: contributions always add up to the budget to the penny, no council is charged for
another council's children, the cap holds, the transition moves from historic budgets."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openraa.finance.formula import MEASURES, Formula, contributions

D = Decimal
COUNCILS = ["Bexley", "Kent", "Medway"]


def test_placement_orders_share_the_budget_by_each_councils_own_orders():
    activity = {
        2017: {"Kent": {"placement_orders": 6}, "Bexley": {"placement_orders": 2}},
        2018: {"Kent": {"placement_orders": 9}, "Medway": {"placement_orders": 3}, "Bexley": {"placement_orders": 1}},
        2019: {"Kent": {"placement_orders": 6}, "Medway": {"placement_orders": 3}},
    }
    result = contributions(
        Formula("Placement orders", {"placement_orders": 1}), D("3000000.00"), COUNCILS, activity, 2020
    )
    # Averages 1, 7 and 2 a year: 10%, 70%, 20%.
    assert result.amounts() == {"Bexley": D("300000.00"), "Kent": D("2100000.00"), "Medway": D("600000.00")}
    assert result.years == (2017, 2018, 2019) and result.total == D("3000000.00")


def test_weights_combine_each_measures_shares_not_raw_counts():
    activity = {
        2019: {
            "A": {"placement_orders": 1, "households_approved": 30},
            "B": {"placement_orders": 3, "households_approved": 10},
        }
    }
    formula = Formula("Half and half", {"placement_orders": 1, "households_approved": 1}, years_averaged=1)
    result = contributions(formula, D("1000.00"), ["A", "B"], activity, 2020)
    # A: (1/4 + 3/4) / 2 = 1/2; B the same.
    assert result.amounts() == {"A": D("500.00"), "B": D("500.00")}


def test_a_measure_nobody_recorded_is_left_out_and_said_so():
    activity = {2019: {"A": {"adoption_orders": 1}, "B": {"adoption_orders": 3}}}
    formula = Formula("Both", {"placement_orders": 1, "adoption_orders": 1}, years_averaged=1)
    result = contributions(formula, D("100.00"), ["A", "B"], activity, 2020)
    assert result.amounts() == {"A": D("25.00"), "B": D("75.00")}
    assert any("No placement orders" in note for note in result.notes)


def test_the_transition_blends_historic_budgets_into_the_formula():
    activity = {y: {"A": {"placement_orders": 1}, "B": {"placement_orders": 3}} for y in (2018, 2019, 2020, 2021)}
    historic = {"A": D("600.00"), "B": D("400.00")}
    formula = Formula(
        "Moving", {"placement_orders": 1}, years_averaged=1, transition_first_year=2021, transition_years=2
    )
    assert contributions(formula, D("1000.00"), ["A", "B"], activity, 2020, historic).amounts() == {
        "A": D("600.00"),
        "B": D("400.00"),
    }
    assert contributions(formula, D("1000.00"), ["A", "B"], activity, 2021, historic).amounts() == {
        "A": D("425.00"),
        "B": D("575.00"),
    }
    assert contributions(formula, D("1000.00"), ["A", "B"], activity, 2022, historic).amounts() == {
        "A": D("250.00"),
        "B": D("750.00"),
    }


def test_the_cap_holds_each_council_near_last_year_and_the_others_take_up_the_rest():
    activity = {2019: {"A": {"placement_orders": 1}, "B": {"placement_orders": 1}, "C": {"placement_orders": 8}}}
    previous = {"A": D("300000.00"), "B": D("300000.00"), "C": D("400000.00")}
    formula = Formula("Capped", {"placement_orders": 1}, years_averaged=1, cap=D("0.10"))
    result = contributions(formula, D("1000000.00"), ["A", "B", "C"], activity, 2020, previous=previous)
    # The formula alone says 100k, 100k, 800k. C may rise at most 10% (to 440k); A and B share the
    # rest (280k each, inside their 270k-330k band).
    assert result.amounts() == {"A": D("280000.00"), "B": D("280000.00"), "C": D("440000.00")}
    assert {r.council: r.held_at for r in result.rows} == {"A": "", "B": "", "C": "ceiling"}
    uncapped = contributions(
        Formula("Free", {"placement_orders": 1}, years_averaged=1), D("1000000.00"), ["A", "B", "C"], activity, 2020
    )
    assert uncapped.amounts()["C"] == D("800000.00")


def test_the_cap_holds_when_every_council_is_held_and_when_rounding_splits_a_penny():
    """Issue 19 asked whether the cap can be broken "when every council is capped, or with rounding".
    It cannot: the capped amounts lie in [base x (1 - cap), base x (1 + cap)] exactly (the bases are
    scaled to add up to the budget, so the bands always contain it) and rounding moves each by
    under a penny. These are the edge cases, fixed, so they never depend on hypothesis finding them."""
    activity = {2019: {"A": {"placement_orders": 0}, "B": {"placement_orders": 0}, "C": {"placement_orders": 9}}}
    previous = {"A": D("100.00"), "B": D("100.00"), "C": D("100.00")}
    # A cap of nothing: every council is held at last year's share, whatever the formula says.
    frozen = contributions(
        Formula("Frozen", {"placement_orders": 1}, years_averaged=1, cap=D("0")),
        D("100.00"),
        ["A", "B", "C"],
        activity,
        2020,
        previous=previous,
    )
    assert sorted(frozen.amounts().values()) == [D("33.33"), D("33.33"), D("33.34")]
    assert sum(frozen.amounts().values()) == D("100.00")
    # Every council at a limit: A and B at their floors, C at its ceiling, and still the budget.
    held = contributions(
        Formula("Held", {"placement_orders": 1}, years_averaged=1, cap=D("0.5")),
        D("300.00"),
        ["A", "B", "C"],
        {2019: {"A": {"placement_orders": 0}, "B": {"placement_orders": 0}, "C": {"placement_orders": 1}}},
        2020,
        previous={"A": D("100.00"), "B": D("100.00"), "C": D("200.00")},
    )
    # bases (scaled to 300): 75, 75, 150; A and B fall to 37.50, C may only rise to 225.
    assert held.amounts() == {"A": D("37.50"), "B": D("37.50"), "C": D("225.00")}
    assert [r.held_at for r in held.rows][:2] == ["floor", "floor"]


def test_no_property_depends_on_the_machines_speed():
    """The cap property "failed once in a full run of the suite on a busy machine and passed when run
    alone" (issue 19): hypothesis's 200 ms deadline per example, not the cap. tests/conftest.py loads
    a profile with no deadline and without the too-slow health check."""
    from hypothesis import HealthCheck

    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


def test_without_last_years_contributions_the_cap_is_not_applied_and_the_page_is_told():
    activity = {2019: {"A": {"placement_orders": 1}, "B": {"placement_orders": 3}}}
    result = contributions(
        Formula("Capped", {"placement_orders": 1}, 1, cap=D("0.05")), D("100.00"), ["A", "B"], activity, 2020
    )
    assert result.amounts() == {"A": D("25.00"), "B": D("75.00")}
    assert any("cap" in note for note in result.notes)


def test_a_formula_refuses_nonsense():
    with pytest.raises(ValueError):
        Formula("None weighted", {"placement_orders": 0})
    with pytest.raises(ValueError):
        Formula("Unknown", {"foster_carers": 1})
    with pytest.raises(ValueError):
        Formula("Negative", {"placement_orders": -1})
    with pytest.raises(ValueError):
        Formula("Cap", {"placement_orders": 1}, cap=D("1.5"))
    with pytest.raises(ValueError):
        contributions(Formula("F", {"placement_orders": 1}), D("-1.00"), ["A"], {}, 2020)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

council_names = st.lists(
    st.sampled_from(["Bexley", "Kent", "Medway", "Knowsley", "Liverpool", "Sefton", "Wirral"]),
    min_size=1,
    max_size=7,
    unique=True,
)
budgets = st.integers(min_value=0, max_value=10**10).map(lambda p: D(p) / 100)
counts = st.integers(min_value=0, max_value=60)
caps = st.integers(min_value=0, max_value=50).map(lambda p: D(p) / 100)


def formula_strategy(cap=st.one_of(st.none(), caps)):
    return st.builds(
        Formula,
        name=st.just("F"),
        weights=st.dictionaries(
            st.sampled_from(list(MEASURES)), st.integers(min_value=0, max_value=5), min_size=1
        ).filter(lambda w: any(v > 0 for v in w.values())),
        years_averaged=st.integers(min_value=1, max_value=4),
        cap=cap,
        transition_first_year=st.one_of(st.none(), st.integers(min_value=2018, max_value=2022)),
        transition_years=st.integers(min_value=1, max_value=4),
    )


formulas = formula_strategy()
capped_formulas = formula_strategy(caps)  # generated capped, not filtered: filtering most away trips hypothesis


@st.composite
def scenarios(draw, with_previous: bool = False):
    councils = draw(council_names)
    activity = {year: {c: {m: draw(counts) for m in MEASURES} for c in councils} for year in range(2015, 2020)}
    last_year = st.fixed_dictionaries(
        {c: st.integers(min_value=1, max_value=10**9).map(lambda p: D(p) / 100) for c in councils}
    )
    previous = draw(last_year if with_previous else st.one_of(st.none(), last_year))
    historic = draw(
        st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {c: st.integers(min_value=0, max_value=10**9).map(lambda p: D(p) / 100) for c in councils}
            ),
        )
    )
    return councils, activity, previous, historic


@settings(max_examples=300)
@given(formula=formulas, budget=budgets, scenario=scenarios())
def test_contributions_always_add_up_to_the_budget_to_the_penny(formula, budget, scenario):
    councils, activity, previous, historic = scenario
    result = contributions(formula, budget, councils, activity, 2020, historic, previous)
    assert sum(result.amounts().values()) == budget
    for row in result.rows:
        assert row.amount >= 0 and row.amount == row.amount.quantize(D("0.01"))
        assert abs(Fraction(row.amount) - row.capped) < Fraction(1, 100)  # rounded once, by under a penny


@settings(max_examples=300)
@given(formula=capped_formulas, budget=budgets, scenario=scenarios(with_previous=True))
def test_the_cap_holds_within_a_penny_whenever_it_applies(formula, budget, scenario):
    councils, activity, previous, historic = scenario
    result = contributions(formula, budget, councils, activity, 2020, historic, previous)
    scale = Fraction(budget) / sum(Fraction(v) for v in previous.values())
    cap = Fraction(formula.cap)
    for row in result.rows:
        base = Fraction(previous[row.council]) * scale
        assert base * (1 - cap) - Fraction(1, 100) <= Fraction(row.amount) <= base * (1 + cap) + Fraction(1, 100)


@settings(max_examples=300)
@given(
    weights=st.dictionaries(st.sampled_from(list(MEASURES)), st.integers(1, 5), min_size=1),
    budget=budgets.filter(lambda b: b > 0),
    scenario=scenarios(),
    idle=st.sampled_from(["Idle council"]),
)
def test_a_council_with_no_children_of_its_own_pays_nothing(weights, budget, scenario, idle):
    """A formula never charges a council for another council's children: a council with none of the
    activity the formula weights pays nothing, whatever the other councils did."""
    councils, activity, _, _ = scenario
    assume(any(activity[y][c][m] for y in (2017, 2018, 2019) for c in councils for m in weights))  # the years averaged
    activity = {y: {**by_council, idle: dict.fromkeys(MEASURES, 0)} for y, by_council in activity.items()}
    result = contributions(Formula("F", weights, years_averaged=3), budget, [*councils, idle], activity, 2020)
    assert result.amounts()[idle] == D("0.00")
    assert result.total == budget


@settings(max_examples=300)
@given(
    weights=st.dictionaries(st.sampled_from(list(MEASURES)), st.integers(1, 5), min_size=1),
    budget=budgets.filter(lambda b: b > 0),
    scenario=scenarios(),
    extra=st.integers(1, 20),
    measure=st.sampled_from(list(MEASURES)),
)
def test_more_children_in_one_council_never_raise_another_councils_contribution(
    weights, budget, scenario, extra, measure
):
    councils, activity, _, _ = scenario
    assume(len(councils) >= 2)
    formula = Formula("F", weights, years_averaged=2)
    before = contributions(formula, budget, councils, activity, 2020)
    busier = {y: {c: dict(m) for c, m in by_council.items()} for y, by_council in activity.items()}
    busier[2019][councils[0]][measure] += extra
    after = contributions(formula, budget, councils, busier, 2020)
    for old, new in zip(before.rows[1:], after.rows[1:], strict=True):
        assert new.formula_amount <= old.formula_amount  # exact: the other councils pay no more
        assert new.amount <= old.amount + D("0.01")  # and at most a rounding penny after rounding
