"""Reading case notes and documents: only what the reader may see of the record (people/policy)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from openraa.casework import domain
from openraa.casework.models import CaseNote, Document, DocumentVersion, due_rules_for
from openraa.casework.subjects import Subject
from openraa.people import policy


def _visible(user, rows, record, subject: Subject) -> list:
    shown = []
    for row in rows:
        setattr(row, subject.field, record)  # the page's own copy, with what the reader may see worked out
        if not policy.hidden_fields(user, row):
            shown.append(row)
    return shown


def notes_for(user, subject: Subject, record) -> list[CaseNote]:
    rows = (
        CaseNote.objects.filter(**{subject.field: record})
        .select_related("author", "supersedes")
        .prefetch_related("superseded_by")
    )
    return _visible(user, rows, record, subject)


def hidden_note_count(user, subject: Subject, record, shown: int) -> int:
    return CaseNote.objects.filter(**{subject.field: record}).count() - shown


def documents_for(user, subject: Subject, record) -> list[Document]:
    rows = Document.objects.filter(**{subject.field: record}).prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by"))
    )
    return _visible(user, rows, record, subject)


@dataclass(frozen=True)
class TimelineLine:
    """A step of the journey or a case note, in one dated list."""

    on: date
    step: object | None = None
    note: CaseNote | None = None


def _entry(line):
    return line["entry"] if isinstance(line, dict) else line.entry  # permanence's lines are dicts


def timeline(history: list, notes: list[CaseNote]) -> list[TimelineLine]:
    """The journey's steps (journeys.selectors.journey_history lines, or permanence's) and the notes,
    in the order the page shows its steps (newest first unless its steps run oldest first); on one day
    a note follows the steps."""
    dates = [_entry(line).occurred_on for line in history]
    oldest_first = len(dates) > 1 and dates[0] < dates[-1]
    lines = [TimelineLine(on, step=line) for on, line in zip(dates, history, strict=True)]
    lines += [TimelineLine(note.occurred_on, note=note) for note in notes]
    lines.sort(key=lambda line: (line.on, line.note is not None))
    return lines if oldest_first else lines[::-1]


def documents_due(subject: Subject, record, held_kinds: set[str]) -> list[domain.DueDocument]:
    milestones = {rule.milestone: getattr(record, rule.milestone, None) for rule in domain.DUE_RULES}
    ended = bool(getattr(record, "plan_ended_on", None) or getattr(record, "closed_on", None))
    return domain.documents_due(subject.slug, milestones, held_kinds, due_rules_for(record.agency_id), ended=ended)


def held_documents(field: str, pks) -> dict[int, set[str]]:
    """The kinds of document each record holds (whoever may read them), in one query."""
    held: dict[int, set[str]] = defaultdict(set)
    for pk, kind in Document.objects.filter(**{f"{field}__in": pks}).values_list(f"{field}_id", "kind"):
        held[pk].add(kind)
    return held
