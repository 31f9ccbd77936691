"""Region-wide suggestion: the one-to-one assignment of units to households with the greatest total
value, beside first come, first served.

A pair's value is priority x (placement + score) and is only ever positive, so "leave a unit
unplaced" is the same as "give it a pair worth 0": the dense path gives scipy's
linear_sum_assignment the matrix with 0 for forbidden pairs (less the units and households that
have no feasible pair at all) and drops any forbidden pair it returns. The exact path (what
suggest() uses) solves over a few candidate pairs per unit and proves the answer optimal over
every pair with a dual certificate, adding the pairs the certificate fails on until it holds (see
exact_matching). The sparse path keeps only each unit's best k households and each household's
best k units (after blocking on distance) and solves that as a min-cost flow with OR-Tools (see
_solve_sparse); it is not proved optimal.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

from . import core
from .model import Assignment, Pair, Settings, Suggestion, Unit, Weights

DEFAULT_WEIGHTS = Weights()
DEFAULT_SETTINGS = Settings()
# Pairs evaluated at once: bounds the temporary arrays to a few tens of MB whatever the pool size.
BLOCK_PAIRS = 1 << 20
VALUE_SCALE = 1000  # OR-Tools takes integer costs: values to a thousandth of a point


def value_matrix(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[np.ndarray, np.ndarray]:
    """(value, ok), both units x households: value is 0 where ok is False. Built in row blocks, over
    the households free to link only (the others fail a hard constraint with every unit)."""
    n, m = len(units), len(pool)
    value = np.zeros((n, m), dtype=np.float64)
    ok = np.zeros((n, m), dtype=bool)
    free = np.flatnonzero(pool.approved & ~pool.in_link)
    everyone = len(free) == m
    columns = pool.columns(None if everyone else free)
    step = max(1, BLOCK_PAIRS // max(len(free), 1))
    for start in range(0, n, step):
        rows = slice(start, min(n, start + step))
        block = core.evaluate(units.rows(rows), columns, weights, settings)
        if everyone:
            value[rows], ok[rows] = block.value, block.ok
        else:
            value[rows, free], ok[rows, free] = block.value, block.ok
    return value, ok


def _pairs(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    weights: Weights,
    method: str,
) -> Assignment:
    pairs = [
        Pair(units.units[r].id, pool.ids[c], round(float(v / units.priority[r] - weights.placement), 6), float(v))
        for r, c, v in zip(rows.tolist(), cols.tolist(), values)
    ]
    return Assignment(tuple(pairs), method)


def viable(value: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrix the solver is given: only units and households with at least one feasible pair
    (the others cannot be in the answer), as (submatrix, its rows, its columns)."""
    rows, cols = np.flatnonzero(ok.any(axis=1)), np.flatnonzero(ok.any(axis=0))
    return value[np.ix_(rows, cols)], rows, cols


