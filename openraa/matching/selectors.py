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
from openraa.matching.models import MatchingSettings, settings_for
from openraa.partnership.models import Agency, Council
from openraa.people import policy
from openraa.reference import DISABILITY_NEEDS, OLDER_CHILD_AGE


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


def context_for(agency: Agency, today: date, *, in_assessment: bool = False) -> Context:
    config = settings_for(agency)
    names = dict(Council.objects.values_list("ons_code", "name"))
    settings = engine.Settings(
        identification_radius_km=config.identification_radius_km,
        max_distance_km=config.max_distance_km,
        council_names=names,
    )
    return Context(config.weights(), settings, _pool(searched_agencies(agency), today, in_assessment))


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


def regional(user, today: date):
    """The region-wide suggestion beside first come, first served, the sufficiency gaps and the
    reach of matching by characteristic, for the user's agency."""
    ctx = context_for(user.agency, today, in_assessment=True)
    units, members = adapters.units(adapters.seeking_children(matchable_children(user)), today)
    suggestion = engine.suggest(units, ctx.pool, ctx.weights, ctx.settings)
    gaps = engine.sufficiency(units, ctx.pool, ctx.settings)
    no_household = set(suggestion.no_viable_household)
    reach = Counter()
    for unit in units:
        for name in characteristics(unit) | {"all"}:
            reach[name, "units"] += 1
            reach[name, "reached"] += unit.id not in no_household
            reach[name, "optimal"] += unit.id in suggestion.optimal.placed
            reach[name, "greedy"] += unit.id in suggestion.greedy.placed
    matched = matchable_children(user).filter(matched_on__gte=today - timedelta(days=365))
    matched_units, _ = adapters.units(adapters.with_matching_data(matched), today)
    for unit in matched_units:
        for name in characteristics(unit) | {"all"}:
            reach[name, "matched"] += 1
    rows = [
        {"label": label, **{key: reach[name, key] for key in ("units", "reached", "optimal", "greedy", "matched")}}
        for name, label in [("all", "All waiting units"), *HARD_TO_PLACE.items()]
    ]
    return {
        "units": {u.id: u for u in units},
        "members": members,
        "suggestion": suggestion,
        "gaps": gaps,
        "reach": rows,
    }


def interests_for(child: Child):
    return child.interests.select_related("household", "recorded_by").order_by("-expressed_on", "-id")
