"""The exact region-wide optimum (openraa.matching.engine.assign.exact_matching): on random value
matrices it finds the same integer optimum as scipy's dense solver, every pair it returns is
feasible and one-to-one, and the dual certificate it returns proves it over every pair."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import linear_sum_assignment

from openraa.benchmarks import matching as bench
from openraa.matching.engine import (
    HouseholdPool,
    Settings,
    UnitArrays,
    Weights,
    assign,
    exact_matching,
    integer_weights,
)

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw):
    """(value, ok, start, add): up to 40 x 40, either side possibly empty. Values are few distinct
    multiples of a quarter (many ties) or any in [0, 600], including 0 on feasible pairs; the masks
    range from all forbidden to all feasible, with whole rows and columns forbidden."""
    n, m = draw(st.integers(1, 40)), draw(st.integers(1, 40))
    empty = draw(st.sampled_from([None] * 8 + ["units", "households"]))
    n, m = (0 if empty == "units" else n), (0 if empty == "households" else m)
    if draw(st.booleans()):
        value = draw(hnp.arrays(np.int64, (n, m), elements=st.integers(0, 6))) / 4.0
    else:
        value = draw(hnp.arrays(np.float64, (n, m), elements=st.floats(0, 600, allow_nan=False)))
    density = draw(st.sampled_from([0.3, 0.7, 1.0, 0.1, 0.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    ok = rng.random((n, m)) < density
    if n and m and draw(st.booleans()):
        ok[rng.integers(0, n)] = False
        ok[:, rng.integers(0, m)] = False
    # Small lists, so the first solve usually misses pairs and pricing has to find them.
    return np.where(ok, value, 0.0), ok, draw(st.integers(1, 3)), draw(st.integers(1, 3))


def dense_integer_optimum(weight: np.ndarray, ok: np.ndarray) -> int:
    """The maximum integer weight of a matching, from scipy's dense solver (weights are >= 0, so a
    forbidden pair at 0 is the same as leaving both unmatched)."""
    rows, cols = linear_sum_assignment(np.where(ok, weight, 0), maximize=True)
    return int(np.where(ok, weight, 0)[rows, cols].sum())


def assert_proved(found, value: np.ndarray, ok: np.ndarray) -> None:
    weight = integer_weights(value)
    rows, cols = found.rows, found.cols
    assert ok[rows, cols].all(), "a forbidden pair"
    assert len(set(rows.tolist())) == len(rows) and len(set(cols.tolist())) == len(cols), "not one-to-one"
    assert found.total == weight[rows, cols].sum()
    u, v = found.unit_dual, found.household_dual
    assert u.shape == (ok.shape[0],) and v.shape == (ok.shape[1],)
    assert (u >= 0).all() and (v >= 0).all()
    assert (u[:, None] + v[None, :] >= np.where(ok, weight, 0)).all(), "the duals fail on a feasible pair"
    assert (u[rows] + v[cols] == weight[rows, cols]).all(), "a matched pair is not tight"
    unmatched_units = np.setdiff1d(np.arange(ok.shape[0]), rows)
    unmatched_households = np.setdiff1d(np.arange(ok.shape[1]), cols)
    assert not u[unmatched_units].any() and not v[unmatched_households].any()
    assert found.total == u.sum() + v.sum()


@PROPERTY
@given(instances())
def test_the_exact_optimum_equals_the_dense_one_and_is_proved(instance):
    value, ok, start, add = instance
    found = exact_matching(value, ok, start=start, add=add)
    assert_proved(found, value, ok)
    assert found.total == dense_integer_optimum(integer_weights(value), ok)
    assert found.rounds >= (1 if ok.any() else 0)
    # In values: both optima are within half a thousandth per pair of the integer one.
    rows, cols = linear_sum_assignment(value, maximize=True)
    keep = ok[rows, cols]
    dense_value, dense_pairs = value[rows, cols][keep].sum(), keep.sum()
    assert value[found.rows, found.cols].sum() == pytest.approx(
        dense_value, abs=0.0005 * (dense_pairs + len(found.rows)) + 1e-9
    )


def test_nothing_feasible_and_empty_sides():
    for shape in [(0, 0), (0, 5), (5, 0), (3, 4)]:
        found = exact_matching(np.zeros(shape), np.zeros(shape, dtype=bool))
        assert len(found.rows) == len(found.cols) == found.total == found.rounds == 0
        assert not found.unit_dual.any() and not found.household_dual.any()


def test_pricing_adds_the_pair_the_first_solve_left_out():
    # Each unit's best household is X. First come, first served gives X to unit 0 and Y to unit 1,
    # so the first solve has no pair of unit 0 with Y and finds 11; its duals fail on that pair,
    # and the second solve finds 18 (unit 0 with Y, unit 1 with X).
    value = np.array([[10.0, 9.0], [9.0, 1.0]])
    ok = np.ones((2, 2), dtype=bool)
    found = exact_matching(value, ok, start=1, add=1)
    assert sorted(zip(found.rows.tolist(), found.cols.tolist())) == [(0, 1), (1, 0)]
    assert found.total == 18_000 and found.rounds == 2 and found.arcs == 4
    assert_proved(found, value, ok)


def test_the_certificate_refuses_a_matching_that_is_not_optimal():
    # Unit 0 with household 1 and unit 1 left out: unit 0 with household 0 and unit 1 with household 1
    # weighs more, so no dual can hold.
    rows, cols = np.array([0, 0, 1]), np.array([0, 1, 1])
    weight = np.array([5, 4, 3])
    with pytest.raises(RuntimeError, match="not optimal"):
        assign._certificate(2, 2, rows, cols, weight, np.array([False, True, False]))
    u, v = assign._certificate(2, 2, rows, cols, weight, np.array([True, False, True]))
    assert (u[rows] + v[cols] >= weight).all() and u.sum() + v.sum() == 8


def test_start_and_add_must_be_positive():
    with pytest.raises(ValueError):
        exact_matching(np.ones((2, 2)), np.ones((2, 2), dtype=bool), start=0)
    with pytest.raises(ValueError):
        exact_matching(np.ones((2, 2)), np.ones((2, 2), dtype=bool), add=0)


def test_on_generated_region_data_exact_and_dense_agree():
    units, households = bench.generate(300, 300, bench.REGION, seed=7)
    pool = HouseholdPool(households)
    encoded = UnitArrays(units, pool, Weights(), Settings())
    value, ok = assign.value_matrix(encoded, pool)
    found = exact_matching(value, ok)
    assert_proved(found, value, ok)
    assert found.total == dense_integer_optimum(integer_weights(value), ok)
    exact = assign.optimal_exact(encoded, pool, value, ok)
    dense = assign.optimal_dense(encoded, pool, value, ok)
    assert exact.method == "optimal (exact)"
    assert len(exact.pairs) == len(dense.pairs)
    assert exact.value == pytest.approx(dense.value, abs=0.0005 * 2 * len(dense.pairs))
