"""Long-term fostering matches through the family-finding engine (openraa.matching.engine): approved
long-term foster carers become the engine's households and the child of a long-term fostering
plan its unit, so the same hard rules, weighted factors and explanations apply as for adoption."""

from dataclasses import replace
from datetime import date

from django.db.models import QuerySet

from openraa.children.models import Child
from openraa.matching import adapters as adoption
from openraa.matching import engine
from openraa.matching.models import settings_for
from openraa.partnership.models import Council
from openraa.permanence.definitions import CarerKind
from openraa.permanence.models import Carer, PermanencePlan

# A carer whose plan has a match recommended or agreed but no child placed yet is in an active link.
IN_LINK = ("match_recommended", "matched")


def carer_households(carers: QuerySet, today: date) -> list[engine.Household]:
    rows = (
        carers.filter(
            kind=CarerKind.FOSTER_CARER,
            approved_on__isnull=False,
            closed_on__isnull=True,
            approved_children__isnull=False,
        )
        .select_related("home_council")
        .order_by("id")
    )
    linked = set(PermanencePlan.objects.filter(carer__in=rows, stage__in=IN_LINK).values_list("carer_id", flat=True))
    locate = adoption.locator()
    return [
        engine.Household(
            id=carer.reference,
            council=carer.home_council.ons_code,
            location=locate(carer.postcode_district),
            approved_children=carer.approved_children,
            age_min=carer.age_min,
            age_max=carer.age_max,
            capabilities=dict(carer.capabilities),
            sibling_group_open=carer.sibling_group_open,
            days_waiting=(today - carer.approved_on).days,
            in_active_link=carer.pk in linked,
            approved=True,
            ethnicities=list(carer.ethnicities),
            religion=carer.religion,
            languages=list(carer.languages),
        )
        for carer in rows
    ]


def plan_unit(plan: PermanencePlan, agreed_on: date | None, today: date) -> engine.Unit:
    """The plan's child as the engine's unit; it waits from the plan, and early permanence (an
    adoption route) does not apply."""
    child = adoption.with_matching_data(Child.objects.filter(pk=plan.child_id)).get()
    unit = adoption.unit_of(child.reference, [child], today)
    return replace(unit, early_permanence=False, days_waiting=(today - agreed_on).days if agreed_on else 0)


def long_term_shortlist(
    plan: PermanencePlan, agreed_on: date | None, today: date, limit: int = 20, *, reveal_birth_family: bool = False
):
    """The unit, the engine's ranked and explained shortlist of the agency's approved long-term foster
    carers, why each other carer is excluded (the birth family's area named only when
    `reveal_birth_family`), and the carer records behind the shortlist."""
    carers = Carer.objects.filter(agency_id=plan.agency_id)
    pool = engine.HouseholdPool(carer_households(carers, today))
    config = settings_for(plan.agency)
    settings = engine.Settings(
        identification_radius_km=config.identification_radius_km,
        max_distance_km=config.max_distance_km,
        council_names=dict(Council.objects.values_list("ons_code", "name")),
    )
    unit = plan_unit(plan, agreed_on, today)
    result = engine.shortlist(unit, pool, config.weights(), settings, limit=limit)
    reasons = engine.exclusion_reasons(unit, pool, settings=settings, reveal_birth_family=reveal_birth_family)
    records = {
        c.reference: c
        for c in carers.filter(pk__in=[int(c.household_id.removeprefix("CR-")) for c in result.candidates])
    }
    return unit, result, reasons, records