def optimal_dense(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    value: np.ndarray,
    ok: np.ndarray,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Assignment:
    from scipy.optimize import linear_sum_assignment

    sub, sub_rows, sub_cols = viable(value, ok)
    rows, cols = linear_sum_assignment(sub, maximize=True)
    rows, cols = sub_rows[rows], sub_cols[cols]
    keep = ok[rows, cols]
    rows, cols = rows[keep], cols[keep]
    return _pairs(units, pool, rows, cols, value[rows, cols], weights, "optimal (dense)")


def greedy(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    value: np.ndarray,
    ok: np.ndarray,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Assignment:
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


def suggest(
    units: Sequence[Unit],
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> Suggestion:
    """The optimal assignment beside the greedy one: how many more units get a viable household."""
    encoded = core.UnitArrays(units, pool, weights, settings)
    value, ok = value_matrix(encoded, pool, weights, settings)
    best = optimal_exact(encoded, pool, value, ok, weights)
    first_come = greedy(encoded, pool, value, ok, weights)
    # numpy's stubs type any(axis=...) as possibly a scalar; along an axis of a 2-d array it is an array.
    return compare(encoded, best, first_come, cast("npt.NDArray[np.bool_]", ok.any(axis=1)))


def compare(units: core.UnitArrays, best: Assignment, first_come: Assignment, viable: np.ndarray) -> Suggestion:
    order = [u.id for u in units.units]
    ours, theirs = best.placed, first_come.placed
    return Suggestion(
        optimal=best,
        greedy=first_come,
        more_placed=len(ours) - len(theirs),
        extra_units=tuple(i for i in order if i in ours and i not in theirs),
        missed_units=tuple(i for i in order if i in theirs and i not in ours),
        no_viable_household=tuple(u.id for u, v in zip(units.units, viable) if not v),
    )


# ---- the sparse path -------------------------------------------------------------------------


def candidates(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    k: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The arcs worth solving over, as (rows, cols, values): each unit's best k feasible households
    and each household's best k units. Without the second half, households that score well for
    everyone fill every unit's list, and units whose whole list is taken go unplaced.

    Only households free to link are evaluated. With a maximum distance set, only households in
    cells within reach of the unit's cell are (see _Grid). Units or households without a location
    cannot be blocked that way and meet everyone.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    by_unit: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    side = _RunningBest(len(pool), k)

    def take_best(rows: np.ndarray, cols: np.ndarray) -> None:
        width = len(cols)
        if not len(rows) or not width:
            return
        step = max(1, BLOCK_PAIRS // width)
        h = pool.columns(cols)
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            block = core.evaluate(units.rows(chunk), h, weights, settings)
            value = np.where(block.ok, block.value, -np.inf)
            # A unit's row is whole in one block, so its best k here are its best k overall.
            top = np.argpartition(-value, k - 1, axis=1)[:, :k] if width > k else np.arange(width)[None, :]
            top = np.broadcast_to(top, (len(chunk), top.shape[1]))
            best = np.take_along_axis(value, top, axis=1)
            keep = best > -np.inf
            by_unit.append((np.broadcast_to(chunk[:, None], top.shape)[keep], cols[top[keep]], best[keep]))
            side.offer(chunk, cols, value)

    everyone = np.arange(len(units))
    free = np.flatnonzero(pool.approved & ~pool.in_link)
    radius = settings.max_distance_km
    if radius is None:
        take_best(everyone, free)
    else:
        located = ~np.isnan(units.x)
        h_known = ~np.isnan(pool.x[free])
        take_best(everyone[~located], free)
        grid = _Grid(pool.x, pool.y, free[h_known], radius)
        for cell, rows in grid.group(units.x, units.y, everyone[located]):
            take_best(rows, np.sort(np.concatenate([grid.near(cell), free[~h_known]])))
    rows, cols, values = (np.concatenate(parts) for parts in zip(side.arcs(), *by_unit))
    # A pair picked from both sides is one arc.
    _, first = np.unique(rows * len(pool) + cols, return_index=True)
    return rows[first], cols[first], values[first]


class _RunningBest:
    """Each household's best k units over all the blocks it appears in.

    A household's k-th best value so far is a threshold: only a block's pairs above it can enter
    the list, and after a household's first few blocks hardly any are, so merging costs little.
    """

    def __init__(self, households: int, k: int):
        self.k = k
        self.value = np.full((households, k), -np.inf)
        self.row = np.zeros((households, k), dtype=np.int64)
        self.threshold = np.full(households, -np.inf)  # the k-th best so far (-inf: fewer than k)

    def offer(self, rows: np.ndarray, cols: np.ndarray, value: np.ndarray) -> None:
        """rows x cols values (-inf: not feasible) of one block."""
        r, c = np.nonzero(value > self.threshold[cols])
        if not len(r):
            return
        v, units, households = value[r, c], rows[r], cols[c]
        # Newcomers go in in rounds, each round at most one per household, each replacing its
        # household's worst if better: what is left is the best k of everything offered.
        order = np.argsort(households, kind="stable")
        households, v, units = households[order], v[order], units[order]
        nth = np.arange(len(households)) - np.searchsorted(households, households, side="left")
        by_round = np.argsort(nth, kind="stable")
        bounds = np.searchsorted(nth[by_round], np.arange(nth.max() + 2))
        for start, end in itertools.pairwise(bounds):
            at = by_round[start:end]
            h = households[at]
            slot = np.argmin(self.value[h], axis=1)
            better = v[at] > self.value[h, slot]
            h, slot = h[better], slot[better]
            self.value[h, slot] = v[at][better]
            self.row[h, slot] = units[at][better]
        touched = np.unique(households)
        self.threshold[touched] = self.value[touched].min(axis=1)

    def arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        keep = self.value > -np.inf
        households = np.broadcast_to(np.arange(len(self.value))[:, None], keep.shape)
        return self.row[keep], households[keep], self.value[keep]


class _Grid:
    """Households in square cells a quarter of the maximum distance wide, sorted by cell, so the
    households that may be within reach of a unit are a few contiguous slices: for each column of
    cells, those whose nearest point to the unit's cell is within the distance (about 5.6 r^2 of
    map, against 9 r^2 with cells as wide as the distance and their 8 neighbours)."""

    SUB = 4
    _ROW = 1 << 32  # a cell's key: column * _ROW + row (rows offset to be non-negative)

    def __init__(self, x: np.ndarray, y: np.ndarray, index: np.ndarray, radius: float):
        self.size = radius / self.SUB
        key = self._key(x[index], y[index])
        order = np.argsort(key, kind="stable")
        self.key, self.index = key[order], index[order]
        # For each column offset, how many cells up and down can still hold a household within reach.
        self.reach = {
            dx: math.isqrt(self.SUB**2 - max(abs(dx) - 1, 0) ** 2) + 1 for dx in range(-self.SUB - 1, self.SUB + 2)
        }

    def _key(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (
            np.floor(x / self.size).astype(np.int64) * self._ROW
            + np.floor(y / self.size).astype(np.int64)
            + (self._ROW >> 1)
        )

    def group(self, x: np.ndarray, y: np.ndarray, index: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
        """(cell key, the units in it) for the given units."""
        if not len(index):
            return
        key = self._key(x[index], y[index])
        order = np.argsort(key, kind="stable")
        key, index = key[order], index[order]
        starts = np.flatnonzero(np.r_[True, np.diff(key) != 0])
        for start, end in zip(starts, np.r_[starts[1:], len(key)]):
            yield int(key[start]), index[start:end]

    def near(self, cell: int) -> np.ndarray:
        """The households in every cell within reach of this one."""
        bounds = np.array(
            [(cell + dx * self._ROW - up, cell + dx * self._ROW + up + 1) for dx, up in self.reach.items()]
        )
        edges = np.searchsorted(self.key, bounds.ravel()).reshape(-1, 2)
        return np.concatenate([self.index[a:b] for a, b in edges])


def integer_weights(value: np.ndarray) -> np.ndarray:
    """Values as the integers the solvers work in (thousandths of a point): the exact path's proof
    is in these, so it holds without any rounding doubt."""
    weight: np.ndarray = np.rint(value * VALUE_SCALE).astype(np.int64)
    return weight


def _max_weight_matching(n: int, m: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The maximum-weight matching (not necessarily perfect) on the arcs (rows, cols) of integer
    weight, as a boolean mask over them.

    Solved as a min-cost flow with OR-Tools: source -> each unit -> its candidate households ->
    sink, every arc of capacity 1, plus a free source -> sink arc that carries the units left
    unplaced. OR-Tools' linear sum assignment needs a perfect matching, which a pool with
    unplaceable units has not; doubling the graph to give everyone a free "unmatched" partner
    found the same optimum but took 25 times as long (5 s against 0.2 s at 10,000 x 10,000).
    """
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink, e = n + m, n + m + 1, len(rows)
    tails = np.concatenate([np.full(n, source), rows, n + np.arange(m), [source]]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + cols, np.full(m, sink), [sink]]).astype(np.int32)
    capacities = np.ones(n + e + m + 1, dtype=np.int64)
    capacities[-1] = n
    costs = np.zeros(n + e + m + 1, dtype=np.int64)
    costs[n : n + e] = -weight
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([n, -n], dtype=np.int64))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min cost flow failed: {status}")
    used: npt.NDArray[np.bool_] = flow.flows(arcs[n : n + e]) > 0
    return used


def _solve_sparse(n: int, m: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The maximum-value matching on the candidate arcs, as a boolean mask over them."""
    return _max_weight_matching(n, m, rows, cols, integer_weights(values))


def optimal_sparse(
    units: Sequence[Unit],
    pool: core.HouseholdPool,
    k: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> Assignment:
    """The assignment over each unit's best k households: near the dense optimum, at a fraction of
    the memory and time, for pools too big for a full matrix."""
    encoded = core.UnitArrays(units, pool, weights, settings)
    rows, cols, values = candidates(encoded, pool, k, weights, settings)
    chosen = _solve_sparse(len(encoded), len(pool), rows, cols, values)
    return _pairs(
        encoded, pool, rows[chosen], cols[chosen], values[chosen], weights, f"optimal over the best {k} (sparse)"
    )


# ---- the exact path --------------------------------------------------------------------------

EXACT_START = 10  # each unit's best households in the first solve
EXACT_ADD = 10  # for each unit the certificate fails on, its most underpriced pairs added per round


@dataclass(frozen=True)
class ExactMatching:
    """A maximum-weight matching over every feasible pair, with its proof.

    The weights are integer_weights(value). The certificate is a dual: unit_dual[i] >= 0 and
    household_dual[j] >= 0, unit_dual[i] + household_dual[j] >= weight[i, j] for every feasible
    pair, equal on the matched pairs, and 0 for every unit and household left unmatched. Any
    matching's weight is then at most the duals' sum (each of its pairs weighs at most its two
    duals, and each unit and household is in at most one pair), and this one's weight equals that
    sum: no matching weighs more.
    """

    rows: np.ndarray  # matched units (rows of the value matrix)
    cols: np.ndarray  # their households (columns)
    total: int  # the matched pairs' integer weight, equal to the duals' sum
    unit_dual: np.ndarray
    household_dual: np.ndarray
    rounds: int  # solves: the last one's duals held on every pair
    arcs: int  # candidate pairs in the last solve, of feasible pairs in all
    feasible: int
    seconds: dict[str, float] = field(default_factory=dict)  # CPU seconds by phase


def exact_matching(value: np.ndarray, ok: np.ndarray, start: int = EXACT_START, add: int = EXACT_ADD) -> ExactMatching:
    """The maximum-value matching over the feasible pairs of a units x households value matrix,
    proved optimal over all of them, found by solving over a few candidates per unit.

    Solve over each unit's best `start` households (a min-cost flow, as the sparse path), compute
    the dual certificate of that optimum over the candidates (_certificate), and check it against
    every feasible pair at once. Where it fails (a pair weighing more than its unit's and
    household's duals, the pairs the candidates wrongly left out) add each such unit's `add` most
    underpriced pairs and solve again. A dual that holds on every pair proves the matching optimal
    over all of them. Each round adds pairs not yet solved over (the duals hold on those), so it
    ends. Only units and households with a feasible pair take part; the others' duals are 0.
    """
    if start < 1 or add < 1:
        raise ValueError("start and add must be at least 1")
    clock = _Clock()
    n_all, m_all = ok.shape
    unit_dual, household_dual = np.zeros(n_all, dtype=np.int64), np.zeros(m_all, dtype=np.int64)
    take_rows, take_cols = np.flatnonzero(ok.any(axis=1)), np.flatnonzero(ok.any(axis=0))
    weight = _solver_weights(value, ok, take_rows, take_cols)
    n, m = weight.shape
    clock("weights")
    rounds, keys = 0, np.zeros(0, dtype=np.int64)
    rows, cols = keys, keys
    matched = np.zeros(0, dtype=bool)
    u, v = np.zeros(n, dtype=np.int64), np.zeros(m, dtype=np.int64)
    new = _first_arcs(weight, start) if weight.size else keys
    clock("candidates")
    while len(new):
        # _certificate checked that the duals hold on every pair solved over, so every pair pricing
        # finds is a new one: each round adds at least one, of finitely many, and the loop ends.
        keys, rounds = np.concatenate([keys, new]), rounds + 1
        rows, cols = np.divmod(keys, m)
        w = weight[rows, cols].astype(np.int64)
        matched = _max_weight_matching(n, m, rows, cols, w)
        clock("solve")
        u, v = _certificate(n, m, rows, cols, w, matched)
        clock("duals")
        new = _underpriced(weight, u, v, add)
        clock("pricing")
    unit_dual[take_rows], household_dual[take_cols] = u, v
    return ExactMatching(
        rows=take_rows[rows[matched]],
        cols=take_cols[cols[matched]],
        total=int(weight[rows[matched], cols[matched]].sum(dtype=np.int64)),
        unit_dual=unit_dual,
        household_dual=household_dual,
        rounds=rounds,
        arcs=len(keys),
        feasible=int(np.count_nonzero(ok)),
        seconds=clock.seconds,
    )


class _Clock:
    """CPU seconds by phase (the machine is shared: wall time counts other processes' turns)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.last = time.process_time()

    def __call__(self, phase: str) -> None:
        now = time.process_time()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self.last
        self.last = now


# Forbidden pairs weigh _FORBIDDEN - column: below every feasible pair, far enough from the dtype's
# end that weight less the duals (at most the largest weight) cannot wrap around, and all different,
# because numpy's partition is four times slower on a row that is three quarters one value.
_FORBIDDEN = {np.dtype(np.int32): -(1 << 30), np.dtype(np.int64): -(1 << 62)}


def _solver_weights(value: np.ndarray, ok: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """integer_weights of the rows x cols submatrix with forbidden pairs marked in it (so neither the
    candidates nor pricing need the mask again), built in row blocks small enough to stay in cache.
    int32 when the weights fit, which halves the memory pricing reads each round."""
    n, m = len(rows), len(cols)
    largest = max(-float(value.min(initial=0.0)), float(value.max(initial=0.0))) * VALUE_SCALE
    if largest >= 1 << 60:
        raise ValueError("values too large to solve in integers")
    dtype = np.dtype(np.int32) if largest < 1 << 28 else np.dtype(np.int64)
    forbidden = _FORBIDDEN[dtype] - np.arange(m, dtype=dtype)
    weight = np.empty((n, m), dtype=dtype)
    step = max(1, (1 << 15) // max(m, 1))
    for start in range(0, n, step):
        block = rows[start : start + step]
        scaled = value[block][:, cols]
        scaled *= VALUE_SCALE
        out = weight[start : start + step]
        np.rint(scaled, out=scaled)
        out[...] = scaled
        np.putmask(out, ~ok[block][:, cols], forbidden)  # the values repeat along each row: column j gets forbidden[j]
    return weight


def _first_arcs(weight: np.ndarray, k: int) -> np.ndarray:
    """The first solve's pairs, as keys row * m + col: each unit's best k households, and a first come,
    first served matching (the most valuable units first, each taking its best household still free).

    The best few per unit alone share out the households everyone rates highly and leave the rest
    out: at 3,000 x 3,000 the best 10 place 1,567 units where the optimum places 2,314, and the
    first duals are then far off. The matching reaches the households nobody rates among their
    best, and the first solve places as many as the optimum (8 solves became 6, and their time
    from 0.49 s to 0.28 s).
    """
    n, m = weight.shape
    floor = _FORBIDDEN[weight.dtype]
    # The matching looks down a longer list than k before it scans a unit's whole row.
    listed = min(m, max(k, 32))
    # In row blocks: argpartition's whole index matrix (8 bytes a pair) cost more than the partition.
    step = max(1, BLOCK_PAIRS // 16 // m)
    top = np.concatenate(
        [np.argpartition(weight[at : at + step], m - listed, axis=1)[:, m - listed :] for at in range(0, n, step)]
    )
    top_weight = np.take_along_axis(weight, top, axis=1)
    by_weight = np.argsort(-top_weight, axis=1, kind="stable")
    ranked = np.take_along_axis(top, by_weight, axis=1)
    ranked_weight = np.take_along_axis(top_weight, by_weight, axis=1)
    taken, taken_mask = bytearray(m), np.zeros(m, dtype=bool)
    chosen = []
    for i in np.argsort(-ranked_weight[:, 0], kind="stable").tolist():
        j = next((j for j in ranked[i].tolist() if not taken[j]), -1)
        if j < 0 or weight[i, j] <= floor:  # its list is all taken (or forbidden): look at the whole row
            j = int(np.argmax(np.where(taken_mask, floor, weight[i])))
            if weight[i, j] <= floor:
                continue
        taken[j], taken_mask[j] = 1, True
        chosen.append(i * m + j)
    best = ranked[:, :k]
    keys = np.arange(n, dtype=np.int64)[:, None] * m + best
    return np.union1d(keys[ranked_weight[:, :k] > floor], np.array(chosen, dtype=np.int64))


def _certificate(
    n: int, m: int, rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, matched: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The dual (u, v) of a matching optimal over the arcs (rows, cols, weight), with the
    households' duals as high as they can be.

    A matched household's dual is its pair's weight less its unit's, a free household's is 0, so
    each arc (i, j) asks u_i >= weight(i, j) - v_j: weight(i, j) if j is free, else
    u_i' + weight(i, j) - weight(i', j) where i' is j's unit, a longest-path condition along
    alternating paths. The least u meeting all of them is reached by repeating the update from 0
    (at most n times: a longer chain would be a cycle of positive gain, which an optimal matching
    has not), each time over the arcs out of the units whose dual just rose. Starting from the
    last round's duals instead failed the checks below 5 times in 7 and took longer in all.
    """
    unit_of = np.full(m, -1, dtype=np.int64)
    unit_of[cols[matched]] = rows[matched]
    pair_weight = np.zeros(m, dtype=np.int64)
    pair_weight[cols[matched]] = weight[matched]
    to_free = unit_of[cols] < 0
    u = np.zeros(n, dtype=np.int64)
    np.maximum.at(u, rows[to_free], weight[to_free])
    other = ~to_free & ~matched  # arcs to a household matched to another unit
    via = unit_of[cols[other]]
    by_via = np.argsort(via, kind="stable")
    via, target = via[by_via], rows[other][by_via]
    gain = (weight[other] - pair_weight[cols[other]])[by_via]
    first_arc = np.searchsorted(via, np.arange(n + 1))  # unit i' leads to arcs first_arc[i']:first_arc[i' + 1]
    arcs = np.arange(len(via))
    for _ in range(n + 1):
        if not len(arcs):
            break
        before = u.copy()
        np.maximum.at(u, target[arcs], u[via[arcs]] + gain[arcs])
        rose = np.flatnonzero(u > before)
        counts = first_arc[rose + 1] - first_arc[rose]
        arcs = np.repeat(first_arc[rose] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    else:
        raise RuntimeError("the matching is not optimal over its candidate pairs")
    v = np.zeros(m, dtype=np.int64)
    v[cols[matched]] = weight[matched] - u[rows[matched]]
    placed = np.zeros(n, dtype=bool)
    placed[rows[matched]] = True
    # Checked rather than trusted: pricing then proves the rest.
    if (v < 0).any() or u[~placed].any() or (u[rows] + v[cols] < weight).any():
        raise RuntimeError("the matching is not optimal over its candidate pairs")
    return u, v


def _underpriced(weight: np.ndarray, u: np.ndarray, v: np.ndarray, add: int) -> np.ndarray:
    """Pricing: the pairs weighing more than their unit's and household's duals, as keys; for each
    unit with any, only its `add` most underpriced. In row blocks that stay in cache."""
    n, m = weight.shape
    price, floor = v.astype(weight.dtype), u.astype(weight.dtype)[:, None]
    step = max(1, BLOCK_PAIRS // 16 // max(m, 1))
    buffer = np.empty((min(step, n), m), dtype=weight.dtype)
    found = [np.zeros(0, dtype=np.int64)]
    for start in range(0, n, step):
        over = np.subtract(weight[start : start + step], price, out=buffer[: min(step, n - start)])
        over -= floor[start : start + step]
        bad = np.flatnonzero(over.max(axis=1) > 0)
        if not len(bad):
            continue
        over = over[bad]
        top = (
            np.argpartition(over, m - add, axis=1)[:, m - add :]
            if m > add
            else np.broadcast_to(np.arange(m), over.shape)
        )
        keys = (start + bad.astype(np.int64))[:, None] * m + top
        found.append(keys[np.take_along_axis(over, top, axis=1) > 0])
    return np.concatenate(found)


def optimal_exact(
    units: core.UnitArrays,
    pool: core.HouseholdPool,
    value: np.ndarray,
    ok: np.ndarray,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Assignment:
    """The optimal assignment, proved optimal over every feasible pair (see exact_matching)."""
    found = exact_matching(value, ok)
    return _pairs(units, pool, found.rows, found.cols, value[found.rows, found.cols], weights, "optimal (exact)")
