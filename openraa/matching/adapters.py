"""From the record to the engine's plain inputs: waiting children as units (a sibling group to be
placed together is one unit) and approved households, located by postcode-district centroids."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from functools import cache

from django.db.models import QuerySet

from openraa.children.domain import ChildStage
from openraa.children.models import Child, ChildNeed
from openraa.common.ages import age_in_years
from openraa.households.domain import HouseholdStage
from openraa.households.models import Applicant, Capability
from openraa.matching import engine
from openraa.matching.engine.model import Point
from openraa.matching.engine.postcodes import district_centroids

# Children who need a family and have none yet: the regional pool.
SEEKING = (ChildStage.SHOULD_BE_PLACED, ChildStage.FAMILY_FINDING)
IN_LINK = (HouseholdStage.LINKED, HouseholdStage.MATCHED, HouseholdStage.PLACED, HouseholdStage.ADOPTION_ORDER)
IN_ASSESSMENT = (HouseholdStage.STAGE_2, HouseholdStage.AWAITING_PANEL, HouseholdStage.AWAITING_DECISION)


@cache
def locator() -> Callable[[str], Point | None]:
    """District -> grid reference, from the ONS postcode directory when it is installed; without
    it, distances are unknown and exclusion falls back to councils."""
    try:
        centroids = district_centroids()
    except ModuleNotFoundError:
        return lambda district: None
    return lambda district: centroids.get(district) if district else None


def child_unit_id(child: Child) -> str:
    group = child.sibling_group
    return group.reference if group is not None and group.place_together else child.reference


def units(children: Iterable[Child], today: date) -> tuple[list[engine.Unit], dict[str, list[Child]]]:
    """One unit per child, or per sibling group to be placed together (children need their needs,
    excluded councils, sibling group and councils loaded)."""
    if isinstance(children, QuerySet):
        # Needs and excluded councils in two plain queries below: Django's prefetch builds a query
        # set per child, 2 s of a region's 3,000 children.
        children = children.prefetch_related(None)
    rows = list(children)
    _attach_matching_data(rows)
    grouped: dict[str, list[Child]] = defaultdict(list)
    for child in rows:
        grouped[child_unit_id(child)].append(child)
    return [unit_of(unit_id, members, today) for unit_id, members in grouped.items()], dict(grouped)


def _attach_matching_data(children: list[Child]) -> None:
    ids = [c.pk for c in children]
    needs: dict[int, dict[str, str]] = defaultdict(dict)
    for child_id, need, severity in ChildNeed.objects.filter(child_id__in=ids).values_list(
        "child_id", "need", "severity"
    ):
        needs[child_id][need] = severity
    excluded: dict[int, set[str]] = defaultdict(set)
    through = Child.excluded_councils.through
    for child_id, code in through.objects.filter(child_id__in=ids).values_list("child_id", "council__ons_code"):
        excluded[child_id].add(code)
    for child in children:
        child.matching_needs = needs[child.pk]  # type: ignore[attr-defined]
        child.matching_excluded = excluded[child.pk]  # type: ignore[attr-defined]


def _needs(child: Child) -> dict[str, str]:
    attached = getattr(child, "matching_needs", None)
    return attached if attached is not None else {n.need: n.severity for n in child.needs.all()}


def _excluded(child: Child) -> set[str]:
    attached = getattr(child, "matching_excluded", None)
    return attached if attached is not None else {council.ons_code for council in child.excluded_councils.all()}


def unit_of(unit_id: str, members: list[Child], today: date) -> engine.Unit:
    locate = locator()
    # The birth family's council is a hard rule only where a risk of identification is recorded (the
    # regulations' concern); otherwise living in the same council is for the workers to weigh, and
    # excluding it for every child left most sibling groups of a compact region with no household.
    excluded = {c.birth_family_council.ons_code for c in members if c.birth_family_council_id and c.identification_risk}
    excluded |= {code for c in members for code in _excluded(c)}
    waited = [
        (today - (c.placement_order_on or c.should_be_placed_on)).days
        for c in members
        if c.placement_order_on or c.should_be_placed_on
    ]
    first = members[0]
    return engine.Unit(
        id=unit_id,
        ages=[age_in_years(c.date_of_birth, today) for c in members],
        child_ids=[c.reference for c in members],
        needs=engine.combine_needs(*(_needs(c) for c in members)),
        ethnicities=sorted({c.ethnicity for c in members}),
        preferred_ethnicities=sorted({code for c in members for code in c.preferred_ethnicities}),
        preferred_religion=next((c.preferred_religion for c in members if c.preferred_religion), ""),
        preferred_languages=sorted({code for c in members for code in c.preferred_languages}),
        excluded_councils=sorted(excluded),
        birth_family_location=locate(first.birth_family_postcode_district),
        identification_risk=any(c.identification_risk for c in members),
        location=locate(first.current_postcode_district),
        council=first.responsible_council.ons_code,
        days_waiting=max(waited, default=0),
        # Before a placement order, a family found early can only be an early permanence one.
        early_permanence=all(c.placement_order_on is None for c in members),
    )


def with_matching_data(children: QuerySet) -> QuerySet:
    return children.select_related("responsible_council", "birth_family_council", "sibling_group").prefetch_related(
        "needs", "excluded_councils"
    )


def seeking_children(children: QuerySet) -> QuerySet:
    return with_matching_data(children.filter(stage__in=SEEKING)).order_by("placement_order_on", "id")


def households(queryset: QuerySet, today: date, *, in_assessment: bool = False) -> list[engine.Household]:
    """Approved, open households as the engine sees them; with in_assessment, also those in Stage 2
    or awaiting panel or decision, with the approval range they expect (for sufficiency).

    Read as plain rows, three queries in all: model instances for every household, applicant and
    capability took seconds at 10,000 households, and a shortlist needs them all."""
    stages = [HouseholdStage.APPROVED_WAITING, *IN_LINK, *(IN_ASSESSMENT if in_assessment else ())]
    rows = queryset.filter(
        stage__in=stages, approved_children__isnull=False, age_min__isnull=False, age_max__isnull=False
    )
    ids = rows.values("id")
    capabilities: dict[int, dict[str, str]] = defaultdict(dict)
    for household_id, need, level in (
        Capability.objects.filter(household__in=ids)
        .order_by("household_id", "need")
        .values_list("household_id", "need", "level")
    ):
        capabilities[household_id][need] = level
    ethnicities: dict[int, set[str]] = defaultdict(set)
    for household_id, ethnicity in Applicant.objects.filter(household__in=ids).values_list("household_id", "ethnicity"):
        ethnicities[household_id].add(ethnicity)
    locate = locator()
    return [
        engine.Household(
            id=f"H-{h['id']:06d}",  # Household.reference, without an instance per row
            council=h["home_council__ons_code"],
            location=locate(h["postcode_district"]),
            approved_children=h["approved_children"],
            age_min=h["age_min"],
            age_max=h["age_max"],
            capabilities=capabilities[h["id"]],
            sibling_group_open=h["sibling_group_open"],
            early_permanence=h["early_permanence"],
            days_waiting=(today - h["approved_on"]).days if h["approved_on"] else 0,
            in_active_link=h["stage"] in IN_LINK,
            approved=h["approved_on"] is not None,
            ethnicities=sorted(ethnicities[h["id"]]),
            religion=h["religion"],
            languages=list(h["languages"]),
        )
        for h in rows.order_by("id").values(
            "id",
            "home_council__ons_code",
            "postcode_district",
            "approved_children",
            "age_min",
            "age_max",
            "sibling_group_open",
            "early_permanence",
            "approved_on",
            "stage",
            "religion",
            "languages",
        )
    ]
