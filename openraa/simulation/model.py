"""A discrete-time simulation of a Regional Adoption Agency's family finding. Pure Python (numpy,
scipy and the product's own matching engine; no Django).

Children (a sibling group to be placed together is one unit) arrive with a placement order, and
approved households arrive, per council as Poisson processes; each arrival's profile (ages,
sibling group size, needs, ethnicity; approval range, needs met, sibling openness) is drawn from
an empirical list fitted from the agency's records or entered by hand. Every replication draws its
arrivals, and each arrival's own future (when its plan would change, whether its placement would
disrupt, when a household would withdraw), once from (seed, replication); every policy then runs
on exactly those arrivals (common random numbers), so the differences between policies are the
policies' and not the dice's.

Time advances in steps of `step_days` (default a week). In each step: matches fall due (a link
becomes a match decision `link_to_match_days` after the link), placements disrupt (the child
returns to the pool, the household withdraws), plans change for long waits, households withdraw,
new children and households arrive, and the policy links units with households wherever something
arrived or changed. Feasibility and scoring are always those of openraa.matching.engine: first
come, first served is the engine's `greedy` (the longest-waiting unit first, each taking its best
feasible household still free); the regional engine is the engine's dynamic policy
(`engine.dynamic.assign`: the child's wait, scarcity now and in the agency's outlook, ageing out
of approvals, sparing households scarce units need). A policy restricted to "each council alone"
runs the same greedy on each council's own children and households.

Scenarios (what-ifs beside the headline policies, on the same arrivals): escalation to a
neighbouring agency (a second agency with the same fitted rates and profiles, its own arrivals
from streams of its own, whose children compete for its households; a unit of either agency that
has waited `escalate_after_days` may be linked with the other's households, both agencies running
the same policy over the joint pool); an interest stage with a cap (a household holds at most N
open interests, a unit one; an interest is explored for `interest_days` and leads to a link with
probability `interest_success`, drawn once per pair and replication; when one leads to a link the
household's other interests close, and a pair that did not is not tried again); and recruitment
(`recruit_per_year` more households a year with the profiles of the recorded households approved
for two or more children and open to sibling groups).
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import TypedDict

import numpy as np
from scipy.special import stdtrit

from openraa.matching import engine
from openraa.matching.engine import dynamic
from openraa.reference import DISABILITY_NEEDS, OLDER_CHILD_AGE

A2_THRESHOLD_DAYS = 121
_NOT_MINORITY = frozenset({"WBRI", "REFU", "NOBT"})
GROUPS = ("all", "hard_to_place", "age_5_plus", "sibling_group", "minority_ethnic", "disability")
GROUP_LABELS = {
    "all": "All children",
    "hard_to_place": "Any hard-to-place characteristic",
    "age_5_plus": f"Aged {OLDER_CHILD_AGE} or over",
    "sibling_group": "Sibling group",
    "minority_ethnic": "Minority ethnic background",
    "disability": "Disability",
}
# The groups no policy may leave much worse off (the goal: none more than 5% worse than regional
# first come, first served): each characteristic, and its complement.
FAIRNESS_GROUPS = (
    "age_under_5",
    "age_5_plus",
    "single_child",
    "siblings_2",
    "siblings_3_plus",
    "white_british",
    "minority_ethnic",
    "no_disability",
    "disability",
)
FAIRNESS_LABELS = {
    "age_under_5": f"Aged under {OLDER_CHILD_AGE}",
    "age_5_plus": f"Aged {OLDER_CHILD_AGE} or over",
    "single_child": "A single child",
    "siblings_2": "Sibling group of 2",
    "siblings_3_plus": "Sibling group of 3 or more",
    "white_british": "White British (or not known)",
    "minority_ethnic": "Minority ethnic background",
    "no_disability": "No disability",
    "disability": "Disability",
}
# National figures (England, June 2025): the average wait of children in family finding.
NATIONAL_WAIT_DAYS = 292
NATIONAL_WAIT_5_PLUS_DAYS = 508

# Days-to-match bands of the waiting-time distribution chart.
WAIT_BANDS = (
    (0, 121, "Up to 121 days"),
    (122, 182, "122 to 182"),
    (183, 365, "183 to 365"),
    (366, 547, "366 to 547"),
    (548, 730, "548 to 730"),
    (731, 10**9, "Over 730"),
)


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildProfile:
    """One unit as it arrives: ages at the placement order, needs, ethnicities."""

    ages: tuple[int, ...]
    needs: Mapping[str, str] = field(default_factory=dict)
    ethnicities: tuple[str, ...] = ("WBRI",)

    def groups(self) -> tuple[str, ...]:
        out = []
        if any(a >= OLDER_CHILD_AGE for a in self.ages):
            out.append("age_5_plus")
        if len(self.ages) > 1:
            out.append("sibling_group")
        if any(e not in _NOT_MINORITY for e in self.ethnicities):
            out.append("minority_ethnic")
        if any(n in DISABILITY_NEEDS for n in self.needs):
            out.append("disability")
        return ("all", "hard_to_place", *out) if out else ("all",)

    def fairness_groups(self) -> tuple[str, str, str, str]:
        older = any(a >= OLDER_CHILD_AGE for a in self.ages)
        size = len(self.ages)
        return (
            "age_5_plus" if older else "age_under_5",
            "single_child" if size == 1 else "siblings_2" if size == 2 else "siblings_3_plus",
            "minority_ethnic" if any(e not in _NOT_MINORITY for e in self.ethnicities) else "white_british",
            "disability" if any(n in DISABILITY_NEEDS for n in self.needs) else "no_disability",
        )


@dataclass(frozen=True)
class HouseholdProfile:
    approved_children: int = 1
    age_min: int = 0
    age_max: int = 4
    capabilities: Mapping[str, str] = field(default_factory=dict)
    sibling_group_open: bool = False
    ethnicities: tuple[str, ...] = ("WBRI",)


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    children_per_year: float  # units (a child, or a sibling group placed together) with a placement order
    households_per_year: float  # newly approved households


@dataclass(frozen=True)
class Assumptions:
    """The stated, editable assumptions: none of these is fitted from the records."""

    link_to_match_days: int = 70  # link to match decision (the A2 clock stops at the match decision)
    disruption_probability: float = 0.03  # a placement disrupts before the adoption order
    disruption_after_days: int = 180  # after the match decision
    plan_change_after_days: int = 548  # the plan may change away from adoption after this wait (18 months)
    plan_change_per_year: float = 0.5  # hazard of a plan change per year of waiting beyond that
    household_withdraw_per_year: float = 0.25  # hazard of an approved household withdrawing while waiting
    step_days: int = 7  # simulation step: every policy is tried every step something arrives or changes
    escalate_after_days: int = (
        91  # escalation scenario: offered to the neighbouring agency's households after this wait
    )
    interest_cap: int = 3  # interest-cap scenario: open interests a household may hold at once
    interest_days: int = 28  # interest-cap scenario: days to explore an interest before a link or not
    interest_success: float = 0.5  # interest-cap scenario: chance an explored interest leads to a link
    recruit_per_year: float = 2.0  # recruitment scenario: more approved households a year open to sibling groups


@dataclass(frozen=True)
class Parameters:
    councils: tuple[Council, ...]
    child_profiles: tuple[ChildProfile, ...]
    household_profiles: tuple[HouseholdProfile, ...]
    assumptions: Assumptions = Assumptions()
    years: float = 5.0
    replications: int = 50
    seed: int = 2016
    source: str = "entered by hand"
    household_scale: float = 1.0  # households approved a year, as a multiple of the fitted rates (the calibration)

    @property
    def horizon_days(self) -> int:
        return round(self.years * 365)

    def households_per_year(self, council: Council) -> float:
        return council.households_per_year * self.household_scale

    def scaled_households(self, factor: float) -> Parameters:
        return replace(self, household_scale=self.household_scale * factor)


@dataclass(frozen=True)
class Policy:
    """A matching policy, and the what-if scenario it runs in (none for the headline policies)."""

    key: str
    label: str
    kind: str  # "council" | "regional_fcfs" | "regional_engine"
    weights: engine.Weights = field(default_factory=engine.Weights)
    dynamic: dynamic.Dynamic = field(default_factory=dynamic.Dynamic)  # the engine's dynamic terms
    escalation: bool = False  # units waiting Assumptions.escalate_after_days are offered to a neighbouring agency
    interest_cap: int | None = None  # an interest stage, with at most this many open interests per household
    recruitment: bool = False  # Assumptions.recruit_per_year more households a year open to sibling groups

    @property
    def scenario(self) -> bool:
        return self.escalation or self.interest_cap is not None or self.recruitment


def default_policies(
    extra_weights: Mapping[str, engine.Weights] | None = None,
    scenarios: bool = True,
    assumptions: Assumptions | None = None,
) -> list[Policy]:
    a = assumptions or Assumptions()
    policies = [
        Policy("council_fcfs", "Each council alone, first come first served (pre-2016 baseline)", "council"),
        Policy("regional_fcfs", "Regional pool, first come first served", "regional_fcfs"),
        Policy("regional_engine", "Regional pool, OpenRAA matching engine (dynamic)", "regional_engine"),
    ]
    for name, weights in (extra_weights or {}).items():
        policies.append(
            Policy(f"engine_{name}", f"Regional pool, engine with weights: {name}", "regional_engine", weights)
        )
    if scenarios:
        policies += [
            Policy(
                "engine_escalation",
                f"Engine, escalating to a neighbouring agency after {a.escalate_after_days} days",
                "regional_engine",
                escalation=True,
            ),
            Policy(
                "engine_interests_1",
                "Engine, interest stage, one open interest per household",
                "regional_engine",
                interest_cap=1,
            ),
            Policy(
                "engine_interest_cap",
                f"Engine, interest stage, at most {a.interest_cap} open interests per household",
                "regional_engine",
                interest_cap=a.interest_cap,
            ),
            Policy(
                "engine_recruitment",
                f"Engine, {a.recruit_per_year:g} more households a year open to sibling groups",
                "regional_engine",
                recruitment=True,
            ),
        ]
    return policies


# --------------------------------------------------------------------------------------------
# Arrivals: drawn once per replication, shared by every policy
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildArrival:
    id: str
    council: str
    day: int
    profile: ChildProfile
    plan_change_day: int  # the day the plan changes if the unit is still waiting (and not linked)
    disrupts: bool  # if matched, the placement disrupts (once)
    groups: frozenset[str] = frozenset()  # the profile's GROUPS and FAIRNESS_GROUPS, worked out once


@dataclass(frozen=True)
class HouseholdArrival:
    id: str
    council: str
    day: int
    profile: HouseholdProfile
    withdraw_day: int  # the day it withdraws if still waiting


@dataclass(frozen=True)
class Arrivals:
    children: tuple[ChildArrival, ...]
    households: tuple[HouseholdArrival, ...]


NEIGHBOUR = "N"  # prefix of the neighbouring agency's ids and council codes (escalation scenario)
_FAR = 10**9


def _arrival_days(rng: np.random.Generator, per_year: float, horizon: int) -> list[int]:
    """A Poisson process's days: successive exponential gaps of mean 365 / per_year. The gaps are the
    stream's standard exponentials scaled, so a higher rate brings the same arrivals earlier and adds
    more: the calibration's scale moves the waits smoothly, not by reshuffling every draw."""
    days: list[int] = []
    if per_year <= 0:
        return days
    t = rng.standard_exponential() * 365 / per_year
    while t < horizon:
        days.append(int(t))
        t += rng.standard_exponential() * 365 / per_year
    return days


