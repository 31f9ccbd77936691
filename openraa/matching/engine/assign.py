"""Region-wide suggestion: the one-to-one assignment of units to households with the greatest total
value, beside first come, first served.

A pair's value is priority x (placement + score) and is only ever positive, so "leave a unit
unplaced" is the same as "give it a pair worth 0": the dense path gives scipy's
linear_sum_assignment the whole matrix with 0 for forbidden pairs and drops any forbidden pair it
returns. The sparse path keeps only the best k households per unit (after blocking on distance)
and solves with OR-Tools' linear sum assignment, which needs a perfect matching: each unit and
household gets a zero-cost "stay unmatched" partner (see _solve_sparse).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import core
from .model import Assignment, Pair, Settings, Suggestion, Unit, Weights

DEFAULT_WEIGHTS = Weights()
DEFAULT_SETTINGS = Settings()
# Pairs evaluated at once: bounds the temporary arrays to a few tens of MB whatever the pool size.
BLOCK_PAIRS = 1 << 20
VALUE_SCALE = 1000  # OR-Tools takes integer costs: values to a thousandth of a point


def value_matrix(units: core.UnitArrays, pool: core.HouseholdPool, weights: Weights = DEFAULT_WEIGHTS,
                 settings: Settings = DEFAULT_SETTINGS) -> tuple[np.ndarray, np.ndarray]:
    """(value, ok), both units x households: value is 0 where ok is False. Built in row blocks."""
    n, m = len(units), len(pool)
    value = np.zeros((n, m), dtype=np.float64)
    ok = np.zeros((n, m), dtype=bool)
    everyone = pool.columns()
    step = max(1, BLOCK_PAIRS // max(m, 1))
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        block = core.evaluate(units.rows(rows), everyone, weights, settings)
        value[rows], ok[rows] = block.value, block.ok
    return value, ok


def _pairs(units: core.UnitArrays, pool: core.HouseholdPool, rows: np.ndarray, cols: np.ndarray,
           values: np.ndarray, weights: Weights, method: str) -> Assignment:
    pairs = [Pair(units.units[r].id, pool.ids[c], round(float(v / units.priority[r] - weights.placement), 6),
                  float(v)) for r, c, v in zip(rows.tolist(), cols.tolist(), values)]
    return Assignment(tuple(pairs), method)


def optimal_dense(units: core.UnitArrays, pool: core.HouseholdPool, value: np.ndarray, ok: np.ndarray,
                  weights: Weights = DEFAULT_WEIGHTS) -> Assignment:
    rows, cols = linear_sum_assignment(value, maximize=True)
    keep = ok[rows, cols]
    rows, cols = rows[keep], cols[keep]
    return _pairs(units, pool, rows, cols, value[rows, cols], weights, "optimal (dense)")


def greedy(units: core.UnitArrays, pool: core.HouseholdPool, value: np.ndarray, ok: np.ndarray,
           weights: Weights = DEFAULT_WEIGHTS) -> Assignment:
    """First come, first served: longest-waiting unit first (the earliest placement order; ties in
    the order given), each taking its best-scoring household still free."""
    order = np.lexsort((np.arange(len(units)), -units.days))
    free = np.ones(len(pool), dtype=bool)
    rows, cols = [], []
    for r in order:
        row = np.where(ok[r] & free, value[r], -np.inf)
        c = int(np.argmax(row)) if len(row) else 0
        if len(row) and row[c] > -np.inf:
            free[c] = False
            rows.append(r)
            cols.append(c)
    rows_a, cols_a = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    return _pairs(units, pool, rows_a, cols_a, value[rows_a, cols_a], weights, "first come, first served")


def suggest(units: Sequence[Unit], pool: core.HouseholdPool, weights: Weights = DEFAULT_WEIGHTS,
            settings: Settings = DEFAULT_SETTINGS) -> Suggestion:
    """The optimal assignment beside the greedy one: how many more units get a viable household."""
    encoded = core.UnitArrays(units, pool, weights, settings)
    value, ok = value_matrix(encoded, pool, weights, settings)
    best = optimal_dense(encoded, pool, value, ok, weights)
    first_come = greedy(encoded, pool, value, ok, weights)
    return _compare(encoded, best, first_come, ok.any(axis=1))


def _compare(units: core.UnitArrays, best: Assignment, first_come: Assignment, viable: np.ndarray) -> Suggestion:
    order = [u.id for u in units.units]
    return Suggestion(
        optimal=best, greedy=first_come,
        more_placed=len(best.placed) - len(first_come.placed),
        extra_units=tuple(i for i in order if i in best.placed - first_come.placed),
        missed_units=tuple(i for i in order if i in first_come.placed - best.placed),
        no_viable_household=tuple(u.id for u, v in zip(units.units, viable) if not v),
    )


# ---- the sparse path -------------------------------------------------------------------------

def candidates(units: core.UnitArrays, pool: core.HouseholdPool, k: int = 20, weights: Weights = DEFAULT_WEIGHTS,
               settings: Settings = DEFAULT_SETTINGS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best k feasible households per unit as (rows, cols, values).

    With a maximum distance set, units and households are put in square cells that size: a unit's
    households can only be in its own cell or the 8 around it, so the rest are never evaluated.
    Units or households without a location cannot be blocked that way and meet everyone.
    """
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def take_best(rows: np.ndarray, cols: np.ndarray | None) -> None:
        width = len(pool) if cols is None else len(cols)
        if not len(rows) or not width:
            return
        step = max(1, BLOCK_PAIRS // width)
        h = pool.columns(cols)
        for start in range(0, len(rows), step):
            chunk = rows[start:start + step]
            block = core.evaluate(units.rows(chunk), h, weights, settings)
            value = np.where(block.ok, block.value, -np.inf)
            if width > k:
                top = np.argpartition(-value, k - 1, axis=1)[:, :k]
            else:
                top = np.broadcast_to(np.arange(width), (len(chunk), width))
            best = np.take_along_axis(value, top, axis=1)
            keep = best > -np.inf
            r = np.broadcast_to(chunk[:, None], top.shape)[keep]
            c = top[keep] if cols is None else cols[top[keep]]
            found.append((r, c, best[keep]))

    everyone = np.arange(len(units))
    radius = settings.max_distance_km
    if radius is None:
        take_best(everyone, None)
    else:
        placed = ~np.isnan(units.x)
        take_best(everyone[~placed], None)
        h_known = ~np.isnan(pool.x)
        h_everywhere = np.flatnonzero(~h_known)
        h_cells: dict[tuple[int, int], np.ndarray] = _cells(pool.x, pool.y, np.flatnonzero(h_known), radius)
        for (cx, cy), rows in _cells(units.x, units.y, everyone[placed], radius).items():
            near = [h_cells[(cx + dx, cy + dy)] for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (cx + dx, cy + dy) in h_cells]
            take_best(rows, np.sort(np.concatenate([*near, h_everywhere])))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    rows, cols, values = (np.concatenate(parts) for parts in zip(*found))
    return rows.astype(np.int64), cols.astype(np.int64), values


def _cells(x: np.ndarray, y: np.ndarray, index: np.ndarray, size: float) -> dict[tuple[int, int], np.ndarray]:
    if not len(index):
        return {}
    cx = np.floor(x[index] / size).astype(np.int64)
    cy = np.floor(y[index] / size).astype(np.int64)
    order = np.lexsort((cy, cx))
    cx, cy, index = cx[order], cy[order], index[order]
    starts = np.flatnonzero(np.r_[True, (np.diff(cx) != 0) | (np.diff(cy) != 0)])
    ends = np.r_[starts[1:], len(index)]
    return {(int(cx[s]), int(cy[s])): index[s:e] for s, e in zip(starts, ends)}


def _solve_sparse(n: int, m: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The maximum-value matching on the candidate arcs, as a boolean mask over them.

    OR-Tools solves min-cost *perfect* matchings, so the graph is doubled: left nodes are the units
    and a copy of each household, right nodes the households and a copy of each unit. Unit u's
    "unmatched" arc goes to its own copy and household h's comes from its own copy, both free; each
    candidate arc (u, h) has a mirror (copy of h, copy of u), also free. A matching that uses (u, h)
    completes with the mirror, any unmatched node with its own copy, so every matching of the
    original graph is a perfect matching of the doubled one with the same cost, and vice versa.
    """
    from ortools.graph.python import linear_sum_assignment as ortools_lsa

    solver = ortools_lsa.SimpleLinearSumAssignment()
    e = len(rows)
    left = np.concatenate([rows, n + cols, np.arange(n), n + np.arange(m)]).astype(np.int32)
    right = np.concatenate([cols, m + rows, m + np.arange(n), np.arange(m)]).astype(np.int32)
    cost = np.zeros(2 * e + n + m, dtype=np.int64)
    cost[:e] = -np.rint(values * VALUE_SCALE).astype(np.int64)
    solver.add_arcs_with_cost(left, right, cost)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"OR-Tools linear sum assignment failed: {status}")
    mate = np.fromiter((solver.right_mate(u) for u in range(n)), dtype=np.int64, count=n)
    return mate[rows] == cols


def optimal_sparse(units: Sequence[Unit], pool: core.HouseholdPool, k: int = 20, weights: Weights = DEFAULT_WEIGHTS,
                   settings: Settings = DEFAULT_SETTINGS) -> Assignment:
    """The assignment over each unit's best k households: near the dense optimum, at a fraction of
    the memory and time, for pools too big for a full matrix."""
    encoded = core.UnitArrays(units, pool, weights, settings)
    rows, cols, values = candidates(encoded, pool, k, weights, settings)
    chosen = _solve_sparse(len(encoded), len(pool), rows, cols, values)
    return _pairs(encoded, pool, rows[chosen], cols[chosen], values[chosen], weights, f"optimal over the best {k} (sparse)")
