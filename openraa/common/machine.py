"""Journeys as explicit state machines over an append-only, dated history. Pure Python.

A journey is a list of entries. Each entry records one step (an ADM decision, a court order, a
stage of assessment) with the date it happened. The record's milestone dates and its stage are a
projection of the entries in force, replayed in date order; the stage before each step must be one
the step may follow. History is never rewritten: a correction is a new entry that supersedes an
earlier one (with a new date or details), a withdrawal supersedes it with nothing.

Entries imported from another system (an SSDA903 return) may lack steps this machine expects, such
as a link before a match; they are replayed without the stage check, and the record's own rules
(dates in order, each milestone's prerequisites) still apply to the result.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openraa.common.dates import long_date

Projection = dict[str, Any]
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Step:
    kind: str
    label: str
    sources: frozenset[str]  # stages this step may follow
    sets: str | None = None  # the milestone date this step records
    details: tuple[str, ...] = ()  # detail values the step must carry, copied into the projection
    optional: tuple[str, ...] = ()  # detail values it may carry, copied when given
    clears: tuple[str, ...] = ()  # projected values this step empties (a link that ends)


@dataclass(frozen=True)
class Entry:
    seq: int  # order of recording; ties on the same date replay in this order
    kind: str
    occurred_on: date
    details: Mapping[str, Any] = field(default_factory=dict)
    supersedes: int | None = None  # seq of the entry this one corrects or withdraws
    imported: bool = False  # from another system's return: its order is checked, its source stage is not


@dataclass(frozen=True)
class Journey:
    name: str  # "child" or "household", for messages
    steps: Mapping[str, Step]
    initial: Callable[[], Projection]
    stage_of: Callable[[Projection], str]
    stage_label: Callable[[str], str]
    validate: Callable[[Projection, date], dict[str, str]]

    def allowed_from(self, stage: str) -> list[Step]:
        return [step for step in self.steps.values() if stage in step.sources]


class StepRefused(Exception):
    """A step the journey forbids; the message says why, in words a social worker can act on."""

    def __init__(self, message: str, field: str = "kind"):
        super().__init__(message)
        self.field = field


def in_force(entries: Iterable[Entry]) -> list[Entry]:
    """The entries that count: each superseded entry replaced by its latest correction (keeping
    the original's place in recording order), withdrawn ones dropped; sorted for replay."""
    entries = sorted(entries, key=lambda e: e.seq)
    by_seq = {e.seq: e for e in entries}
    latest: dict[int, Entry] = {}
    for entry in entries:
        if entry.supersedes is None:
            latest[entry.seq] = entry
            continue
        original = entry.supersedes
        while (corrected := by_seq.get(original)) is not None and corrected.supersedes is not None:
            original = corrected.supersedes  # a correction of a correction
        if original not in latest:
            raise StepRefused("A correction must supersede an entry of this journey", "supersedes")
        latest[original] = entry
    kept = [(original, e) for original, e in latest.items() if e.kind != WITHDRAWN]
    return [e for _, e in sorted(kept, key=lambda pair: (pair[1].occurred_on, pair[0]))]


def replay(journey: Journey, entries: Sequence[Entry], today: date) -> Projection:
    """Apply the entries in force in date order, refusing the first step that could not have
    happened from the stage before it, and any projection that breaks the record's own rules."""
    projection = journey.initial()
    previous: Entry | None = None
    for entry in in_force(entries):
        step = journey.steps.get(entry.kind)
        if step is None:
            raise StepRefused(f"Unknown step for a {journey.name}: {entry.kind}")
        if entry.occurred_on > today:
            raise StepRefused(f"{step.label} cannot be in the future", "occurred_on")
        stage = journey.stage_of(projection)
        if stage not in step.sources and not entry.imported:
            after = (
                f" (after {journey.steps[previous.kind].label.lower()} on {long_date(previous.occurred_on)})"
                if previous
                else ""
            )
            may = ", ".join(s.label.lower() for s in journey.allowed_from(stage)) or "nothing"
            raise StepRefused(
                f"{step.label} cannot be recorded on {long_date(entry.occurred_on)}: on that date the {journey.name} was at "
                f"'{journey.stage_label(stage)}'{after}, where the next step can be: {may}"
            )
        for name in step.details:
            if entry.details.get(name) in (None, ""):
                raise StepRefused(f"{step.label} needs {name.replace('_', ' ')}", name)
        for name in step.clears:
            projection[name] = journey.initial()[name]
        if step.sets:
            projection[step.sets] = entry.occurred_on
        for name in (*step.details, *step.optional):
            if name in step.details or entry.details.get(name) not in (None, ""):
                projection[name] = entry.details[name]
        previous = entry
    errors = journey.validate(projection, today)
    if errors:
        name, message = next(iter(errors.items()))
        raise StepRefused(message, name)
    return projection