def _stay(rng: np.random.Generator, a: Assumptions) -> float:
    return rng.exponential(365 / a.household_withdraw_per_year) if a.household_withdraw_per_year > 0 else _FAR


def draw_arrivals(params: Parameters, replication: int, agency: str = "") -> Arrivals:
    """This replication's arrivals: the agency's own (agency ""), or the neighbouring agency's
    (NEIGHBOUR: the same rates and profiles, from streams of its own)."""
    # Children and households draw from streams of their own, so changing one side's rates leaves
    # the other side's arrivals exactly as they were.
    stream = 10 if agency else 0
    a, horizon = params.assumptions, params.horizon_days
    children: list[ChildArrival] = []
    households: list[HouseholdArrival] = []
    for i, council in enumerate(params.councils):
        # Streams of their own for each council and side (the days, and what arrives on them), so
        # changing one rate leaves every other arrival exactly as it was.
        days = np.random.default_rng([params.seed, replication, stream, i, 0])
        rng = np.random.default_rng([params.seed, replication, stream, i, 1])
        for day in _arrival_days(days, council.children_per_year if params.child_profiles else 0, horizon):
            profile = params.child_profiles[int(rng.integers(len(params.child_profiles)))]
            extra = rng.exponential(365 / a.plan_change_per_year) if a.plan_change_per_year > 0 else _FAR
            disrupts = bool(rng.random() < a.disruption_probability)
            children.append(
                ChildArrival(
                    f"{agency}U{len(children)}",
                    agency + council.code,
                    day,
                    profile,
                    int(min(day + a.plan_change_after_days + extra, _FAR)),
                    disrupts,
                    frozenset((*profile.groups(), *profile.fairness_groups())),
                )
            )
        days = np.random.default_rng([params.seed, replication, stream + 1, i, 0])
        rng = np.random.default_rng([params.seed, replication, stream + 1, i, 1])
        rate = params.households_per_year(council) if params.household_profiles else 0
        for day in _arrival_days(days, rate, horizon):
            wishes = params.household_profiles[int(rng.integers(len(params.household_profiles)))]
            households.append(
                HouseholdArrival(
                    f"{agency}H{len(households)}",
                    agency + council.code,
                    day,
                    wishes,
                    int(min(day + _stay(rng, a), _FAR)),
                )
            )
    children.sort(key=lambda c: (c.day, c.id))
    households.sort(key=lambda h: (h.day, h.id))
    return Arrivals(tuple(children), tuple(households))


