"""What wider permanence pages read: records through the policy, the functions in force, counts by
kind and stage, and the timescales of each record computed from its history."""

from collections import Counter
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from openraa.common.machine import WITHDRAWN, StepRefused
from openraa.common.timescales import Status
from openraa.people import policy
from openraa.permanence import phases, timescales
from openraa.permanence.definitions import CARER_DEFINITIONS, PLAN_DEFINITIONS, CarerKind, PlanKind
from openraa.permanence.models import (
    Carer,
    CarerStep,
    PermanenceFunction,
    PermanencePlan,
    PlanStep,
    permanence_targets_for,
    switches_for,
)
from openraa.permanence.services import carer_projection, plan_projection


def carers_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(Carer.objects.all(), user, "permanence", action)


def plans_for(user, action: str = "view") -> QuerySet:
    return policy.restrict(PermanencePlan.objects.all(), user, "permanence", action)


def active_functions(agency, today: date) -> list[phases.Function]:
    switches = switches_for(agency)
    return [f for f in phases.Function if phases.is_active(switches, f, today)]


def runs_permanence(user) -> bool:
    """The Permanence menu entry: for those who may view it, once their agency runs a function today."""
    return policy.can(user, "permanence", "view") and bool(active_functions(user.agency, timezone.localdate()))


def functions_table(agency, today: date) -> list[dict]:
    rows = {s.function: s for s in PermanenceFunction.objects.filter(agency=agency)}
    switches = switches_for(agency)
    return [
        {
            "function": f,
            "label": f.label,
            "active_from": getattr(rows.get(f), "active_from", None),
            "note": getattr(rows.get(f), "note", ""),
            "active": phases.is_active(switches, f, today),
        }
        for f in phases.Function
    ]


def counts_by_stage(records: QuerySet, definitions: dict) -> list[dict]:
    """One row per kind: the number at each of its stages, in journey order."""
    counts = Counter(records.values_list("kind", "stage"))
    return [
        {
            "kind": kind,
            "label": kind.label,
            "stages": [(label, counts.get((kind.value, stage), 0)) for stage, label in definition.stage_labels.items()],
            "total": sum(n for (k, _), n in counts.items() if k == kind.value),
        }
        for kind, definition in definitions.items()
    ]


def carer_timescales(carer: Carer, today: date, targets: timescales.Targets) -> list:
    projection = carer_projection(carer, today)
    return timescales.carer_timescales(CarerKind(carer.kind), projection, targets)


def plan_timescales(plan: PermanencePlan, today: date, targets: timescales.Targets) -> list:
    projection = plan_projection(plan, today)
    return timescales.plan_timescales(PlanKind(plan.kind), projection, targets)


def with_status(items, today: date, targets: timescales.Targets) -> list:
    return [(item, item.status(today, targets.due_soon_days)) for item in items]


def overdue(user, today: date) -> list[tuple]:
    """(record, timescale) for every open record the user may see with a timescale overdue today."""
    found = []
    targets = permanence_targets_for(user.agency_id)  # the records the user sees are all of their agency
    carers = (
        carers_for(user).filter(closed_on__isnull=True).prefetch_related(Prefetch("steps", CarerStep.objects.all()))
    )
    plans = (
        plans_for(user)
        .filter(closed_on__isnull=True)
        .select_related("child")
        .prefetch_related(Prefetch("steps", PlanStep.objects.all()))
    )
    for records, measure in ((carers, carer_timescales), (plans, plan_timescales)):
        for record in records:
            try:
                items = measure(record, today, targets)
            except StepRefused:
                continue  # a history the machine no longer accepts is shown on the record itself
            found.extend((record, item) for item in items if item.status(today) == Status.OVERDUE)
    return sorted(found, key=lambda row: row[1].due_on)


def overview(user, today: date) -> dict:
    return {
        "functions": functions_table(user.agency, today),
        "plans": counts_by_stage(plans_for(user), PLAN_DEFINITIONS),
        "carers": counts_by_stage(carers_for(user), CARER_DEFINITIONS),
        "overdue": overdue(user, today),
    }


def decisions_in_force(record) -> QuerySet:
    """The record's decision maker's entries neither withdrawn nor superseded, oldest first."""
    return (
        record.steps.filter(kind__in=record.definition.decision_kinds, corrections__isnull=True)
        .select_related("recorded_by")
        .order_by("occurred_on", "pk")
    )


def history_lines(record, definition) -> list[dict]:
    """Every entry, in force or not: a superseded one is shown struck out with what replaced it."""
    steps = definition.journey().steps
    entries = list(record.steps.select_related("recorded_by", "supersedes"))
    replaced_by = {e.supersedes_id: e for e in entries if e.supersedes_id}
    return [
        {
            "entry": e,
            "superseded_by": replaced_by.get(e.pk),
            "label": "Withdrawn" if e.kind == WITHDRAWN else steps[e.kind].label if e.kind in steps else e.kind,
        }
        for e in entries
    ]
