"""The one scoring definition, vectorised: households and units encoded once into numpy arrays, and
a block evaluation that gives, for B units x M households at once, which pairs pass every hard
constraint and each factor's value (0 to 1).

Everything else (shortlist, region-wide matrix, sparse candidates, sufficiency, explanations)
calls evaluate(), violations() or factor_values() here, so there is a single definition of what
a pair scores. The per-pair pure-Python scorer in openraa/benchmarks/matching.py is a second,
slow implementation of the same definition, kept for the speed ratio and to test this one.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openraa.reference import ETHNICITIES, NEEDS

from .model import FACTORS, LEVEL_RANK, Household, Point, Settings, Unit, Weights

# Religion codes for "nothing recorded" on each side, chosen so they never equal each other or a real code.
_NO_RELIGION_HOUSEHOLD = -1
_NO_RELIGION_PREFERENCE = -2
_UNKNOWN_RELIGION = -3


class _Bits:
    """A vocabulary packed into bit sets (as many 64-bit words as it needs), so "do these two sets
    share a code" is a bitwise AND for a whole block of pairs."""

    def __init__(self, codes: Iterable[str]):
        self.index = {code: i for i, code in enumerate(dict.fromkeys(codes))}
        self.words = max(1, math.ceil(len(self.index) / 64))

    def pack(self, sets: Sequence[Collection[str]]) -> np.ndarray:
        """(len(sets), words) uint64. A code outside the vocabulary gets no bit: it can match nothing."""
        numbers = []
        for codes in sets:
            number = 0
            for code in codes:
                i = self.index.get(code)
                if i is not None:
                    number |= 1 << i
            numbers.append(number)
        packed = np.zeros((len(sets), self.words), dtype=np.uint64)
        for word in range(self.words):
            packed[:, word] = [(number >> (64 * word)) & 0xFFFF_FFFF_FFFF_FFFF for number in numbers]
        return packed


