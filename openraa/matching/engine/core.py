"""The one scoring definition, vectorised: households and units encoded once into numpy arrays, and
a block evaluation that gives, for B units x M households at once, which pairs pass every hard
constraint and each factor's value (0 to 1).

Everything else (shortlist, region-wide matrix, sparse candidates, sufficiency, explanations)
calls evaluate() or violations() here, so there is a single definition of what a pair scores.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from openraa.reference import ETHNICITIES, NEEDS

from .model import FACTORS, LEVEL_RANK, Household, Settings, Unit, Weights

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
        packed = np.zeros((len(sets), self.words), dtype=np.uint64)
        for row, codes in enumerate(sets):
            for code in codes:
                i = self.index.get(code)  # a code no household has can match nothing: no bit
                if i is not None:
                    packed[row, i // 64] |= np.uint64(1 << (i % 64))
        return packed


def _overlap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (B, 1, W) and b (1, M, W) bit sets -> (B, M): do they share any code."""
    shared = (a[..., 0] & b[..., 0]) != 0
    for word in range(1, a.shape[-1]):
        shared |= (a[..., word] & b[..., word]) != 0
    return shared


def _km(location) -> tuple[float, float]:
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
        self.religion = np.array([self.religions.get(h.religion, _NO_RELIGION_HOUSEHOLD) for h in hs],
                                 dtype=np.int32)

    def __len__(self) -> int:
        return len(self.households)

    def columns(self, cols: np.ndarray | None = None) -> _Columns:
        """The households' arrays shaped (1, M) for broadcasting: all of them, or those at cols."""
        return _Columns(self, cols)


class _Columns:
    def __init__(self, pool: HouseholdPool, cols: np.ndarray | None):
        def take(a: np.ndarray) -> np.ndarray:
            return (a if cols is None else a[cols])[None, ...]

        self.pool = pool
        self.size = len(pool) if cols is None else len(cols)
        for name in ("council", "x", "y", "children", "age_min", "age_max", "siblings", "early_permanence",
                     "days", "in_link", "approved", "caps", "eth", "group", "lang", "religion"):
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
            self.excluded[row, :len(known)] = known
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
        self.religion = np.array([
            pool.religions.get(u.preferred_religion, _UNKNOWN_RELIGION) if u.preferred_religion
            else _NO_RELIGION_PREFERENCE for u in us], dtype=np.int32)
        cap = float(settings.waiting_cap_days)
        hard = np.array([u.hard_to_place_count() for u in us], dtype=np.float64)
        self.priority = (1.0 + weights.priority_waiting * np.minimum(self.days / cap, 1.0)
                         + weights.priority_hard_to_place * hard / 4.0)

    def __len__(self) -> int:
        return len(self.units)

    def rows(self, rows: slice | np.ndarray) -> _Rows:
        return _Rows(self, rows)


class _Rows:
    """Some units' arrays shaped (B, 1) for broadcasting against households' (1, M)."""

    def __init__(self, units: UnitArrays, rows: slice | np.ndarray):
        for name in ("size", "age_min", "age_max", "unknown_need", "risk", "birth_x", "birth_y", "x", "y",
                     "days", "early_permanence", "has_eth_pref", "religion", "priority", "need_count"):
            setattr(self, name, getattr(units, name)[rows][:, None])
        self.severity = units.severity[rows]
        self.excluded = units.excluded[rows]
        self.eth = units.eth[rows][:, None, :]
        self.group = units.group[rows][:, None, :]
        self.lang = units.lang[rows][:, None, :]
        self.count = len(self.size)


def _distance(ux: np.ndarray, uy: np.ndarray, h: _Columns) -> np.ndarray:
    return np.hypot(h.x - ux, h.y - uy)


