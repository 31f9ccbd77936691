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
new children and households arrive, and the policy links units with households. Feasibility and
scoring are always those of openraa.matching.engine: first come, first served is the engine's
`greedy` (the longest-waiting unit first, each taking its best feasible household still free), the
regional engine is the engine's optimal assignment (`suggest(...).optimal`) run every
`engine_interval_days`. A policy restricted to "each council alone" runs the same greedy on each
council's own children and households.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TypedDict

import numpy as np
from scipy.special import stdtrit

from openraa.matching import engine
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
    engine_interval_days: int = 28  # the regional engine runs this often
    step_days: int = 7  # simulation step (first come, first served is tried every step)


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

    @property
    def horizon_days(self) -> int:
        return round(self.years * 365)

    def scaled_households(self, factor: float) -> Parameters:
        return replace(
            self, councils=tuple(replace(c, households_per_year=c.households_per_year * factor) for c in self.councils)
        )


@dataclass(frozen=True)
class Policy:
    key: str
    label: str
    kind: str  # "council" | "regional_fcfs" | "regional_engine"
    weights: engine.Weights = field(default_factory=engine.Weights)


def default_policies(extra_weights: Mapping[str, engine.Weights] | None = None) -> list[Policy]:
    policies = [
        Policy("council_fcfs", "Each council alone, first come first served (pre-2016 baseline)", "council"),
        Policy("regional_fcfs", "Regional pool, first come first served", "regional_fcfs"),
        Policy("regional_engine", "Regional pool, OpenRAA matching engine", "regional_engine"),
    ]
    for name, weights in (extra_weights or {}).items():
        policies.append(
            Policy(f"engine_{name}", f"Regional pool, engine with weights: {name}", "regional_engine", weights)
        )
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


def _poisson_days(rng: np.random.Generator, per_year: float, horizon: int) -> list[int]:
    n = int(rng.poisson(max(per_year, 0.0) * horizon / 365))
    return sorted(int(d) for d in rng.integers(0, horizon, size=n)) if n else []


def draw_arrivals(params: Parameters, replication: int) -> Arrivals:
    # Children and households draw from streams of their own, so changing one side's rates leaves
    # the other side's arrivals exactly as they were.
    child_rng = np.random.default_rng([params.seed, replication, 0])
    home_rng = np.random.default_rng([params.seed, replication, 1])
    a, horizon = params.assumptions, params.horizon_days
    children: list[ChildArrival] = []
    households: list[HouseholdArrival] = []
    far = 10**9
    for council in params.councils:
        rng = child_rng
        for day in _poisson_days(rng, council.children_per_year if params.child_profiles else 0, horizon):
            profile = params.child_profiles[int(rng.integers(len(params.child_profiles)))]
            extra = rng.exponential(365 / a.plan_change_per_year) if a.plan_change_per_year > 0 else far
            disrupts = bool(rng.random() < a.disruption_probability)
            children.append(
                ChildArrival(
                    f"U{len(children)}",
                    council.code,
                    day,
                    profile,
                    int(min(day + a.plan_change_after_days + extra, far)),
                    disrupts,
                )
            )
        rng = home_rng
        for day in _poisson_days(rng, council.households_per_year if params.household_profiles else 0, horizon):
            wishes = params.household_profiles[int(rng.integers(len(params.household_profiles)))]
            stay = rng.exponential(365 / a.household_withdraw_per_year) if a.household_withdraw_per_year > 0 else far
            households.append(
                HouseholdArrival(f"H{len(households)}", council.code, day, wishes, int(min(day + stay, far)))
            )
    children.sort(key=lambda c: (c.day, c.id))
    households.sort(key=lambda h: (h.day, h.id))
    return Arrivals(tuple(children), tuple(households))


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
    children: list[ChildOutcome]
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