def _overlap(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    """a (B, 1, W) and b (1, M, W) bit sets -> (B, M): do they share any code."""
    shared: npt.NDArray[np.bool_] = (a[..., 0] & b[..., 0]) != 0
    for word in range(1, a.shape[-1]):
        shared |= (a[..., word] & b[..., word]) != 0
    return shared


def _km(location: Point | None) -> tuple[float, float]:
    return (location[0] / 1000.0, location[1] / 1000.0) if location is not None else (math.nan, math.nan)


def ethnic_group(code: str) -> str:
    return ETHNICITIES[code][1] if code in ETHNICITIES else "Not known"


class HouseholdPool:
    """Households encoded once; shortlists and matrices are array operations over these columns."""

    def __init__(self, households: Sequence[Household]):
        self.households = list(households)
        self.ids = [h.id for h in self.households]
        self.position = {hid: i for i, hid in enumerate(self.ids)}
        if len(self.position) != len(self.ids):
            raise ValueError("household ids must be unique")
        hs = self.households
        self.councils = {code: i for i, code in enumerate(dict.fromkeys(h.council for h in hs))}
        self.needs = list(dict.fromkeys([*NEEDS, *(code for h in hs for code in h.capabilities)]))
        self.need_index = {code: i for i, code in enumerate(self.needs)}
        self.ethnicity_bits = _Bits([*ETHNICITIES, *(code for h in hs for code in h.ethnicities)])
        self.group_bits = _Bits(dict.fromkeys(group for _, group in ETHNICITIES.values()))
        self.language_bits = _Bits(code for h in hs for code in h.languages)
        self.religions = {r: i for i, r in enumerate(dict.fromkeys(h.religion for h in hs if h.religion))}

        self.council = np.array([self.councils[h.council] for h in hs], dtype=np.int32)
        xy = np.array([_km(h.location) for h in hs], dtype=np.float64).reshape(len(hs), 2)
        self.x, self.y = xy[:, 0].copy(), xy[:, 1].copy()
        self.children = np.array([h.approved_children for h in hs], dtype=np.int16)
        self.age_min = np.array([h.age_min for h in hs], dtype=np.int16)
        self.age_max = np.array([h.age_max for h in hs], dtype=np.int16)
        self.siblings = np.array([h.sibling_group_open for h in hs], dtype=bool)
        self.early_permanence = np.array([h.early_permanence for h in hs], dtype=bool)
        self.days = np.array([h.days_waiting for h in hs], dtype=np.float64)
        self.in_link = np.array([h.in_active_link for h in hs], dtype=bool)
        self.approved = np.array([h.approved for h in hs], dtype=bool)
        self.caps = np.zeros((len(hs), len(self.needs)), dtype=np.int8)
        for row, h in enumerate(hs):
            for code, level in h.capabilities.items():
                self.caps[row, self.need_index[code]] = LEVEL_RANK[level]
        self.eth = self.ethnicity_bits.pack([h.ethnicities for h in hs])
        self.group = self.group_bits.pack([{ethnic_group(c) for c in h.ethnicities} for h in hs])
        self.lang = self.language_bits.pack([h.languages for h in hs])
        self.religion = np.array([self.religions.get(h.religion, _NO_RELIGION_HOUSEHOLD) for h in hs], dtype=np.int32)

    def __len__(self) -> int:
        return len(self.households)

    def columns(self, cols: np.ndarray | None = None) -> _Columns:
        """The households' arrays shaped (1, M) for broadcasting: all of them, or those at cols."""
        return _Columns(self, cols)


class _Columns:
    # Set from the pool's arrays of the same names below (shaped (1, M)).
    council: npt.NDArray[np.int32]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    children: npt.NDArray[np.int16]
    age_min: npt.NDArray[np.int16]
    age_max: npt.NDArray[np.int16]
    siblings: npt.NDArray[np.bool_]
    early_permanence: npt.NDArray[np.bool_]
    days: npt.NDArray[np.float64]
    in_link: npt.NDArray[np.bool_]
    approved: npt.NDArray[np.bool_]
    caps: npt.NDArray[np.int8]
    eth: npt.NDArray[np.uint64]
    group: npt.NDArray[np.uint64]
    lang: npt.NDArray[np.uint64]
    religion: npt.NDArray[np.int32]

    def __init__(self, pool: HouseholdPool, cols: np.ndarray | None):
        def take(a: np.ndarray) -> np.ndarray:
            return (a if cols is None else a[cols])[None, ...]

        self.pool = pool
        self.size = len(pool) if cols is None else len(cols)
        for name in (
            "council",
            "x",
            "y",
            "children",
            "age_min",
            "age_max",
            "siblings",
            "early_permanence",
            "days",
            "in_link",
            "approved",
            "caps",
            "eth",
            "group",
            "lang",
            "religion",
        ):
            setattr(self, name, take(getattr(pool, name)))


class UnitArrays:
    """Units encoded against one pool's vocabularies (a code no household has matches nothing)."""

    def __init__(self, units: Sequence[Unit], pool: HouseholdPool, weights: Weights, settings: Settings):
        self.units = list(units)
        us = self.units
        n = len(us)
        if any(u.size == 0 for u in us):
            raise ValueError("a unit needs at least one child's age")
        self.size = np.array([u.size for u in us], dtype=np.int16)
        self.age_min = np.array([min(u.ages) for u in us], dtype=np.int16)
        self.age_max = np.array([max(u.ages) for u in us], dtype=np.int16)
        self.severity = np.zeros((n, len(pool.needs)), dtype=np.int8)
        self.unknown_need = np.zeros(n, dtype=bool)  # a need no household's capabilities mention
        for row, u in enumerate(us):
            for code, severity in u.needs.items():
                if code in pool.need_index:
                    self.severity[row, pool.need_index[code]] = LEVEL_RANK[severity]
                elif LEVEL_RANK[severity] > 0:
                    self.unknown_need[row] = True
        self.need_count = (self.severity > 0).sum(axis=1)
        most = max((len(u.excluded_councils) for u in us), default=0)
        self.excluded = np.full((n, most), -1, dtype=np.int32)  # pool council numbers, -1 padding
        for row, u in enumerate(us):
            known = [pool.councils[c] for c in u.excluded_councils if c in pool.councils]
            self.excluded[row, : len(known)] = known
        birth = np.array([_km(u.birth_family_location) for u in us], dtype=np.float64).reshape(n, 2)
        self.risk = np.array([u.identification_risk for u in us], dtype=bool) & ~np.isnan(birth[:, 0])
        self.birth_x, self.birth_y = birth[:, 0].copy(), birth[:, 1].copy()
        here = np.array([_km(u.location) for u in us], dtype=np.float64).reshape(n, 2)
        self.x, self.y = here[:, 0].copy(), here[:, 1].copy()
        self.days = np.array([u.days_waiting for u in us], dtype=np.float64)
        self.early_permanence = np.array([u.early_permanence for u in us], dtype=bool)
        self.has_eth_pref = np.array([bool(u.preferred_ethnicities) for u in us], dtype=bool)
        self.eth = pool.ethnicity_bits.pack([u.preferred_ethnicities for u in us])
        self.group = pool.group_bits.pack([{ethnic_group(c) for c in u.preferred_ethnicities} for u in us])
        self.lang = pool.language_bits.pack([u.preferred_languages for u in us])
        self.religion = np.array(
            [
                pool.religions.get(u.preferred_religion, _UNKNOWN_RELIGION)
                if u.preferred_religion
                else _NO_RELIGION_PREFERENCE
                for u in us
            ],
            dtype=np.int32,
        )
        cap = float(settings.waiting_cap_days)
        hard = np.array([u.hard_to_place_count() for u in us], dtype=np.float64)
        self.priority = (
            1.0
            + weights.priority_waiting * np.minimum(self.days / cap, 1.0)
            + weights.priority_hard_to_place * hard / 4.0
        )

    def __len__(self) -> int:
        return len(self.units)

    def rows(self, rows: slice | np.ndarray) -> _Rows:
        return _Rows(self, rows)


class _Rows:
    """Some units' arrays shaped (B, 1) for broadcasting against households' (1, M)."""

    # Set from the units' arrays of the same names below.
    size: npt.NDArray[np.int16]
    age_min: npt.NDArray[np.int16]
    age_max: npt.NDArray[np.int16]
    unknown_need: npt.NDArray[np.bool_]
    risk: npt.NDArray[np.bool_]
    birth_x: npt.NDArray[np.float64]
    birth_y: npt.NDArray[np.float64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    days: npt.NDArray[np.float64]
    early_permanence: npt.NDArray[np.bool_]
    has_eth_pref: npt.NDArray[np.bool_]
    religion: npt.NDArray[np.int32]
    priority: npt.NDArray[np.float64]
    need_count: npt.NDArray[np.intp]

    def __init__(self, units: UnitArrays, rows: slice | np.ndarray):
        for name in (
            "size",
            "age_min",
            "age_max",
            "unknown_need",
            "risk",
            "birth_x",
            "birth_y",
            "x",
            "y",
            "days",
            "early_permanence",
            "has_eth_pref",
            "religion",
            "priority",
            "need_count",
        ):
            setattr(self, name, getattr(units, name)[rows][:, None])
        self.severity = units.severity[rows]
        self.excluded = units.excluded[rows]
        self.eth = units.eth[rows][:, None, :]
        self.group = units.group[rows][:, None, :]
        self.lang = units.lang[rows][:, None, :]
        self.count = len(self.size)


Rows = np.ndarray | None  # which of a block's units a mask or value is for; None: all of them


def _only(flags: np.ndarray) -> Rows:
    """The rows where flags (B, 1) hold, or None when that is every row (no gather needed)."""
    if flags.all():
        return None
    return np.flatnonzero(flags[:, 0])


def _at(a: np.ndarray, rows: Rows) -> np.ndarray:
    return a if rows is None else a[rows]


def _squared_km(ux: npt.NDArray[np.float64], uy: npt.NDArray[np.float64], h: _Columns) -> npt.NDArray[np.float64]:
    """Squared distances in float64: radius checks compare these, so no square root and no doubt
    at the boundary."""
    dx = h.x - ux
    dx *= dx
    dy = h.y - uy
    dy *= dy
    dx += dy
    return dx


def _distance(ux: npt.NDArray[np.float64], uy: npt.NDArray[np.float64], h: _Columns) -> npt.NDArray[np.float32]:
    """Distances in km as float32 (a score needs no more precision, and it is several times faster)."""
    dx = h.x.astype(np.float32) - ux.astype(np.float32)
    dx *= dx
    dy = h.y.astype(np.float32) - uy.astype(np.float32)
    dy *= dy
    dx += dy
    return np.sqrt(dx, out=dx)


def violations(
    u: _Rows, h: _Columns, settings: Settings, *, include_status: bool = True
) -> Iterator[tuple[str, Rows, np.ndarray]]:
    """Each hard constraint as (name, rows, mask): the mask, broadcastable to (len(rows), M), marks
    the pairs that break it among those rows (None: all the block's rows). A constraint that can
    only concern some units (needs, sibling groups, identification risk) is checked for those only.

    include_status=False leaves out "not yet approved" and "in an active link": the sufficiency
    count asks whether a household's approval could take a child, not whether it is free today.
    """
    if include_status:
        yield "not_approved", None, ~h.approved
        yield "active_link", None, h.in_link
    yield "too_many_children", None, h.children < u.size
    groups = _only(u.size > 1)
    if groups is None or len(groups):
        yield "siblings", groups, np.broadcast_to(~h.siblings, (u.count if groups is None else len(groups), h.size))
    yield "ages", None, (u.age_min < h.age_min) | (u.age_max > h.age_max)
    if u.excluded.shape[1]:
        excluded = h.council == u.excluded[:, :1]
        for k in range(1, u.excluded.shape[1]):
            excluded |= h.council == u.excluded[:, k : k + 1]
        yield "excluded_area", None, excluded
    at_risk = _only(u.risk)
    if at_risk is None or len(at_risk):
        # Unknown locations give NaN, which compares False: the council-level exclusion still applies.
        near = _squared_km(_at(u.birth_x, at_risk), _at(u.birth_y, at_risk), h) < settings.identification_radius_km**2
        yield "near_birth_family", at_risk, near
    if settings.max_distance_km is not None:
        yield "too_far", None, _squared_km(u.x, u.y, h) > settings.max_distance_km**2
    unknown = _only(u.unknown_need)
    if unknown is None or len(unknown):
        yield "unknown_need", unknown, np.ones((u.count if unknown is None else len(unknown), h.size), dtype=bool)
    for j in np.flatnonzero((u.severity > 0).any(axis=0)):
        rows = _only(u.severity[:, j : j + 1] > 0)
        yield f"need:{h.pool.needs[j]}", rows, h.caps[..., j] < _at(u.severity, rows)[:, j : j + 1]


def feasible(u: _Rows, h: _Columns, settings: Settings, *, include_status: bool = True) -> np.ndarray:
    """(B, M): the pairs that break no hard constraint."""
    bad = np.zeros((u.count, h.size), dtype=bool)
    for _, rows, broken in violations(u, h, settings, include_status=include_status):
        if rows is None:
            bad |= broken
        else:
            bad[rows] |= broken
    return ~bad


def factor_values(u: _Rows, h: _Columns, settings: Settings) -> Iterator[tuple[str, Rows, np.ndarray]]:
    """Each factor as (name, rows, values from 0 to 1), values broadcastable to (len(rows), M); rows
    not listed score 0 on that factor.

    A factor that does not apply to a unit (no needs, no preference recorded, location unknown,
    early permanence not sought) is worth nothing for every household, so it cannot change the
    unit's ranking.
    """
    rows = _only(u.need_count > 0)
    if rows is None or len(rows):
        yield "needs", rows, _needs_value(u, h, rows)
    rows = _only(u.has_eth_pref)
    if rows is None or len(rows):
        exact = _overlap(_at(u.eth, rows), h.eth)
        same_group = _overlap(_at(u.group, rows), h.group)
        value = same_group.astype(np.float32)
        value *= 0.5
        value[exact] = 1.0
        yield "ethnicity", rows, value
    rows = _only(u.religion >= 0)
    if rows is None or len(rows):
        yield "religion", rows, (h.religion == _at(u.religion, rows)).astype(np.float32)
    rows = _only((u.lang != 0).any(axis=-1))
    if rows is None or len(rows):
        yield "language", rows, _overlap(_at(u.lang, rows), h.lang).astype(np.float32)
    rows = _only(~np.isnan(u.x))
    if rows is None or len(rows):
        near = _distance(_at(u.x, rows), _at(u.y, rows), h)
        near *= np.float32(-1.0 / settings.distance_scale_km)
        near += np.float32(1.0)
        # A household without a location gives NaN: no points, as for an unknown distance.
        yield "distance", rows, np.nan_to_num(np.clip(near, 0.0, 1.0, out=near), nan=0.0, copy=False)
    cap = float(settings.waiting_cap_days)
    yield "child_waiting", None, np.minimum(u.days / cap, 1.0).astype(np.float32)
    yield "household_waiting", None, np.minimum(h.days / cap, 1.0).astype(np.float32)
    rows = _only(u.early_permanence)
    if rows is None or len(rows):
        yield (
            "early_permanence",
            rows,
            np.broadcast_to(h.early_permanence.astype(np.float32), (u.count if rows is None else len(rows), h.size)),
        )


def spare_needs(u: _Rows, h: _Columns, rows: Rows = None) -> np.ndarray:
    """(len(rows), M): how many of the unit's needs the household can meet with a level to spare."""
    severity = _at(u.severity, rows)
    spare = np.zeros((len(severity), h.size), dtype=np.int8)
    for j in np.flatnonzero((severity > 0).any(axis=0)):
        s = severity[:, j : j + 1]
        spare += (s > 0) & (h.caps[..., j] > s)
    return spare


def _needs_value(u: _Rows, h: _Columns, rows: Rows) -> np.ndarray:
    """Meeting every need earns half the points (a feasible pair always does); the other half is for
    needs met with a level to spare, since children's needs often emerge more strongly later."""
    value = spare_needs(u, h, rows).astype(np.float32)
    value *= (0.5 / _at(u.need_count, rows)).astype(np.float32)
    value += np.float32(0.5)
    return value


def points(u: _Rows, h: _Columns, weights: Weights, settings: Settings) -> np.ndarray:
    """(B, M) float32: the weighted sum of the factors, 0 to the sum of the weights."""
    total = np.zeros((u.count, h.size), dtype=np.float32)
    for name, rows, value in factor_values(u, h, settings):
        weight = np.float32(weights.factor(name))
        if not weight:
            continue
        if rows is None:
            total += weight * value
        else:
            total[rows] += weight * value
    return total


def factor_table(u: _Rows, h: _Columns, settings: Settings) -> dict[str, np.ndarray]:
    """Every factor's values as full (B, M) arrays: for explanations of a few households."""
    table = {}
    for name, rows, value in factor_values(u, h, settings):
        full = np.zeros((u.count, h.size), dtype=np.float32)
        if rows is None:
            full[...] = value
        else:
            full[rows] = value
        table[name] = full
    return {name: table.get(name, np.zeros((u.count, h.size), dtype=np.float32)) for name in FACTORS}


@dataclass(frozen=True)
class Block:
    ok: np.ndarray  # (B, M) bool: passes every hard constraint
    points: np.ndarray  # (B, M) float32
    value: np.ndarray  # (B, M) float64: priority x (placement + points) where ok, else 0


def evaluate(u: _Rows, h: _Columns, weights: Weights, settings: Settings) -> Block:
    ok = feasible(u, h, settings)
    pts = points(u, h, weights, settings)
    value = pts.astype(np.float64)
    value += weights.placement
    value *= u.priority
    value[~ok] = 0.0
    return Block(ok, pts, value)


__all__ = [
    "FACTORS",
    "HouseholdPool",
    "UnitArrays",
    "evaluate",
    "factor_table",
    "factor_values",
    "feasible",
    "points",
    "spare_needs",
    "violations",
]
