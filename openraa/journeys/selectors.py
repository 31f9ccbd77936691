"""Reads of journeys: the history as a person reads it, and the timescales of a record."""

from dataclasses import dataclass
from datetime import date

from openraa.common.machine import WITHDRAWN, Journey
from openraa.households.domain import HouseholdStage
from openraa.journeys import routes, timescales
from openraa.journeys.models import IMPORTED, targets_for

# What an entry's details["source"] says, as the history reads it.
SOURCE_LABELS = {IMPORTED: "an imported SSDA903 return"}


PLACED_STAGES = frozenset({HouseholdStage.PLACED, HouseholdStage.ADOPTION_ORDER})


@dataclass(frozen=True)
class HistoryLine:
    entry: object
    label: str
    superseded_by: object | None  # the later entry that corrected or withdrew this one
    decision: bool = False  # a panel recommendation or an ADM decision: corrected on the decision page
    source: str = ""  # where an imported entry came from ("" when recorded here)


def journey_history(record, journey: Journey) -> list[HistoryLine]:
    """Every entry, newest date first; a superseded entry shows what replaced it."""
    entries = list(record.steps.select_related("recorded_by", "supersedes").order_by("occurred_on", "id"))
    replaced = {e.supersedes_id: e for e in entries if e.supersedes_id}
    lines = []
    for entry in entries:
        if entry.kind == WITHDRAWN:
            label = f"Withdrawn: {journey.steps[entry.supersedes.kind].label}"
        else:
            label = journey.steps[entry.kind].label if entry.kind in journey.steps else entry.kind
        source = entry.details.get("source", "") if entry.recorded_by_id is None else ""
        lines.append(
            HistoryLine(
                entry,
                label,
                replaced.get(entry.pk),
                decision=entry.kind != WITHDRAWN and routes.is_decision(journey.name, entry.kind, entry.details),
                source=SOURCE_LABELS.get(source, source),
            )
        )
    return sorted(lines, key=lambda line: (line.entry.occurred_on, line.entry.pk), reverse=True)


def child_timescales(child, today: date, targets: timescales.Targets | None = None):
    targets = targets or targets_for(child.agency)
    return [
        (item, item.status(today, targets.due_soon_days))
        for item in timescales.child_timescales(child.milestones, targets)
    ]


def household_timescales(household, today: date, targets: timescales.Targets | None = None, first_linked_on=None):
    targets = targets or targets_for(household.agency)
    items = timescales.household_timescales(
        household.milestones,
        targets,
        household.approval_reviewed_on,
        first_linked_on,
        placed=household.stage in PLACED_STAGES,
    )
    return [(item, item.status(today, targets.due_soon_days)) for item in items]
