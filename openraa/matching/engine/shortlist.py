"""One unit against every household: the ranked shortlist with a factor-by-factor explanation a
social worker can read, and, on request, why each excluded household was excluded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from openraa.reference import ETHNICITIES, NEEDS

from . import core
from .model import (
    FACTORS,
    Candidate,
    Factor,
    Household,
    Settings,
    Shortlist,
    Unit,
    Weights,
)

DEFAULT_WEIGHTS = Weights()
DEFAULT_SETTINGS = Settings()


def shortlist(
    unit: Unit,
    pool: core.HouseholdPool,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
    limit: int = 20,
) -> Shortlist:
    """The best `limit` households for this unit, best first, among those breaking no hard constraint.
    Ties keep the pool's order, so the result is the same every time."""
    u = core.UnitArrays([unit], pool, weights, settings).rows(slice(None))
    everyone = pool.columns()
    ok = core.feasible(u, everyone, settings)[0]
    pts = core.points(u, everyone, weights, settings)[0]
    passing = np.flatnonzero(ok)
    if len(passing) > limit:
        # Only the best need sorting: keep every household scoring at least the limit-th best,
        # so that ties at the boundary are still broken by pool order.
        threshold = np.partition(pts[passing], len(passing) - limit)[len(passing) - limit]
        passing = passing[pts[passing] >= threshold]
    best = passing[np.lexsort((passing, -pts[passing]))][:limit]
    return Shortlist(
        unit_id=unit.id,
        candidates=tuple(explain(unit, pool, best, weights, settings)),
        feasible=int(ok.sum()),
        excluded=int(len(pool) - ok.sum()),
    )


def explain(
    unit: Unit,
    pool: core.HouseholdPool,
    cols: Sequence[int] | np.ndarray,
    weights: Weights = DEFAULT_WEIGHTS,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Candidate]:
    """Each household's points per factor, with the words for them, from the same vectorised values
    as the ranking."""
    cols = np.asarray(cols, dtype=np.int64)
    u = core.UnitArrays([unit], pool, weights, settings).rows(slice(None))
    h = pool.columns(cols)
    values = {name: table[0] for name, table in core.factor_table(u, h, settings).items()}
    spare = core.spare_needs(u, h)[0]
    km = np.broadcast_to(core._distance(u.x, u.y, h), (1, len(cols)))[0]
    result = []
    for i, col in enumerate(cols):
        household = pool.households[col]
        words = _factor_words(unit, household, {name: values[name][i] for name in FACTORS}, int(spare[i]), km[i])
        factors = tuple(
            Factor(name, round(weights.factor(name) * float(values[name][i]), 2), words[name][0]) for name in FACTORS
        )
        summary = "; ".join(text for name in FACTORS for text, in_summary in [words[name]] if in_summary)
        result.append(Candidate(household.id, round(sum(f.points for f in factors), 2), factors, summary))
    return result


def _factor_words(
    unit: Unit, household: Household, value: dict[str, float], spare: int, km: float
) -> dict[str, tuple[str, bool]]:
    """Factor -> (text, whether it belongs in the one-line summary). The summary leaves out what is
    the same for every household (the child's own wait) and what does not apply."""
    n = sum(1 for severity in unit.needs.values() if severity != "none")
    if n:
        needs = f"meets {n} of {n} need{'s' if n > 1 else ''}"
        needs += f", {spare} with a level to spare" if spare else ""
        needs_words = (needs, True)
    else:
        needs_words = ("no needs recorded", False)

    if not unit.preferred_ethnicities:
        ethnicity = ("no ethnicity preference recorded", False)
    elif value["ethnicity"] >= 1.0:
        shared = [c for c in household.ethnicities if c in set(unit.preferred_ethnicities)]
        ethnicity = (f"an applicant's ethnicity is as preferred ({_ethnicities(shared)})", True)
    elif value["ethnicity"] > 0:
        groups = sorted(
            {core.ethnic_group(c) for c in unit.preferred_ethnicities}
            & {core.ethnic_group(c) for c in household.ethnicities}
        )
        ethnicity = (f"an applicant shares the preferred {' or '.join(groups)} background", True)
    else:
        ethnicity = (f"no applicant of the preferred ethnicity ({_ethnicities(unit.preferred_ethnicities)})", True)

    if not unit.preferred_religion:
        religion = ("no religion preference recorded", False)
    elif value["religion"] >= 1.0:
        religion = (f"shares the preferred religion ({unit.preferred_religion})", True)
    else:
        religion = (f"does not share the preferred religion ({unit.preferred_religion})", True)

    if not unit.preferred_languages:
        language = ("no language preference recorded", False)
    elif value["language"] >= 1.0:
        spoken = [lang for lang in household.languages if lang in set(unit.preferred_languages)]
        language = (f"speaks {_and(spoken)}, as preferred", True)
    else:
        language = (f"does not speak the preferred {_or(sorted(unit.preferred_languages))}", True)

    distance = ("distance not known", False) if np.isnan(km) else (f"{km:.0f} km", True)
    who = "child" if unit.size == 1 else "children"
    if not unit.early_permanence:
        early = ("early permanence not sought", False)
    elif value["early_permanence"] >= 1.0:
        early = ("approved for early permanence, as the plan seeks", True)
    else:
        early = ("not approved for early permanence, which the plan seeks", True)
    return {
        "needs": needs_words,
        "ethnicity": ethnicity,
        "religion": religion,
        "language": language,
        "distance": distance,
        "child_waiting": (f"{who} waiting {unit.days_waiting} days", False),
        "household_waiting": (f"household waiting {household.days_waiting} days", True),
        "early_permanence": early,
    }