def sibling_profiles(params: Parameters) -> tuple[HouseholdProfile, ...]:
    return tuple(h for h in params.household_profiles if h.sibling_group_open and h.approved_children >= 2)


def draw_recruits(params: Parameters, replication: int) -> tuple[HouseholdArrival, ...]:
    """The recruitment scenario's extra households: Assumptions.recruit_per_year a year, spread over the
    councils as their approvals are, each with the profile of a household in the records approved
    for two or more children and open to sibling groups."""
    rng = np.random.default_rng([params.seed, replication, 3])
    a, profiles = params.assumptions, sibling_profiles(params)
    total = sum(params.households_per_year(c) for c in params.councils)
    out: list[HouseholdArrival] = []
    if not profiles or not total:
        return ()
    for council in params.councils:
        share = params.households_per_year(council) / total
        for day in _arrival_days(rng, a.recruit_per_year * share, params.horizon_days):
            wishes = profiles[int(rng.integers(len(profiles)))]
            out.append(HouseholdArrival(f"R{len(out)}", council.code, day, wishes, int(min(day + _stay(rng, a), _FAR))))
    return tuple(sorted(out, key=lambda h: (h.day, h.id)))


def interest_succeeds(params: Parameters, replication: int, unit: str, household: str) -> bool:
    """Whether exploring this pair leads to a link: drawn once per pair and replication, so every
    policy that explores the pair gets the same answer."""
    key = [params.seed, replication, 4, *(ord(ch) for ch in f"{unit}|{household}")]
    return bool(np.random.default_rng(key).random() < params.assumptions.interest_success)


# --------------------------------------------------------------------------------------------
# One policy over one replication
# --------------------------------------------------------------------------------------------


