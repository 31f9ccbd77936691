"""The engine's dynamic policy: who to link now, as children and households arrive.

A periodic optimum values a pair by its fit and the unit's priority. In a thin market that is not
enough: a household that could take many of the waiting children should not go to a child many
other households could take while a child few could take waits (Akbarpour, Li and Oveis Gharan,
"Thickness and information in dynamic matching markets": match the agents about to lose their
options, keep the rest of the market thick; Ünver's dynamic kidney exchange values the pool's
composition, not only today's pairs). So each feasible pair is valued, in points beside the
placement's, by

    placement + fit + waiting (the child's wait) + scarcity (how few households could take the
    unit, now and in the outlook) + ageing (the share of its options a unit is about to lose on
    its next birthday) - spend (giving a household that scarce units need to a unit with many
    options),

and the one-to-one assignment of greatest value is solved. Run it whenever anything arrives or
changes. It uses only what an agency knows at the time: who is waiting and free today, and its own
history of what kinds of households it approves (and units that come) and how many a year (the
Outlook); never a future arrival. Each pair keeps its fit points, so engine.explain gives the
factor-by-factor reasons, and people decide.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import assign as solver
from . import core
from .model import Assignment, Household, Pair, Settings, Suggestion, Unit, Weights

DEFAULT_WEIGHTS = Weights()
DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Dynamic:
    """The dynamic terms, in points beside Weights.placement (100) and the fit (0 to 100)."""

    waiting: float = 100.0  # a unit that has waited settings.waiting_cap_days gains this many
    scarcity: float = 200.0  # a unit with no other option in view gains this many; with k options, /(1 + k)
    ageing: float = 50.0  # times the share of its options a unit loses at its next birthday, if within ageing_days
    spend: float = 150.0  # times how much scarce units want the household, times how many options the unit has
    outlook_days: int = 182  # expected arrivals within this many days count as options
    ageing_days: int = 91


DEFAULT_DYNAMIC = Dynamic()


def _unit_key(unit: Unit, older: int) -> Hashable:
    return (
        tuple(sorted(a + older for a in unit.ages)),
        tuple(sorted(unit.needs.items())),
        frozenset(unit.excluded_councils),
    )


def _household_key(h: Household) -> Hashable:
    return (h.approved_children, h.age_min, h.age_max, h.sibling_group_open, tuple(sorted(h.capabilities.items())))


def _placeless(h: Household) -> Household:
    return replace(h, council="", location=None, in_active_link=False, approved=True)


class Outlook:
    """The market ahead as the agency's own history shows it: profiles of the households it has
    approved and of the units that came with placement orders, and how many of each a year.

    Feasibility against the profiles ignores places (distance, councils, the birth family's
    location: a profile has none), and is cached by what decides it, so a long-running caller pays
    for each kind of unit or household once (the history's own kinds are worked out at the start)."""

    def __init__(
        self,
        households: Sequence[Household],
        households_per_year: float,
        units: Sequence[Unit],
        units_per_year: float,
        settings: Settings = DEFAULT_SETTINGS,
        outlook_days: int = DEFAULT_DYNAMIC.outlook_days,
    ):
        self.settings = settings
        self.years = outlook_days / 365
        self.households = [_placeless(h) for h in households]
        self.pool = core.HouseholdPool(self.households)
        self.per_household = households_per_year / len(households) if households else 0.0
        self.units = [
            replace(u, location=None, birth_family_location=None, identification_risk=False, excluded_councils=())
            for u in units
        ]
        self.per_unit = units_per_year / len(units) if units else 0.0
        self._units: dict[Hashable, float] = {}
        self._households: dict[Hashable, float] = {}
        # Each reference unit's scarcity: 1 / (1 + the households expected in the outlook that could take it).
        self.unit_scarcity = 1.0 / (1.0 + self.expected_households(self.units))
        self.scarce_demand(self.households)

    def expected_households(self, units: Sequence[Unit], older: int = 0) -> np.ndarray:
        """Households expected to arrive within the outlook that could take each unit (aged `older` years more)."""
        out = np.zeros(len(units))
        if not len(units) or not self.households:
            return out
        keys = [_unit_key(u, older) for u in units]
        missing = {k: u for k, u in zip(keys, units) if k not in self._units}
        if missing:
            grown = [replace(u, ages=[a + older for a in u.ages]) for u in missing.values()]
            encoded = core.UnitArrays(grown, self.pool, DEFAULT_WEIGHTS, self.settings)
            ok = core.feasible(encoded.rows(slice(None)), self.pool.columns(), self.settings)
            for key, count in zip(missing, ok.sum(axis=1).tolist()):
                self._units[key] = count * self.per_household * self.years
        return np.array([self._units[k] for k in keys])

    def scarce_demand(self, households: Sequence[Household]) -> np.ndarray:
        """For each household, the scarce units expected within the outlook that it could take
        (each weighted by its scarcity): how much the market ahead needs this household."""
        out = np.zeros(len(households))
        if not len(households) or not self.units:
            return out
        keys = [_household_key(h) for h in households]
        missing = {k: h for k, h in zip(keys, households) if k not in self._households}
        if missing:
            pool = core.HouseholdPool([_placeless(h) for h in missing.values()])
            encoded = core.UnitArrays(self.units, pool, DEFAULT_WEIGHTS, self.settings)
            ok = core.feasible(encoded.rows(slice(None)), pool.columns(), self.settings, include_status=False)
            demand = (ok * self.unit_scarcity[:, None]).sum(axis=0) * self.per_unit * self.years
            for key, value in zip(missing, demand.tolist()):
                self._households[key] = value
        return np.array([self._households[k] for k in keys])


@dataclass(frozen=True)
class Terms:
    """Why the dynamic policy values a pair as it does, per unit and per household (for the page)."""

    unit_options: np.ndarray  # other households that could take the unit: free now, and expected in the outlook
    unit_scarcity: np.ndarray  # 1 / (1 + unit_options)
    unit_ageing: np.ndarray  # share of its options the unit loses at its next birthday (if within ageing_days)
    household_demand: np.ndarray  # 0 to 1: how much scarce units (waiting now, expected) need the household


def terms(
    encoded: core.UnitArrays,
    pool: core.HouseholdPool,
    ok: np.ndarray,
    dynamic: Dynamic = DEFAULT_DYNAMIC,
    outlook: Outlook | None = None,
) -> Terms:
    units = encoded.units
    now = ok.sum(axis=1).astype(np.float64)
    ahead = outlook.expected_households(units) if outlook else np.zeros(len(units))
    options = np.maximum(now - 1.0, 0.0) + ahead  # besides the pair in question
    scarcity = 1.0 / (1.0 + options)
    ageing = np.zeros(len(units))
    soon = [
        i
        for i, u in enumerate(units)
        if u.next_birthday_days is not None and u.next_birthday_days <= dynamic.ageing_days
    ]
    if outlook and soon:
        at_risk = [units[i] for i in soon]
        today, later = outlook.expected_households(at_risk), outlook.expected_households(at_risk, older=1)
        ageing[soon] = np.where(today > 0, np.clip(1.0 - later / np.maximum(today, 1e-12), 0.0, 1.0), 0.0)
    # Scarce units that could take the household: those waiting now (besides the unit in question,
    # roughly: each pair's own unit is a small part of it) and those expected.
    demand = (ok * scarcity[:, None]).sum(axis=0)
    if outlook:
        demand = demand + outlook.scarce_demand(pool.households)
    return Terms(options, scarcity, ageing, demand / (1.0 + demand))


def values(
    encoded: core.UnitArrays,
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
    dynamic: Dynamic = DEFAULT_DYNAMIC,
    outlook: Outlook | None = None,
    fit: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Terms]:
    """(value, points, ok, terms): each pair's dynamic value (0 where not feasible) and fit points.
    `fit`, if given, is the (points, ok) the caller already has for these units and households."""
    if fit is None:
        value, ok = solver.value_matrix(encoded, pool, weights, settings)
        points = np.where(ok, value / encoded.priority[:, None] - weights.placement, 0.0)
    else:
        points, ok = fit
    t = terms(encoded, pool, ok, dynamic, outlook)
    wait = np.minimum(encoded.days / float(settings.waiting_cap_days), 1.0)
    unit_part = dynamic.waiting * wait + dynamic.scarcity * t.unit_scarcity + dynamic.ageing * t.unit_ageing
    spend = dynamic.spend * t.household_demand[None, :] * (1.0 - t.unit_scarcity[:, None])
    dynamic_value = weights.placement + points + unit_part[:, None] - spend
    # Never at or below zero where feasible: the solver reads 0 as "leave unplaced" (and weighs in
    # thousandths of a point).
    dynamic_value = np.where(ok, np.maximum(dynamic_value, 1.0 / solver.VALUE_SCALE), 0.0)
    return dynamic_value, points, ok, t


def assign(
    units: Sequence[Unit],
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
    dynamic: Dynamic = DEFAULT_DYNAMIC,
    outlook: Outlook | None = None,
    exclude: Collection[tuple[str, str]] = (),
    fit: tuple[np.ndarray, np.ndarray] | None = None,
) -> Assignment:
    """The one-to-one assignment of greatest dynamic value among the feasible pairs, leaving out the
    (unit id, household id) pairs in `exclude` (tried before, say). Each Pair's points are its fit
    (as engine.explain breaks down), its value the dynamic value. `fit`: see values()."""
    if not units or not len(pool):
        return Assignment((), "dynamic")
    encoded = core.UnitArrays(units, pool, weights, settings)
    value, points, ok, _ = values(encoded, pool, weights, settings, dynamic, outlook, fit)
    if exclude:
        ok = ok.copy()
        rows = {u.id: i for i, u in enumerate(encoded.units)}
        for unit_id, household_id in exclude:
            if unit_id in rows and household_id in pool.position:
                ok[rows[unit_id], pool.position[household_id]] = False
        value = np.where(ok, value, 0.0)
    if not ok.any():
        return Assignment((), "dynamic")
    chosen = solver.optimal_exact(encoded, pool, value, ok, weights)
    rows = {u.id: i for i, u in enumerate(encoded.units)}
    pairs = tuple(
        Pair(
            p.unit_id,
            p.household_id,
            round(float(points[rows[p.unit_id], pool.position[p.household_id]]), 6),
            float(value[rows[p.unit_id], pool.position[p.household_id]]),
        )
        for p in chosen.pairs
    )
    return Assignment(pairs, "dynamic")


def suggest(
    units: Sequence[Unit],
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
    dynamic: Dynamic = DEFAULT_DYNAMIC,
) -> Suggestion:
    """The dynamic policy's links for today beside first come, first served, over one fit matrix:
    what the regional page shows (re-run whenever a record changes)."""
    encoded = core.UnitArrays(units, pool, weights, settings)
    value, ok = solver.value_matrix(encoded, pool, weights, settings)
    points = np.where(ok, value / encoded.priority[:, None] - weights.placement, 0.0) if len(units) else value
    best = assign(units, pool, weights, settings, dynamic, fit=(points, ok))
    first_come = solver.greedy(encoded, pool, value, ok, weights)
    return solver.compare(encoded, best, first_come, np.asarray(ok.any(axis=1), dtype=bool))