# What a reader without the birth-family grant is told of the rules that keep a child away from the
# birth family: naming the area or the distance would tell where the birth family lives.
IDENTIFICATION_REASON = "excluded: risk of identification"
_BIRTH_FAMILY_RULES = ("excluded_area", "near_birth_family")


# Rules whose words would say where a child or their birth family is: a family outside them is not
# shown the child at all (families app), never told why.
LOCATION_RULES = frozenset({"excluded_area", "near_birth_family", "too_far"})


def broken_rules(unit: Unit, pool: core.HouseholdPool, settings: Settings = DEFAULT_SETTINGS) -> dict[str, set[str]]:
    """For each household of the pool that breaks a hard constraint for the unit, the names of the
    constraints it breaks ("ages", "siblings", "need:...", "near_birth_family", ...)."""
    u = core.UnitArrays([unit], pool, DEFAULT_WEIGHTS, settings).rows(slice(None))
    h = pool.columns(np.arange(len(pool)))
    broken_by: dict[str, set[str]] = {}
    for name, _, broken in core.violations(u, h, settings):
        for i in np.flatnonzero(np.broadcast_to(broken, (1, len(pool)))[0]).tolist():
            broken_by.setdefault(pool.ids[i], set()).add(name)
    return broken_by


def exclusion_reasons(
    unit: Unit,
    pool: core.HouseholdPool,
    household_ids: Iterable[str] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    reveal_birth_family: bool = False,
) -> dict[str, list[str]]:
    """For each excluded household (of those asked about, or all), every hard constraint it breaks,
    in words. Households that break none are left out. Unless `reveal_birth_family`, the rules
    about the birth family's area say only IDENTIFICATION_REASON."""
    if household_ids is None:
        cols = np.arange(len(pool))
    else:
        cols = np.array([pool.position[hid] for hid in household_ids], dtype=np.int64)
    u = core.UnitArrays([unit], pool, DEFAULT_WEIGHTS, settings).rows(slice(None))
    h = pool.columns(cols)
    reasons: dict[int, list[str]] = {}
    for name, _, broken in core.violations(u, h, settings):  # one unit: rows are all or none of it
        hits = np.flatnonzero(np.broadcast_to(broken, (1, len(cols)))[0])
        if not len(hits):
            continue
        if name in ("near_birth_family", "too_far"):
            origin = (u.birth_x, u.birth_y) if name == "near_birth_family" else (u.x, u.y)
            km = np.sqrt(core._squared_km(*origin, h))[0]
        for i in hits.tolist():
            words = reasons.setdefault(i, [])
            if name in _BIRTH_FAMILY_RULES and not reveal_birth_family:
                if IDENTIFICATION_REASON not in words:
                    words.append(IDENTIFICATION_REASON)
                continue
            household = pool.households[cols[i]]
            words.extend(
                _reason_words(
                    name, unit, household, settings, km[i] if name in ("near_birth_family", "too_far") else 0.0
                )
            )
    return {pool.ids[cols[i]]: words for i, words in sorted(reasons.items())}


def _reason_words(name: str, unit: Unit, household: Household, settings: Settings, km: float) -> list[str]:
    if name == "not_approved":
        return ["not yet approved"]
    if name == "active_link":
        return ["already in an active link"]
    if name == "too_many_children":
        n = household.approved_children
        return [f"approved for {n} child{'ren' if n != 1 else ''}; the group is {unit.size}"]
    if name == "siblings":
        return [f"not open to a sibling group of {unit.size}"]
    if name == "ages":
        ages = sorted(unit.ages)
        child = f"the child is {ages[0]}" if len(ages) == 1 else f"the children are {_and([str(a) for a in ages])}"
        return [f"approved for children aged {household.age_min} to {household.age_max}; {child}"]
    if name == "excluded_area":
        return [f"lives in {settings.council_name(household.council)}, an excluded area"]
    if name == "near_birth_family":
        return [f"{km:.0f} km from the birth family's area (at least {settings.identification_radius_km:g} km needed)"]
    if name == "too_far":
        return [f"{km:.0f} km from the child (at most {settings.max_distance_km:g} km)"]
    if name == "unknown_need":
        return [
            f"cannot meet {_need(code)} at {severity} level"
            for code, severity in unit.needs.items()
            if severity != "none" and code not in household.capabilities and code not in NEEDS
        ]
    code = name.removeprefix("need:")
    can = household.capabilities.get(code, "none")
    return [f"cannot meet {_need(code)} at {unit.needs[code]} level" + (f" (up to {can})" if can != "none" else "")]


def _need(code: str) -> str:
    label = NEEDS[code][0] if code in NEEDS else code.replace("_", " ")
    return label[0].lower() + label[1:]


def _ethnicities(codes: Iterable[str]) -> str:
    return _and([ETHNICITIES[c][0] if c in ETHNICITIES else c for c in codes])


def _and(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _or(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