@dataclass
class ChildOutcome:
    arrival: ChildArrival
    matched_day: int | None = None  # the match decision that stands (after any disruption)
    left_day: int | None = None  # plan changed away from adoption
    disrupted: bool = False

    @property
    def days_to_match(self) -> int | None:
        return None if self.matched_day is None else self.matched_day - self.arrival.day


@dataclass
class Run:
    policy: str
    horizon: int
    children: list[ChildOutcome]  # the agency's own children (not a neighbour's)
    households_waiting_end: int
    households_withdrawn: int
    trajectory: list[tuple[int, int, int]]  # (day, children waiting, households waiting)
    engine_calls: int = 0

    def state_at_end(self) -> dict[str, int]:
        matched = sum(1 for c in self.children if c.matched_day is not None and c.matched_day <= self.horizon)
        left = sum(1 for c in self.children if c.left_day is not None)
        return {
            "arrived": len(self.children),
            "matched": matched,
            "left_plan": left,
            "waiting": len(self.children) - matched - left,
        }


def _unit(c: ChildArrival, today: int, excluded: Sequence[str] = ()) -> engine.Unit:
    waited = today - c.day
    return engine.Unit(
        id=c.id,
        ages=[a + waited // 365 for a in c.profile.ages],
        needs=c.profile.needs,
        ethnicities=c.profile.ethnicities,
        council=c.council,
        days_waiting=waited,
        excluded_councils=excluded,
        # Ages move on at each anniversary of the placement order (see the simplifications).
        next_birthday_days=365 - waited % 365,
    )


def _household(h: HouseholdArrival, today: int) -> engine.Household:
    p = h.profile
    return engine.Household(
        id=h.id,
        council=h.council,
        approved_children=p.approved_children,
        age_min=p.age_min,
        age_max=p.age_max,
        capabilities=p.capabilities,
        sibling_group_open=p.sibling_group_open,
        days_waiting=today - h.day,
        ethnicities=p.ethnicities,
    )


def outlook(params: Parameters, settings: engine.Settings, recruiting: bool = False) -> dynamic.Outlook:
    """What the agency knows of its market: the profiles in its records and its rates a year."""
    homes = [
        engine.Household(
            id=f"P{i}",
            approved_children=p.approved_children,
            age_min=p.age_min,
            age_max=p.age_max,
            capabilities=p.capabilities,
            sibling_group_open=p.sibling_group_open,
        )
        for i, p in enumerate(params.household_profiles)
    ]
    per_year = sum(params.households_per_year(c) for c in params.councils)
    if recruiting:
        extra = sibling_profiles(params)
        homes += [replace(homes[params.household_profiles.index(p)], id=f"R{i}") for i, p in enumerate(extra)]
        # The recruits, in proportion: the approvals a year with them added.
        per_year += params.assumptions.recruit_per_year
    units = [
        engine.Unit(id=f"P{i}", ages=list(c.ages), needs=c.needs, ethnicities=c.ethnicities)
        for i, c in enumerate(params.child_profiles)
    ]
    return dynamic.Outlook(homes, per_year, units, sum(c.children_per_year for c in params.councils), settings)


class _Fit:
    """The engine's feasibility and fit points for every unit of a run (at each age it reaches while
    waiting) with every household, from the engine's own value_matrix, computed once per run. The
    waits are the only factors that move from day to day; they are added per step as the engine
    scores them (the child's and the household's wait, each up to Settings.waiting_cap_days), and a
    test holds the sum to the engine's own score."""

    def __init__(
        self,
        children: Sequence[ChildArrival],
        homes: Sequence[HouseholdArrival],
        weights: engine.Weights,
        settings: engine.Settings,
    ):
        self.weights, self.settings = weights, settings
        self.children = list(children)
        self.row = {c.id: i for i, c in enumerate(self.children)}
        self.col = {h.id: j for j, h in enumerate(homes)}
        self.pool = engine.HouseholdPool([_household(h, h.day) for h in homes])
        self.by_age: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _at_age(self, older: int) -> tuple[np.ndarray, np.ndarray]:
        if older not in self.by_age:
            units = [
                replace(_unit(c, c.day), ages=[a + older for a in c.profile.ages], days_waiting=0)
                for c in self.children
            ]
            encoded = engine.UnitArrays(units, self.pool, self.weights, self.settings)
            value, ok = engine.value_matrix(encoded, self.pool, self.weights, self.settings)
            points = np.where(ok, value / encoded.priority[:, None] - self.weights.placement, 0.0)
            self.by_age[older] = (points, ok)
        return self.by_age[older]

    def between(
        self, units: Sequence[ChildArrival], homes: Sequence[HouseholdArrival], today: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """(points, ok) of these units with these households today."""
        cols = np.array([self.col[h.id] for h in homes], dtype=np.int64)
        points = np.zeros((len(units), len(homes)))
        ok = np.zeros((len(units), len(homes)), dtype=bool)
        older = np.array([(today - c.day) // 365 for c in units])
        for k in np.unique(older).tolist():
            at = np.flatnonzero(older == k)
            rows = np.array([self.row[units[i].id] for i in at.tolist()], dtype=np.int64)
            p, o = self._at_age(k)
            points[at], ok[at] = p[np.ix_(rows, cols)], o[np.ix_(rows, cols)]
        cap = float(self.settings.waiting_cap_days)
        child = np.minimum(np.array([today - c.day for c in units]) / cap, 1.0)
        home = np.minimum(np.array([today - h.day for h in homes]) / cap, 1.0)
        points += self.weights.child_waiting * child[:, None] + self.weights.household_waiting * home[None, :]
        return np.where(ok, points, 0.0), ok


def _link(
    policy: Policy,
    fit: _Fit,
    units: list[ChildArrival],
    homes: list[HouseholdArrival],
    today: int,
    allowed: np.ndarray | None,
    market: dynamic.Outlook | None,
    tried: set[tuple[str, str]],
) -> list[tuple[str, str]]:
    """The policy's pairs for these waiting units and free households, among the `allowed` pairs
    (None: all) and never a pair in `tried`."""
    points, ok = fit.between(units, homes, today)
    if allowed is not None:
        ok &= allowed
    if tried:
        at = {u.id: i for i, u in enumerate(units)}
        col = {h.id: j for j, h in enumerate(homes)}
        for uid, hid in tried:
            if uid in at and hid in col:
                ok[at[uid], col[hid]] = False
    # Only units and households with a feasible pair can be linked, and the others change no term
    # of either policy (a pair that is not feasible counts for nothing).
    rows, cols = np.flatnonzero(ok.any(axis=1)), np.flatnonzero(ok.any(axis=0))
    if not len(rows):
        return []
    units, homes = [units[i] for i in rows], [homes[j] for j in cols]
    points, ok = points[np.ix_(rows, cols)], ok[np.ix_(rows, cols)]
    pool = engine.HouseholdPool([_household(h, today) for h in homes])
    engine_units = [_unit(c, today) for c in units]
    if policy.kind == "regional_engine":
        chosen = dynamic.assign(
            engine_units,
            pool,
            policy.weights,
            fit.settings,
            policy.dynamic,
            market,
            fit=(np.where(ok, points, 0.0), ok),
        )
    else:
        encoded = engine.UnitArrays(engine_units, pool, policy.weights, fit.settings)
        # The engine's value of a pair (core.evaluate): priority x (placement + points).
        value = np.where(ok, encoded.priority[:, None] * (policy.weights.placement + points), 0.0)
        chosen = engine.greedy(encoded, pool, value, ok, policy.weights)
    return [(p.unit_id, p.household_id) for p in chosen.pairs]


def simulate(
    params: Parameters,
    policy: Policy,
    arrivals: Arrivals,
    settings: engine.Settings | None = None,
    *,
    neighbour: Arrivals | None = None,
    recruits: Sequence[HouseholdArrival] = (),
    replication: int = 0,
) -> Run:
    """One policy over one replication's arrivals. The neighbour's arrivals are used only with
    escalation, the recruits only with recruitment.

    Every policy is tried, in each pool it links within, at every step where something arrived or
    changed there (a unit or household arrived or came back, a unit grew a year older or reached
    the escalation wait, an interest closed): when nothing changed, no new feasible pair can have
    appeared, and neither first come, first served nor the engine's assignment (every feasible pair
    is worth more than none) leaves a free household and a waiting unit that could pair unlinked."""
    settings = settings or engine.Settings()
    a, horizon = params.assumptions, params.horizon_days
    step = max(1, a.step_days)
    own = {c.id for c in arrivals.children}
    children = list(arrivals.children)
    homes = list(arrivals.households)
    if policy.escalation and neighbour is not None:
        children += neighbour.children
        homes += neighbour.households
    if policy.recruitment:
        homes += recruits
    children.sort(key=lambda c: (c.day, c.id))
    homes.sort(key=lambda h: (h.day, h.id))
    fit = _Fit(children, homes, policy.weights, settings)
    market = outlook(params, settings, policy.recruitment) if policy.kind == "regional_engine" else None
    cap = policy.interest_cap

    def scope_of(council: str) -> str:
        # The pool a unit or household is linked within: its council, its agency, or (escalating) both.
        if policy.kind == "council":
            return council
        if policy.escalation:
            return "all"
        return NEIGHBOUR if council.startswith(NEIGHBOUR) else ""

    outcomes = {c.id: ChildOutcome(c) for c in children}
    waiting: dict[str, ChildArrival] = {}  # in the pool, not linked
    free: dict[str, HouseholdArrival] = {}  # approved, waiting, not linked
    links: list[tuple[int, str, str]] = []  # (match day, unit, household)
    disruptions: list[tuple[int, str]] = []  # (day, unit)
    interests: dict[str, tuple[str, int]] = {}  # unit -> (household, day the interest is decided)
    tried: set[tuple[str, str]] = set()  # interests explored that did not lead to a link
    next_child = next_household = 0
    withdrawn = calls = 0
    trajectory: list[tuple[int, int, int]] = []
    changed: set[str] = set()  # the pools where something arrived or changed since they were last tried

    def close_interests_of(hid: str) -> None:
        for other, (home, _) in list(interests.items()):
            if home == hid:
                del interests[other]
                changed.add(scope_of(waiting[other].council))

    for today in range(0, horizon + 1, step):
        # Matches falling due; placements disrupting.
        due = [link for link in links if link[0] <= today]
        links = [link for link in links if link[0] > today]
        for day, uid, _hid in due:
            outcome = outcomes[uid]
            outcome.matched_day = day
            if outcome.arrival.disrupts and not outcome.disrupted:
                disruptions.append((day + a.disruption_after_days, uid))
        back = [d for d in disruptions if d[0] <= today]
        disruptions = [d for d in disruptions if d[0] > today]
        for _day, uid in back:
            outcome = outcomes[uid]
            outcome.disrupted, outcome.matched_day = True, None
            waiting[uid] = outcome.arrival
            changed.add(scope_of(outcome.arrival.council))
        # Interests decided: a link (the household's other interests close), or never tried again.
        linked: list[tuple[str, str]] = []
        for uid in sorted(u for u, (_, day) in interests.items() if day <= today):
            if uid not in interests:
                continue
            hid, _day = interests.pop(uid)
            changed.add(scope_of(waiting[uid].council))
            if interest_succeeds(params, replication, uid, hid):
                linked.append((uid, hid))
                close_interests_of(hid)
            else:
                tried.add((uid, hid))
        linked_units, linked_homes = {u for u, _ in linked}, {h for _, h in linked}
        # Plans changing, households withdrawing (closing any interests they hold).
        for uid in [u for u, c in waiting.items() if c.plan_change_day <= today and u not in linked_units]:
            outcomes[uid].left_day = today
            del waiting[uid]
            if interests.pop(uid, None):
                changed.add(scope_of(outcomes[uid].arrival.council))
        for hid in [h for h, x in free.items() if x.withdraw_day <= today and h not in linked_homes]:
            close_interests_of(hid)
            del free[hid]
            withdrawn += not hid.startswith(NEIGHBOUR)
        # Arrivals.
        while next_child < len(children) and children[next_child].day <= today:
            c = children[next_child]
            waiting[c.id] = c
            changed.add(scope_of(c.council))
            next_child += 1
        while next_household < len(homes) and homes[next_household].day <= today:
            h = homes[next_household]
            if h.withdraw_day > today:
                free[h.id] = h
                changed.add(scope_of(h.council))
            next_household += 1
        # A year older (options may open as well as close), or the escalation wait reached.
        for c in waiting.values():
            waited = today - c.day
            if (waited > 0 and waited % 365 < step) or (
                policy.escalation and 0 <= waited - a.escalate_after_days < step
            ):
                changed.add(scope_of(c.council))
        # Linking, in each pool where something changed.
        for scope in sorted(changed):
            rounds = 1 if cap is None else cap
            for _ in range(rounds):
                holding: dict[str, int] = {}
                for hid, _day in interests.values():
                    holding[hid] = holding.get(hid, 0) + 1
                units = [
                    c
                    for u, c in waiting.items()
                    if u not in interests and u not in linked_units and scope_of(c.council) == scope
                ]
                offer = [
                    h
                    for h in free.values()
                    if h.id not in linked_homes and holding.get(h.id, 0) < rounds and scope_of(h.council) == scope
                ]
                if not units or not offer:
                    break
                allowed = None
                if policy.escalation:
                    # Before the escalation wait, a unit is offered only to its own agency's households.
                    late = np.array([today - c.day >= a.escalate_after_days for c in units])
                    mine = np.array([c.council.startswith(NEIGHBOUR) for c in units])
                    theirs = np.array([h.council.startswith(NEIGHBOUR) for h in offer])
                    allowed = late[:, None] | (mine[:, None] == theirs[None, :])
                calls += 1
                found = _link(policy, fit, units, offer, today, allowed, market, tried)
                if cap is None:
                    linked += found
                    break
                if not found:
                    break
                for uid, hid in found:
                    interests[uid] = (hid, today + a.interest_days)
        changed.clear()
        for uid, hid in linked:
            del waiting[uid]
            del free[hid]  # one household, one unit: it leaves the pool when linked
            links.append((today + a.link_to_match_days, uid, hid))
        trajectory.append(
            (
                today,
                sum(1 for u in waiting if u in own) + sum(1 for link in links if link[1] in own),
                sum(1 for h in free if not h.startswith(NEIGHBOUR)),
            )
        )
    own_outcomes = [outcomes[c.id] for c in arrivals.children]
    left_free = sum(1 for h in free if not h.startswith(NEIGHBOUR))
    return Run(policy.key, horizon, own_outcomes, left_free, withdrawn, trajectory, calls)


# --------------------------------------------------------------------------------------------
# Replications and summaries with 95% confidence intervals
# --------------------------------------------------------------------------------------------


class EstimateDict(TypedDict):
    mean: float | None
    low: float | None
    high: float | None
    replications: int


@dataclass(frozen=True)
class Estimate:
    mean: float | None
    low: float | None
    high: float | None
    n: int  # replications with a value

    @classmethod
    def of(cls, values: Sequence[float | None]) -> Estimate:
        xs = [float(v) for v in values if v is not None and not math.isnan(v)]
        if not xs:
            return cls(None, None, None, 0)
        m = statistics.fmean(xs)
        if len(xs) < 2:
            return cls(m, None, None, 1)
        half = float(stdtrit(len(xs) - 1, 0.975)) * statistics.stdev(xs) / math.sqrt(len(xs))
        return cls(m, m - half, m + half, len(xs))

    @classmethod
    def reduction_percent(cls, baseline: Sequence[float | None], policy: Sequence[float | None]) -> Estimate:
        """Per cent by which the policy's mean is below the baseline's, paired by replication: the
        ratio estimator 100 (1 - mean(policy) / mean(baseline)) over the replications where both have a
        value, with a 95% interval from the delta method (Student t): Var(R) ~ Var(y - R x) / (n mean(x)^2)."""
        pairs = [
            (float(x), float(y))
            for x, y in zip(baseline, policy)
            if x is not None and y is not None and not math.isnan(x) and not math.isnan(y)
        ]
        if not pairs or not statistics.fmean(x for x, _ in pairs):
            return cls(None, None, None, 0)
        xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
        ratio = statistics.fmean(ys) / statistics.fmean(xs)
        if len(pairs) < 2:
            return cls(100 * (1 - ratio), None, None, 1)
        spread = statistics.stdev(y - ratio * x for x, y in pairs) / (math.sqrt(len(pairs)) * statistics.fmean(xs))
        half = float(stdtrit(len(pairs) - 1, 0.975)) * spread
        return cls(100 * (1 - ratio), 100 * (1 - ratio - half), 100 * (1 - ratio + half), len(pairs))

    def as_dict(self) -> EstimateDict:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 2)

        return {"mean": r(self.mean), "low": r(self.low), "high": r(self.high), "replications": self.n}


def _measures(run: Run, keep: Callable[[ChildOutcome], bool]) -> dict[str, float | None]:
    kids = [c for c in run.children if keep(c)]
    days = [
        c.days_to_match
        for c in kids
        if c.matched_day is not None and c.days_to_match is not None and c.matched_day <= run.horizon
    ]
    # Share matched within 121 days: of the children whose 121 days had passed by the end.
    eligible = [c for c in kids if c.arrival.day + A2_THRESHOLD_DAYS <= run.horizon]
    within = [c for c in eligible if c.matched_day is not None and c.matched_day - c.arrival.day <= A2_THRESHOLD_DAYS]
    left = sum(1 for c in kids if c.left_day is not None)
    matched = len(days)
    # Every child's wait, to the match, the plan change or the end of the period (censored).
    waited = [min(x for x in (c.matched_day, c.left_day, run.horizon) if x is not None) - c.arrival.day for c in kids]
    return {
        "mean_days": statistics.fmean(days) if days else None,
        "median_days": float(statistics.median(days)) if days else None,
        "mean_days_waited": statistics.fmean(waited) if waited else None,
        "share_within_121": 100 * len(within) / len(eligible) if eligible else None,
        "arrived": float(len(kids)),
        "matched": float(matched),
        "plan_changed": float(left),
        "waiting_at_end": float(len(kids) - matched - left),
    }


MEASURES = (
    "mean_days",
    "median_days",
    "mean_days_waited",
    "share_within_121",
    "arrived",
    "matched",
    "plan_changed",
    "waiting_at_end",
)
MEASURE_LABELS = {
    "mean_days": "Mean days, placement order to match (A2)",
    "median_days": "Median days, placement order to match",
    "mean_days_waited": "Mean days waited by every child (to match, plan change or the end)",
    "share_within_121": "Matched within 121 days (%)",
    "arrived": "Children (units) arriving",
    "matched": "Matched",
    "plan_changed": "Plan changed away from adoption",
    "waiting_at_end": "Still waiting at the end",
}


@dataclass
class PolicyResult:
    policy: Policy
    overall: dict[str, Estimate]
    by_group: dict[str, dict[str, Estimate]]
    by_council: dict[str, dict[str, Estimate]]
    households_waiting_end: Estimate
    households_withdrawn: Estimate
    wait_distribution: list[float]  # share of matched children per WAIT_BANDS band, pooled over replications
    trajectory: list[tuple[int, float, float]]  # (day, mean children waiting, mean households waiting)
    engine_calls: int


@dataclass
class Result:
    params: Parameters
    policies: list[PolicyResult]
    seconds: float = 0.0
    # Per policy, per group (GROUPS and FAIRNESS_GROUPS), each replication's mean days waited by
    # every child of the group (None where the group had no child): for paired comparisons.
    waited: dict[str, dict[str, list[float | None]]] = field(default_factory=dict)
    calibration: Calibration | None = None

    def policy(self, key: str) -> PolicyResult:
        return next(p for p in self.policies if p.policy.key == key)

    def reduction(self, key: str, baseline: str, group: str = "all") -> Estimate:
        """Reduction in mean days to match against the baseline, in days, paired by replication."""
        return self._paired[(key, baseline, group)]

    def waited_reduction(self, key: str, baseline: str, group: str = "all") -> Estimate:
        """Per cent by which `key` shortens the mean days waited by every child of the group against
        the baseline (Estimate.reduction_percent: paired by replication, ratio estimator)."""
        return Estimate.reduction_percent(self.waited[baseline][group], self.waited[key][group])

    _paired: dict[tuple[str, str, str], Estimate] = field(default_factory=dict)


def _in_group(group: str) -> Callable[[ChildOutcome], bool]:
    return lambda c: group in c.arrival.groups


def _from_council(code: str) -> Callable[[ChildOutcome], bool]:
    return lambda c: c.arrival.council == code


def _difference(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def summarise(params: Parameters, policy: Policy, runs: list[Run]) -> PolicyResult:
    per_rep = [{g: _measures(r, _in_group(g)) for g in GROUPS} for r in runs]
    councils = [c.code for c in params.councils]
    per_council = [{k: _measures(r, _from_council(k)) for k in councils} for r in runs]
    by_group = {g: {m: Estimate.of([rep[g][m] for rep in per_rep]) for m in MEASURES} for g in GROUPS}
    by_council = {k: {m: Estimate.of([rep[k][m] for rep in per_council]) for m in MEASURES} for k in councils}
    counts = [0] * len(WAIT_BANDS)
    for r in runs:
        for c in r.children:
            d = c.days_to_match
            if d is not None and c.matched_day is not None and c.matched_day <= r.horizon:
                counts[next(i for i, (lo, hi, _) in enumerate(WAIT_BANDS) if lo <= d <= hi)] += 1
    total = sum(counts) or 1
    steps = len(runs[0].trajectory) if runs else 0
    trajectory = [
        (
            runs[0].trajectory[i][0],
            statistics.fmean(r.trajectory[i][1] for r in runs),
            statistics.fmean(r.trajectory[i][2] for r in runs),
        )
        for i in range(steps)
    ]
    return PolicyResult(
        policy,
        by_group["all"],
        by_group,
        by_council,
        Estimate.of([r.households_waiting_end for r in runs]),
        Estimate.of([r.households_withdrawn for r in runs]),
        [100 * n / total for n in counts],
        trajectory,
        sum(r.engine_calls for r in runs),
    )


def _replicate(args: tuple[Parameters, list[Policy], int]) -> list[Run]:
    params, policies, replication = args
    arrivals = draw_arrivals(params, replication)
    neighbour = draw_arrivals(params, replication, NEIGHBOUR) if any(p.escalation for p in policies) else None
    recruits = draw_recruits(params, replication) if any(p.recruitment for p in policies) else ()
    return [
        simulate(params, policy, arrivals, neighbour=neighbour, recruits=recruits, replication=replication)
        for policy in policies
    ]


def _runs(
    params: Parameters, policies: list[Policy], replications: Sequence[int], workers: int, pool: Executor | None = None
) -> list[list[Run]]:
    jobs = [(params, policies, r) for r in replications]
    if pool is not None and len(jobs) > 1:
        return list(pool.map(_replicate, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as own:
            return _runs(params, policies, replications, workers, own)
    return [_replicate(job) for job in jobs]


@dataclass(frozen=True)
class Calibration:
    """The household arrival scale (the same for every policy) that brings regional first come,
    first served's mean days waited by every child to the national figure, found by bisection on
    the comparison's first replications (first come, first served only: the engine plays no part)."""

    target_days: float
    scale: float
    replications: int
    steps: tuple[tuple[float, float], ...]  # (scale tried, regional FCFS mean days waited)


def calibrate(
    params: Parameters,
    target_days: float = NATIONAL_WAIT_DAYS,
    replications: int = 10,
    low: float = 0.7,
    high: float = 2.0,
    steps: int = 6,
    workers: int = 1,
) -> Calibration:
    """Bisect the household scale (geometrically, between low and high times the fitted rates): more
    households, shorter waits."""
    policy = [Policy("regional_fcfs", "Regional pool, first come first served", "regional_fcfs")]
    tried: list[tuple[float, float]] = []
    reps = range(replications)
    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:
        for _ in range(steps):
            scale = math.sqrt(low * high)
            runs = _runs(replace(params, household_scale=scale), policy, reps, workers, pool)
            waits = [w for w in (_measures(r[0], lambda c: True)["mean_days_waited"] for r in runs) if w is not None]
            wait = statistics.fmean(waits) if waits else math.inf
            tried.append((round(scale, 4), round(wait, 1)))
            if wait > target_days:
                low = scale
            else:
                high = scale
    scale = math.sqrt(low * high)
    return Calibration(target_days, round(scale, 4), replications, tuple(tried))


def run(
    params: Parameters,
    policies: Sequence[Policy] | None = None,
    workers: int = 1,
    scenario_replications: int | None = None,
) -> Result:
    """Every policy on every replication's shared arrivals; the scenarios (what-ifs) on the first
    `scenario_replications` of them (None: all), paired with the others on those. workers > 1
    spreads replications over processes; the result does not depend on it."""
    started = time.perf_counter()
    policies = list(policies or default_policies(assumptions=params.assumptions))
    headline = [p for p in policies if not p.scenario]
    whatif = [p for p in policies if p.scenario]
    n = params.replications
    k = n if scenario_replications is None else max(0, min(n, scenario_replications))
    with ProcessPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:
        runs: dict[str, list[Run]] = {}
        for group, reps in ((headline, range(n)), (whatif, range(k))):
            if group and len(reps):
                for per_rep in _runs(params, group, reps, workers, pool):
                    for p, r in zip(group, per_rep):
                        runs.setdefault(p.key, []).append(r)
    policies = [p for p in policies if p.key in runs]
    result = Result(params, [summarise(params, p, runs[p.key]) for p in policies])
    for p in policies:
        result.waited[p.key] = {
            g: [_measures(r, _in_group(g))["mean_days_waited"] for r in runs[p.key]]
            for g in (*GROUPS, *FAIRNESS_GROUPS)
        }
    means = {
        p.key: [{g: _measures(r, _in_group(g))["mean_days"] for g in GROUPS} for r in runs[p.key]] for p in policies
    }
    for p in policies:
        for b in policies:
            if p.key != b.key:
                for g in GROUPS:
                    result._paired[(p.key, b.key, g)] = Estimate.of(
                        [_difference(x[g], y[g]) for x, y in zip(means[p.key], means[b.key])]
                    )
    result.seconds = time.perf_counter() - started
    return result
