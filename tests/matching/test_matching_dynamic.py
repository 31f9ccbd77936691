"""The engine's dynamic policy (openraa.matching.engine.dynamic): never an infeasible pair, one to
one, every pair explainable by its fit, and the terms weigh scarcity, waiting and ageing as stated."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from openraa.matching.engine import Household, HouseholdPool, Settings, Unit, Weights, dynamic, explain
from tests.matching.test_matching_engine import PROPERTY, _check_assignment, pools


@PROPERTY
@given(pools(), st.booleans())
def test_the_dynamic_policy_never_suggests_an_infeasible_pair_and_is_one_to_one(pool_data, with_outlook):
    units, households, engine_settings = pool_data
    pool = HouseholdPool(households)
    outlook = dynamic.Outlook(households, 12.0, units, 20.0, engine_settings) if with_outlook and households else None
    chosen = dynamic.assign(units, pool, Weights(), engine_settings, outlook=outlook)
    _check_assignment(chosen, units, households, engine_settings)
    for pair in chosen.pairs:
        assert pair.value > 0
        # The pair's points are its fit, as the explanation adds them up factor by factor.
        unit = next(u for u in units if u.id == pair.unit_id)
        (candidate,) = explain(unit, pool, [pool.position[pair.household_id]], Weights(), engine_settings)
        assert abs(candidate.points - pair.points) < 0.05


@PROPERTY
@given(pools(), st.data())
def test_excluded_pairs_are_never_suggested(pool_data, data):
    units, households, engine_settings = pool_data
    pool = HouseholdPool(households)
    first = dynamic.assign(units, pool, Weights(), engine_settings)
    exclude = {(p.unit_id, p.household_id) for p in first.pairs if data.draw(st.booleans())}
    again = dynamic.assign(units, pool, Weights(), engine_settings, exclude=exclude)
    assert not exclude & {(p.unit_id, p.household_id) for p in again.pairs}
    _check_assignment(again, units, households, engine_settings)


def _flexible(i: int, **kw) -> Household:
    return Household(id=f"H{i}", approved_children=2, age_min=0, age_max=9, sibling_group_open=True, **kw)


def test_a_household_only_a_sibling_group_can_use_goes_to_the_group_not_to_the_child_others_can_take():
    group = Unit(id="group", ages=[3, 6], days_waiting=10)
    toddler = Unit(id="toddler", ages=[1], days_waiting=300)
    homes = [_flexible(1), Household(id="H2", age_min=0, age_max=2)]
    chosen = dynamic.assign([group, toddler], HouseholdPool(homes))
    assert {(p.unit_id, p.household_id) for p in chosen.pairs} == {("group", "H1"), ("toddler", "H2")}


def test_a_scarce_unit_takes_the_contested_household_from_one_with_options_ahead():
    # One free household both could take; the history shows many households that take toddlers,
    # none that takes a child of 7: the scarce unit has it, though the toddler has waited longer.
    older = Unit(id="older", ages=[7], days_waiting=30)
    toddler = Unit(id="toddler", ages=[1], days_waiting=90)
    history = [Household(id=f"P{i}", age_min=0, age_max=3) for i in range(10)]
    outlook = dynamic.Outlook(history, 20.0, [older, toddler], 10.0)
    chosen = dynamic.assign([older, toddler], HouseholdPool([_flexible(1)]), outlook=outlook)
    assert [p.unit_id for p in chosen.pairs] == ["older"]
    # Without scarcity, the longer wait wins.
    plain = dynamic.Dynamic(scarcity=0.0, spend=0.0, ageing=0.0)
    chosen = dynamic.assign([older, toddler], HouseholdPool([_flexible(1)]), dynamic=plain, outlook=outlook)
    assert [p.unit_id for p in chosen.pairs] == ["toddler"]


def test_a_unit_about_to_age_out_of_its_options_is_seen_as_losing_them():
    history = [Household(id=f"P{i}", age_min=0, age_max=4) for i in range(8)] + [Household(id="P9", age_max=9)]
    outlook = dynamic.Outlook(history, 18.0, [], 0.0)
    soon = Unit(id="soon", ages=[4], next_birthday_days=20)
    later = Unit(id="later", ages=[4], next_birthday_days=300)
    units = [soon, later]
    pool = HouseholdPool([_flexible(1)])
    from openraa.matching.engine import UnitArrays

    encoded = UnitArrays(units, pool, Weights(), Settings())
    ok = np.ones((2, 1), dtype=bool)
    terms = dynamic.terms(encoded, pool, ok, dynamic.Dynamic(), outlook)
    assert terms.unit_ageing[0] > 0.8 and terms.unit_ageing[1] == 0
    value, _, _, _ = dynamic.values(encoded, pool, outlook=outlook)
    assert value[0, 0] > value[1, 0]


def test_scarcity_falls_as_options_rise_and_demand_stays_below_one():
    history = [Household(id=f"P{i}", age_min=0, age_max=3 + i) for i in range(10)]
    children = [Unit(id=f"R{i}", ages=[i]) for i in range(8)]
    outlook = dynamic.Outlook(history, 10.0, children, 10.0)
    expected = outlook.expected_households([Unit(id="a", ages=[1]), Unit(id="b", ages=[8])])
    assert expected[0] > expected[1] > 0
    demand = outlook.scarce_demand([Household(id="x", age_max=2), Household(id="y", age_max=9)])
    assert demand[1] > demand[0] > 0
