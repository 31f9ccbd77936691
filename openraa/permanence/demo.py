"""Synthetic wider permanence for a demo agency: the functions phased in over the paper's three phases,
carers of each kind part-way through their assessments, and plans for some of its children. Every
record goes through the services, so each history is one the state machines accept."""

import random
from datetime import date, timedelta

from django.utils import timezone

from openraa.children.models import Child
from openraa.households.models import Household
from openraa.permanence import services
from openraa.permanence.definitions import CarerKind, PlanKind
from openraa.permanence.models import Carer, PermanenceFunction
from openraa.permanence.phases import Function
from openraa.reference import NEEDS

# Shropshire 2019 (North Midlands): "go live of phase one (2018 – 2020), phase two (2020 – 2022) and
# phase three (2022 – 2024)", with "phase one to go live in April 2020": each phase is built over its
# years and goes live at their end. The paper does not say which function is in which phase; the
# demo reads its order ("Adoption, Fostering, Connected Persons and Special Guardians"): adoption
# with adoption support first, fostering second, connected persons and special guardianship third.
PHASE_ONE = "Phase one (2018 – 2020): live 1 April 2020"
PHASE_TWO = "Phase two (2020 – 2022): live 1 April 2022"
PHASE_THREE = "Phase three (2022 – 2024): live 1 April 2024"
PHASES = {
    Function.ADOPTION_SUPPORT: (date(2020, 4, 1), PHASE_ONE),
    Function.LONG_TERM_FOSTERING: (date(2022, 4, 1), PHASE_TWO),
    Function.CONNECTED_PERSONS: (date(2024, 4, 1), PHASE_THREE),
    Function.SPECIAL_GUARDIANSHIP: (date(2024, 4, 1), PHASE_THREE),
}
CARERS = {CarerKind.FOSTER_CARER: 12, CarerKind.CONNECTED_PERSON: 6, CarerKind.SPECIAL_GUARDIAN: 6}
FIRST_NAMES = ("Robin", "Sam", "Alex", "Jo", "Kit", "Lee", "Morgan", "Ash", "Ray", "Drew", "Jordan", "Casey")
LAST_NAMES = ("Testwood", "Demoford", "Samplebury", "Fakeley", "Mockton", "Placeholder")


def load_permanence(agency, rng: random.Random) -> None:
    today = timezone.localdate()
    for function, (active_from, note) in PHASES.items():
        PermanenceFunction.objects.update_or_create(
            agency=agency, function=function, defaults={"active_from": active_from, "note": note}
        )
    councils = list(agency.member_councils())
    for kind, count in CARERS.items():
        for _ in range(count):
            _carer(agency, kind, rng.choice(councils), rng, today)
    children = list(
        Child.objects.filter(agency=agency, plan_ended_on__isnull=True, adoption_order_on__isnull=True).order_by("id")[
            :200
        ]
    )
    for child in rng.sample(children, min(9, len(children))):
        _plan(child, rng.choice(list(PlanKind)), rng, today)


def _carer(agency, kind: CarerKind, council, rng: random.Random, today: date) -> Carer:
    districts = list(
        Household.objects.filter(agency=agency, home_council=council)
        .values_list("postcode_district", flat=True)
        .distinct()[:20]
    ) or ["ST1"]
    youngest = rng.randint(0, 8)
    carer = services.add_carer(
        Carer(
            agency=agency,
            kind=kind,
            home_council=council,
            postcode_district=rng.choice(districts),
            names=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            approved_children=rng.randint(1, 3),
            age_min=youngest,
            age_max=rng.randint(youngest + 2, 17),
            sibling_group_open=rng.random() < 0.4,
            capabilities={code: rng.choice(("low", "medium", "high")) for code in rng.sample(sorted(NEEDS), 4)},
            ethnicities=["WBRI"],
        ),
        by=None,
    )
    _walk(
        carer.definition,
        lambda kind_, day, details: services.record_carer_step(carer, kind_, day, by=None, details=details),
        _recent_start(PHASES[kind.function][0], rng, today),
        rng,
        today,
        {"extension_weeks": rng.randint(2, 8)},
    )
    return carer


def _plan(child, kind: PlanKind, rng: random.Random, today: date) -> None:
    start = max(_recent_start(PHASES[kind.function][0], rng, today), child.date_of_birth)
    if start > today:
        return
    plan = services.add_plan(child, kind, start, by=None)
    carers = Carer.objects.filter(agency=child.agency, kind=kind.carer_kind, closed_on__isnull=True)
    if kind == PlanKind.LONG_TERM_FOSTERING:
        carers = carers.filter(approved_on__isnull=False)
    candidates = list(carers.order_by("id"))
    if not candidates:
        return
    chosen = rng.choice(candidates)
    _walk(
        plan.definition,
        lambda kind_, day, details: services.record_plan_step(plan, kind_, day, by=None, details=details),
        start,
        rng,
        today,
        {"carer": chosen.pk},
        skip=("agreed",),
    )


def _recent_start(phase_starts_on: date, rng: random.Random, today: date) -> date:
    """Within the last two years (and not before the function began): a caseload of today, where
    most journeys are under way and few have sat untouched for years."""
    return max(phase_starts_on, today - timedelta(days=rng.randint(60, 730)))


def _walk(definition, record, start: date, rng: random.Random, today: date, details: dict, skip=()) -> None:
    """Take the journey's steps in order from `start`, stopping at a random stage or at today."""
    when = start
    for move in definition.moves[: rng.randint(1, len(definition.moves))]:
        if move.kind in skip or (move.kind == "extension" and rng.random() < 0.6):
            continue  # most temporary approvals are not extended
        when += timedelta(days=rng.randint(14, 80))
        if when > today:
            return
        record(move.kind, when, {name: details[name] for name in move.details if name in details})
