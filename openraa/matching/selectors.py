"""What family finders see: a child's shortlist, the children a household could be considered for,
and the region-wide view (suggestion, sufficiency gaps, reach by characteristic)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from openraa.children.models import Child
from openraa.households.models import Applicant, Capability, Household
from openraa.journeys.models import ChildStep, HouseholdStep
from openraa.matching import adapters, engine
from openraa.matching.engine import dynamic
from openraa.matching.models import Escalation, Interest, MatchingSettings, Visit, settings_for
from openraa.partnership.models import Agency, Council
from openraa.people import policy
from openraa.reference import DISABILITY_NEEDS, NEEDS, OLDER_CHILD_AGE


def matchable_children(user, action: str = "view"):
    # A sealed adoption record opens only on its own page, with a reason: never through family finding.
    return policy.restrict(Child.objects.unsealed(), user, "matching", action)


def searched_agencies(agency: Agency) -> list[int]:
    """The agency, and each neighbour that it names and that names it back (mutual opt-in)."""
    config = MatchingSettings.objects.filter(agency=agency).first()
    if config is None:
        return [agency.pk]
    mutual = config.share_with.filter(matching_settings__share_with=agency).values_list("pk", flat=True)
    return [agency.pk, *mutual]


@dataclass(frozen=True)
class Context:
    weights: engine.Weights
    settings: engine.Settings
    pool: engine.HouseholdPool

    def records(self, household_ids) -> dict[str, Household]:
        """The household records behind some engine ids (only those shown are loaded)."""
        pks = [int(hid.removeprefix("H-")) for hid in household_ids]
        return {h.reference: h for h in Household.objects.filter(pk__in=pks).select_related("agency", "home_council")}


# Encoding every household of a region costs seconds at 10,000 households, and a shortlist needs
# them all: keep the encoded pool per process until any household, applicant, capability, link or
# journey step changes.
_POOLS: dict[tuple, engine.HouseholdPool] = {}


def _pool(agencies: list[int], today: date, in_assessment: bool) -> engine.HouseholdPool:
    households = Household.objects.filter(agency_id__in=agencies, closed_on__isnull=True)
    fingerprint = (tuple(agencies), today, in_assessment, *_last_changes())
    pool = _POOLS.get(fingerprint)
    if pool is None:
        pool = engine.HouseholdPool(adapters.households(households, today, in_assessment=in_assessment))
        _POOLS.clear()  # one region per process is enough; stale pools are never reused
        _POOLS[fingerprint] = pool
    return pool


# Every save or deletion of a household, applicant or capability writes a history row, and every
# household is made with a new id: the highest of each changes whenever anything the pool holds
# does. Each is the top of a primary key, so asking costs an index lookup, not a scan of the
# region's households (it was a count and sum over them: 1.7 ms of the database per shortlist).
_CHANGE_MARKERS = (
    (Household, "id"),
    (Household.history.model, "history_id"),
    (Applicant.history.model, "history_id"),
    (Capability.history.model, "history_id"),
    (HouseholdStep, "id"),
    (ChildStep, "id"),
)


def _last_changes() -> tuple:
    """The highest key of each marker, in one statement."""
    tops = ", ".join(
        f"(SELECT MAX({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(model._meta.db_table)})"
        for model, column in _CHANGE_MARKERS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tops}")  # table and column names from the models: no input
        return tuple(cursor.fetchone())


def engine_settings(config: MatchingSettings) -> engine.Settings:
    return engine.Settings(
        identification_radius_km=config.identification_radius_km,
        max_distance_km=config.max_distance_km,
        council_names=dict(Council.objects.values_list("ons_code", "name")),
    )


def context_for(agency: Agency, today: date, *, in_assessment: bool = False) -> Context:
    config = settings_for(agency)
    return Context(config.weights(), engine_settings(config), _pool(searched_agencies(agency), today, in_assessment))


def child_shortlist(child: Child, today: date, *, viewer, with_reasons: bool = False, limit: int = 20):
    """The child's unit (with its brothers and sisters to be placed together), its ranked candidates
    and, on request, why each other household was excluded, in words `viewer` may read (the birth
    family's area only for those who may see it of every child of the unit)."""
    members = list(adapters.with_matching_data(unit_members(child)))
    unit = adapters.unit_of(adapters.child_unit_id(child), members, today)
    ctx = context_for(child.agency, today)
    result = engine.shortlist(unit, ctx.pool, ctx.weights, ctx.settings, limit=limit)
    reasons = {}
    if with_reasons:
        reveal = not any(policy.hidden_fields(viewer, member) & set(Child.BIRTH_FAMILY_FIELDS) for member in members)
        reasons = engine.exclusion_reasons(unit, ctx.pool, settings=ctx.settings, reveal_birth_family=reveal)
    return unit, members, result, ctx.records(c.household_id for c in result.candidates), reasons


def unit_members(child: Child):
    group = child.sibling_group
    if group is not None and group.place_together:
        return Child.objects.filter(sibling_group=group, stage=child.stage).order_by("id")
    return Child.objects.filter(pk=child.pk)


def household_candidates(household: Household, user, today: date):
    """Waiting children this household could be considered for, best first."""
    ctx = context_for(household.agency, today)
    if household.reference not in ctx.pool.position:
        return []
    one = engine.HouseholdPool([ctx.pool.households[ctx.pool.position[household.reference]]])
    units, members = adapters.units(adapters.seeking_children(matchable_children(user)), today)
    found = []
    for unit in units:
        result = engine.shortlist(unit, one, ctx.weights, ctx.settings, limit=1)
        if result.candidates:
            found.append((result.candidates[0], unit, members[unit.id]))
    return sorted(found, key=lambda row: -row[0].points)


HARD_TO_PLACE = {
    "older": f"Aged {OLDER_CHILD_AGE} or over",
    "siblings": "In a sibling group",
    "minority_ethnic": "Minority ethnic",
    "disability": "Disability",
}


def characteristics(unit: engine.Unit) -> set[str]:
    found = set()
    if max(unit.ages) >= OLDER_CHILD_AGE:
        found.add("older")
    if unit.size > 1:
        found.add("siblings")
    if any(code not in ("WBRI", "REFU", "NOBT") for code in unit.ethnicities):
        found.add("minority_ethnic")
    if any(code in DISABILITY_NEEDS for code in unit.needs):
        found.add("disability")
    return found


@dataclass(frozen=True)
class UnitRow:
    """One waiting unit on the family-finding page: every unit appears, whatever its reach."""

    unit: engine.Unit
    members: list[Child]
    reach: engine.Reach
    suggested: engine.Pair | None  # the region-wide suggestion's household, if any
    first_come: engine.Pair | None
    suggested_household: Household | None
    first_come_household: Household | None
    blocked_words: str  # what no household accepts (blocked units only)
    unblock: list[str]  # what would unblock it, the most near misses first
    escalations: list  # offers to neighbouring agencies
    escalate_on: date | None  # when it is offered, if blocked and not yet offered


def regional(user, today: date):
    """Every waiting unit the user may see, blocked ones first, with the region-wide suggestion
    beside first come, first served, what blocks the others and what would unblock them, the
    sufficiency gaps, recruitment targets and the reach of matching by characteristic."""
    ctx = context_for(user.agency, today, in_assessment=True)
    units, members = adapters.units(adapters.seeking_children(matchable_children(user)), today)
    # The engine's dynamic policy (waits, scarcity, ageing out of approvals; engine/dynamic.py), re-run
    # whenever a record changes: the pool's cache key holds the last change of every record it reads.
    # Only households free to link can be suggested: the matrices are built over those alone (a
    # third of a 10,000-household region's pool, with those in assessment or in a link).
    free = engine.HouseholdPool([h for h in ctx.pool.households if h.approved and not h.in_active_link])
    suggestion = dynamic.suggest(units, free, ctx.weights, ctx.settings)
    reaches = engine.reach(units, ctx.pool, ctx.settings)
    gaps = engine.sufficiency(units, ctx.pool, ctx.settings)
    optimal = {p.unit_id: p for p in suggestion.optimal.pairs}
    first_come = {p.unit_id: p for p in suggestion.greedy.pairs}
    offers = escalations_by_unit([u.id for u in units])
    households = ctx.records({p.household_id for p in (*suggestion.optimal.pairs, *suggestion.greedy.pairs)})
    after = settings_for(user.agency).escalate_after_days
    rows = []
    for unit, unit_reach in zip(units, reaches):
        offered = offers.get(unit.id, [])
        rows.append(
            UnitRow(
                unit,
                members[unit.id],
                unit_reach,
                optimal.get(unit.id),
                first_come.get(unit.id),
                households.get(optimal[unit.id].household_id) if unit.id in optimal else None,
                households.get(first_come[unit.id].household_id) if unit.id in first_come else None,
                engine.blocked_words(unit, ctx.settings) if unit_reach.blocked else "",
                [engine.unblock_words(unit, b, ctx.settings) for b in unit_reach.blockers[:2]]
                if unit_reach.blocked
                else [],
                offered,
                today + timedelta(days=max(0, after - unit.days_waiting))
                if unit_reach.blocked and not offered
                else None,
            )
        )
    # Blocked first, then those the suggestion leaves without a household, then the suggested; each
    # longest waiting first.
    rows.sort(key=lambda r: (not r.reach.blocked, r.suggested is not None, -r.unit.days_waiting, r.unit.id))
    no_household = {r.unit.id for r in rows if r.reach.blocked}
    placed, placed_first_come = suggestion.optimal.placed, suggestion.greedy.placed
    reach = Counter()
    for unit in units:
        for name in characteristics(unit) | {"all"}:
            reach[name, "units"] += 1
            reach[name, "reached"] += unit.id not in no_household
            reach[name, "optimal"] += unit.id in placed
            reach[name, "greedy"] += unit.id in placed_first_come
    matched = matchable_children(user).filter(matched_on__gte=today - timedelta(days=365))
    matched_units, _ = adapters.units(adapters.with_matching_data(matched), today)
    for unit in matched_units:
        for name in characteristics(unit) | {"all"}:
            reach[name, "matched"] += 1
    reach_rows = [
        {"label": label, **{key: reach[name, key] for key in ("units", "reached", "optimal", "greedy", "matched")}}
        for name, label in [("all", "All waiting units"), *HARD_TO_PLACE.items()]
    ]
    return {
        "rows": rows,
        "suggestion": suggestion,
        "gaps": gaps,
        "targets": engine.recruitment_targets(units, reaches),
        "reach": reach_rows,
    }


def interests_for(members):
    """The unit's interests: recorded on one child, they belong to every child placed together."""
    return (
        Interest.objects.filter(child__in=members)
        .select_related("household", "household__agency", "recorded_by", "child")
        .order_by("-expressed_on", "-id")
    )


def visits_for(members):
    return (
        Visit.objects.filter(child__in=members)
        .select_related("household", "recorded_by", "child")
        .order_by("-visited_on", "-id")
    )


def household_interests(household: Household):
    return (
        Interest.objects.filter(household=household)
        .select_related("child", "recorded_by")
        .order_by("-expressed_on", "-id")
    )


def escalations_by_unit(unit_ids) -> dict[str, list[Escalation]]:
    found: dict[str, list[Escalation]] = {}
    for offer in Escalation.objects.filter(unit_reference__in=unit_ids).select_related("to_agency"):
        found.setdefault(offer.unit_reference, []).append(offer)
    return found


def household_rules(household: Household) -> list[str]:
    """The household's approval and the agency's rules, in words: what decides which children it
    can be considered for, shown to its worker before any interest is expressed."""
    rules = []
    if household.approved_children and household.age_min is not None and household.age_max is not None:
        n = household.approved_children
        number = "1 child" if n == 1 else f"up to {n} children"
        rules.append(f"Approved for {number} aged {household.age_min} to {household.age_max}")
    else:
        rules.append("No approval range recorded yet: not considered for any child")
    if household.approved_children and household.approved_children > 1:
        rules.append(
            "Open to brothers and sisters placed together"
            if household.sibling_group_open
            else "Not open to brothers and sisters placed together"
        )
    met = [
        f"{NEEDS[c.need][0] if c.need in NEEDS else c.need} ({c.level})"
        for c in household.capabilities.order_by("need")
        if c.level != "none"
    ]
    rules.append(
        "Can meet: " + ", ".join(met) if met else "Can meet no recorded need: children with needs are excluded"
    )
    where = household.home_council.name if household.home_council_id else "an unknown area"
    config = settings_for(household.agency)
    rules.append(
        f"Lives in {where}: never considered for a child whose birth family is within "
        f"{config.identification_radius_km:g} km when a risk of identification is recorded, nor for a "
        "child whose plan excludes that area"
    )
    if config.max_distance_km is not None:
        rules.append(f"Considered only for children within {config.max_distance_km:g} km")
    return rules


def rules_between(child: Child, household: Household, today: date, *, viewer) -> list[str]:
    """The hard rules that exclude this household for the child's unit, in words the viewer may
    read (empty: it breaks none)."""
    members = list(adapters.with_matching_data(unit_members(child)))
    unit = adapters.unit_of(adapters.child_unit_id(child), members, today)
    one = adapters.households(Household.objects.filter(pk=household.pk), today)
    if not one:
        return ["not approved, or no approval range recorded"]
    settings = engine_settings(settings_for(child.agency))
    reveal = not any(policy.hidden_fields(viewer, member) & set(Child.BIRTH_FAMILY_FIELDS) for member in members)
    reasons = engine.exclusion_reasons(unit, engine.HouseholdPool(one), settings=settings, reveal_birth_family=reveal)
    return reasons.get(household.reference, [])