def _unit(c: ChildArrival, today: int) -> engine.Unit:
    grown = (today - c.day) // 365
    return engine.Unit(
        id=c.id,
        ages=[a + grown for a in c.profile.ages],
        needs=c.profile.needs,
        ethnicities=c.profile.ethnicities,
        council=c.council,
        days_waiting=today - c.day,
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


def _link(
    policy: Policy, units: list[engine.Unit], households: list[engine.Household], settings: engine.Settings
) -> list[tuple[str, str]]:
    """The engine's pairs for these waiting units and free households."""
    if not units or not households:
        return []
    pool = engine.HouseholdPool(households)
    if policy.kind == "regional_engine":
        chosen = engine.suggest(units, pool, policy.weights, settings).optimal
    else:
        encoded = engine.UnitArrays(units, pool, policy.weights, settings)
        value, ok = engine.value_matrix(encoded, pool, policy.weights, settings)
        chosen = engine.greedy(encoded, pool, value, ok, policy.weights)
    return [(p.unit_id, p.household_id) for p in chosen.pairs]


def _first_come(
    policy: Policy,
    settings: engine.Settings,
    today: int,
    waiting: dict[str, ChildArrival],
    free: dict[str, HouseholdArrival],
    new_units: set[str],
    new_households: set[str],
    council: str | None,
) -> tuple[list[tuple[str, str]], int]:
    """First come, first served within one scope (a council, or the region when council is None).

    Waiting units and free households that were already in the pool at the last pass had no
    feasible pair then, so only pairs with a newcomer can form: the engine's greedy over every
    waiting unit and the new households (the longest waiting first), then the new units still
    waiting over every household still free. (Ageing while waiting is not re-checked between
    newcomers: a simplification.)"""
    units = {u: c for u, c in waiting.items() if council is None or c.council == council}
    homes = {h: x for h, x in free.items() if council is None or x.council == council}
    fresh_u = [u for u in units if u in new_units]
    fresh_h = [h for h in homes if h in new_households]
    pairs: list[tuple[str, str]] = []
    calls = 0
    if fresh_h and units:
        calls += 1
        pairs = _link(
            policy, [_unit(c, today) for c in units.values()], [_household(homes[h], today) for h in fresh_h], settings
        )
    taken_u, taken_h = {p[0] for p in pairs}, {p[1] for p in pairs}
    fresh_u = [u for u in fresh_u if u not in taken_u]
    rest_h = [h for h in homes if h not in taken_h]
    if fresh_u and rest_h:
        calls += 1
        pairs += _link(
            policy, [_unit(units[u], today) for u in fresh_u], [_household(homes[h], today) for h in rest_h], settings
        )
    return pairs, calls


def simulate(params: Parameters, policy: Policy, arrivals: Arrivals, settings: engine.Settings | None = None) -> Run:
    settings = settings or engine.Settings()
    a, horizon = params.assumptions, params.horizon_days
    step = max(1, a.step_days)
    outcomes = {c.id: ChildOutcome(c) for c in arrivals.children}
    waiting: dict[str, ChildArrival] = {}  # in the pool, not linked
    free: dict[str, HouseholdArrival] = {}  # approved, waiting, not linked
    links: list[tuple[int, str, str]] = []  # (match day, unit, household)
    disruptions: list[tuple[int, str]] = []  # (day, unit)
    next_child = next_household = 0
    withdrawn = calls = 0
    trajectory: list[tuple[int, int, int]] = []
    new_units: set[str] = set()  # arrived or returned since the last first-come pass
    new_households: set[str] = set()
    last_engine = -(10**9)
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
            new_units.add(uid)
        # Plans changing, households withdrawing.
        for uid in [u for u, c in waiting.items() if c.plan_change_day <= today]:
            outcomes[uid].left_day = today
            del waiting[uid]
        for hid in [h for h, x in free.items() if x.withdraw_day <= today]:
            del free[hid]
            withdrawn += 1
        # Arrivals.
        while next_child < len(arrivals.children) and arrivals.children[next_child].day <= today:
            c = arrivals.children[next_child]
            waiting[c.id] = c
            new_units.add(c.id)
            next_child += 1
        while next_household < len(arrivals.households) and arrivals.households[next_household].day <= today:
            h = arrivals.households[next_household]
            if h.withdraw_day > today:
                free[h.id] = h
                new_households.add(h.id)
            next_household += 1
        # Linking.
        pairs: list[tuple[str, str]] = []
        if policy.kind == "regional_engine":
            if today - last_engine >= a.engine_interval_days:
                last_engine = today
                if waiting and free:
                    calls += 1
                    pairs = _link(
                        policy,
                        [_unit(c, today) for c in waiting.values()],
                        [_household(h, today) for h in free.values()],
                        settings,
                    )
        else:
            scopes = [None] if policy.kind == "regional_fcfs" else [c.code for c in params.councils]
            for scope in scopes:
                found, n = _first_come(policy, settings, today, waiting, free, new_units, new_households, scope)
                pairs += found
                calls += n
            new_units.clear()
            new_households.clear()
        for uid, hid in pairs:
            del waiting[uid]
            del free[hid]  # one household, one unit: it leaves the pool when linked
            links.append((today + a.link_to_match_days, uid, hid))
        trajectory.append((today, len(waiting) + len(links), len(free)))
    return Run(policy.key, horizon, list(outcomes.values()), len(free), withdrawn, trajectory, calls)


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

    def policy(self, key: str) -> PolicyResult:
        return next(p for p in self.policies if p.policy.key == key)

    def reduction(self, key: str, baseline: str, group: str = "all") -> Estimate:
        """Reduction in mean days to match against the baseline, in days, paired by replication."""
        return self._paired[(key, baseline, group)]

    _paired: dict[tuple[str, str, str], Estimate] = field(default_factory=dict)


def _in_group(group: str) -> Callable[[ChildOutcome], bool]:
    return lambda c: group in c.arrival.profile.groups()


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
    return [simulate(params, policy, arrivals) for policy in policies]


def run(params: Parameters, policies: Sequence[Policy] | None = None, workers: int = 1) -> Result:
    """Every policy on every replication's shared arrivals. workers > 1 spreads replications over
    processes; the result does not depend on it."""
    started = time.perf_counter()
    policies = list(policies or default_policies())
    jobs = [(params, policies, r) for r in range(params.replications)]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            per_rep = list(pool.map(_replicate, jobs, chunksize=max(1, len(jobs) // (4 * workers))))
    else:
        per_rep = [_replicate(job) for job in jobs]
    results = [summarise(params, p, [reps[i] for reps in per_rep]) for i, p in enumerate(policies)]
    result = Result(params, results)
    means = [
        [{g: _measures(reps[i], _in_group(g))["mean_days"] for g in GROUPS} for reps in per_rep]
        for i in range(len(policies))
    ]
    for i, p in enumerate(policies):
        for j, b in enumerate(policies):
            if i != j:
                for g in GROUPS:
                    result._paired[(p.key, b.key, g)] = Estimate.of(
                        [_difference(x[g], y[g]) for x, y in zip(means[i], means[j])]
                    )
    result.seconds = time.perf_counter() - started
    return result
