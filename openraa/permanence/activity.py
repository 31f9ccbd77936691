"""What the permanence partnership adds to the funding formula's activity (finance.selectors): plans
agreed per kind, counted for the child's responsible council, and carers approved, counted for the
council they live in. Registered with finance in PermanenceConfig.ready (finance sits below
permanence, so it never imports this)."""

from collections.abc import Callable, Iterable
from datetime import date

from openraa.finance.selectors import register_activity
from openraa.permanence.definitions import PlanKind
from openraa.permanence.models import Carer, PlanStep

PLAN_MEASURES = {
    "fostering_plans": PlanKind.LONG_TERM_FOSTERING,
    "connected_persons_plans": PlanKind.CONNECTED_PERSONS,
    "special_guardianship_plans": PlanKind.SPECIAL_GUARDIANSHIP,
}


def plans_agreed(kind: PlanKind) -> Callable[[object, date, date], Iterable[tuple[int, date]]]:
    def count(agency, start: date, end: date) -> Iterable[tuple[int, date]]:
        # The step that agreed each plan, once per plan: not one a later entry corrected.
        steps = PlanStep.objects.filter(
            plan__agency=agency,
            plan__kind=kind,
            kind="agreed",
            occurred_on__range=(start, end),
            corrections__isnull=True,
        ).values_list("plan_id", "plan__responsible_council_id", "occurred_on")
        first: dict[int, tuple[int, date]] = {}
        for plan_id, council_id, day in steps:
            if plan_id not in first or day < first[plan_id][1]:
                first[plan_id] = (council_id, day)
        return list(first.values())

    return count


def carers_approved(agency, start: date, end: date) -> Iterable[tuple[int, date]]:
    rows = Carer.objects.filter(agency=agency, approved_on__range=(start, end)).values_list(
        "home_council_id", "approved_on"
    )
    return [(council, day) for council, day in rows if day is not None]  # within the range: never None


def register() -> None:
    for measure, kind in PLAN_MEASURES.items():
        register_activity(measure, plans_agreed(kind))
    register_activity("carers_approved", carers_approved)