def violations(u: _Rows, h: _Columns, settings: Settings, *,
               include_status: bool = True) -> Iterator[tuple[str, np.ndarray]]:
    """Each hard constraint as (name, mask of pairs that break it), masks broadcastable to (B, M).

    include_status=False leaves out "not yet approved" and "in an active link": the sufficiency
    count asks whether a household's approval could take a child, not whether it is free today.
    """
    if include_status:
        yield "not_approved", ~h.approved
        yield "active_link", h.in_link
    yield "too_many_children", h.children < u.size
    yield "siblings", (u.size > 1) & ~h.siblings
    yield "ages", (u.age_min < h.age_min) | (u.age_max > h.age_max)
    if u.excluded.shape[1]:
        excluded = h.council == u.excluded[:, :1]
        for k in range(1, u.excluded.shape[1]):
            excluded |= h.council == u.excluded[:, k:k + 1]
        yield "excluded_area", excluded
    if u.risk.any():
        # Unknown locations give NaN, which compares False: the council-level exclusion still applies.
        near = _distance(u.birth_x, u.birth_y, h) < settings.identification_radius_km
        yield "near_birth_family", near & u.risk
    if settings.max_distance_km is not None:
        yield "too_far", _distance(u.x, u.y, h) > settings.max_distance_km
    if u.unknown_need.any():
        yield "unknown_need", u.unknown_need
    for j in np.flatnonzero((u.severity > 0).any(axis=0)):
        yield f"need:{h.pool.needs[j]}", h.caps[..., j] < u.severity[:, j:j + 1]


def feasible(u: _Rows, h: _Columns, settings: Settings, *, include_status: bool = True) -> np.ndarray:
    """(B, M): the pairs that break no hard constraint."""
    bad = np.zeros((u.count, h.size), dtype=bool)
    for _, broken in violations(u, h, settings, include_status=include_status):
        bad |= broken
    return ~bad


def factor_values(u: _Rows, h: _Columns, settings: Settings) -> Iterator[tuple[str, np.ndarray]]:
    """Each factor's value from 0 (nothing) to 1 (fully met), broadcastable to (B, M).

    A factor that does not apply to a unit (no needs, no preference recorded, location unknown,
    early permanence not sought) is worth nothing for every household, so it cannot change the
    unit's ranking.
    """
    yield "needs", needs_value(u, h)
    exact = _overlap(u.eth, h.eth)
    same_group = _overlap(u.group, h.group)
    yield "ethnicity", np.where(exact, 1.0, np.where(same_group, 0.5, 0.0)) * u.has_eth_pref
    yield "religion", (h.religion == u.religion).astype(np.float64)
    yield "language", _overlap(u.lang, h.lang).astype(np.float64)
    near = 1.0 - _distance(u.x, u.y, h) / settings.distance_scale_km
    yield "distance", np.nan_to_num(np.clip(near, 0.0, 1.0, out=near), nan=0.0, copy=False)
    cap = float(settings.waiting_cap_days)
    yield "child_waiting", np.minimum(u.days / cap, 1.0)
    yield "household_waiting", np.minimum(h.days / cap, 1.0)
    yield "early_permanence", (u.early_permanence & h.early_permanence).astype(np.float64)


def spare_needs(u: _Rows, h: _Columns) -> np.ndarray:
    """(B, M): how many of the unit's needs the household can meet with a level to spare."""
    spare = np.zeros((u.count, h.size), dtype=np.int16)
    for j in np.flatnonzero((u.severity > 0).any(axis=0)):
        s = u.severity[:, j:j + 1]
        spare += (s > 0) & (h.caps[..., j] > s)
    return spare


def needs_value(u: _Rows, h: _Columns) -> np.ndarray:
    """Meeting every need earns half the points (a feasible pair always does); the other half is for
    needs met with a level to spare, since children's needs often emerge more strongly later."""
    count = np.maximum(u.need_count, 1)
    return np.where(u.need_count > 0, 0.5 + 0.5 * spare_needs(u, h) / count, 0.0)


def points(u: _Rows, h: _Columns, weights: Weights, settings: Settings) -> np.ndarray:
    """(B, M) float64: the weighted sum of the factors, 0 to the sum of the weights."""
    total = np.zeros((u.count, h.size), dtype=np.float64)
    for name, value in factor_values(u, h, settings):
        weight = weights.factor(name)
        if weight:
            total += weight * value
    return total


@dataclass(frozen=True)
class Block:
    ok: np.ndarray  # (B, M) bool: passes every hard constraint
    points: np.ndarray  # (B, M) float64
    value: np.ndarray  # (B, M) float64: priority x (placement + points) where ok, else 0


def evaluate(u: _Rows, h: _Columns, weights: Weights, settings: Settings) -> Block:
    ok = feasible(u, h, settings)
    pts = points(u, h, weights, settings)
    value = (pts + weights.placement) * u.priority
    value[~ok] = 0.0
    return Block(ok, pts, value)


__all__ = ["FACTORS", "HouseholdPool", "UnitArrays", "evaluate", "feasible", "factor_values", "points",
           "violations", "spare_needs"]
