"""Case notes and documents: their kinds, and when the statutory guidance expects a document.
Pure Python: no request, no database.

Due dates (Adoption Statutory Guidance, July 2013, chapters 2-5; each agency may set its own days):
- Child Permanence Report: before the agency decision maker decides the child should be placed
  for adoption (the ADM reads it): due on that decision.
- Prospective Adopter's Report: the output of Stage 2, due when Stage 2's four months run out.
- Adoption Placement Report: sent to the matching panel; due by the matching panel.
- Life-story book: given to the child and adopters by the second placement review (first review
  within 4 weeks of placement, second within 3 months after): about 4 months after placement.
- Later-life letter: within 10 working days of the adoption ceremony; the order date stands in
  for the ceremony (about 14 calendar days).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from openraa.common.workdays import add_months


class NoteKind(StrEnum):
    VISIT = "visit"
    CALL = "call"
    MEETING = "meeting"
    SUPERVISION = "supervision"
    MANAGEMENT_OVERSIGHT = "management_oversight"
    OTHER = "other"

    @property
    def label(self) -> str:
        return NOTE_KIND_LABELS[self]


NOTE_KIND_LABELS: Final = {
    NoteKind.VISIT: "Visit",
    NoteKind.CALL: "Phone or video call",
    NoteKind.MEETING: "Meeting",
    NoteKind.SUPERVISION: "Supervision",
    NoteKind.MANAGEMENT_OVERSIGHT: "Management oversight",
    NoteKind.OTHER: "Other",
}


class DocumentKind(StrEnum):
    CHILD_PERMANENCE_REPORT = "cpr"
    PROSPECTIVE_ADOPTERS_REPORT = "par"
    ADOPTION_PLACEMENT_REPORT = "apr"
    PANEL_PAPERS = "panel_papers"
    PANEL_MINUTES = "panel_minutes"
    SUPPORT_PLAN = "support_plan"
    LIFE_STORY_BOOK = "life_story_book"
    LATER_LIFE_LETTER = "later_life_letter"
    COURT_REPORT = "court_report"
    LETTER = "letter"
    OTHER = "other"

    @property
    def label(self) -> str:
        return DOCUMENT_KIND_LABELS[self]


DOCUMENT_KIND_LABELS: Final = {
    DocumentKind.CHILD_PERMANENCE_REPORT: "Child Permanence Report",
    DocumentKind.PROSPECTIVE_ADOPTERS_REPORT: "Prospective Adopter's Report",
    DocumentKind.ADOPTION_PLACEMENT_REPORT: "Adoption Placement Report",
    DocumentKind.PANEL_PAPERS: "Panel papers",
    DocumentKind.PANEL_MINUTES: "Panel minutes",
    DocumentKind.SUPPORT_PLAN: "Support plan",
    DocumentKind.LIFE_STORY_BOOK: "Life-story book",
    DocumentKind.LATER_LIFE_LETTER: "Later-life letter",
    DocumentKind.COURT_REPORT: "Court report",
    DocumentKind.LETTER: "Letter",
    DocumentKind.OTHER: "Other document",
}

# Documents about the birth family by their nature, and letters (addressed by name): always
# restricted, whatever the uploader ticks.
ALWAYS_RESTRICTED: Final = frozenset(
    {
        DocumentKind.LETTER,
        DocumentKind.CHILD_PERMANENCE_REPORT,
        DocumentKind.LIFE_STORY_BOOK,
        DocumentKind.LATER_LIFE_LETTER,
        DocumentKind.COURT_REPORT,
    }
)

# Which documents belong on which record (subjects.SUBJECTS slugs).
KINDS_FOR: Final = {
    "children": (
        DocumentKind.CHILD_PERMANENCE_REPORT,
        DocumentKind.ADOPTION_PLACEMENT_REPORT,
        DocumentKind.PANEL_PAPERS,
        DocumentKind.PANEL_MINUTES,
        DocumentKind.LIFE_STORY_BOOK,
        DocumentKind.LATER_LIFE_LETTER,
        DocumentKind.COURT_REPORT,
        DocumentKind.LETTER,
        DocumentKind.OTHER,
    ),
    "households": (
        DocumentKind.PROSPECTIVE_ADOPTERS_REPORT,
        DocumentKind.ADOPTION_PLACEMENT_REPORT,
        DocumentKind.PANEL_PAPERS,
        DocumentKind.PANEL_MINUTES,
        DocumentKind.LETTER,
        DocumentKind.OTHER,
    ),
    "support": (DocumentKind.SUPPORT_PLAN, DocumentKind.LETTER, DocumentKind.OTHER),
    "carers": (DocumentKind.PANEL_PAPERS, DocumentKind.PANEL_MINUTES, DocumentKind.LETTER, DocumentKind.OTHER),
    "plans": (DocumentKind.COURT_REPORT, DocumentKind.SUPPORT_PLAN, DocumentKind.LETTER, DocumentKind.OTHER),
}


@dataclass(frozen=True)
class DueRule:
    """A document is due `days` after `milestone` (a date of its record), or `months` after it."""

    kind: DocumentKind
    subject: str
    milestone: str
    milestone_label: str
    days: int = 0
    months: int = 0

    def due_on(self, milestone_on: date) -> date:
        return add_months(milestone_on, self.months) + timedelta(days=self.days)

    def describe(self) -> str:
        after = []
        if self.months:
            after.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        if self.days:
            after.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        return f"{' and '.join(after)} after {self.milestone_label}" if after else f"by {self.milestone_label}"


DUE_RULES: Final = (
    DueRule(DocumentKind.CHILD_PERMANENCE_REPORT, "children", "should_be_placed_on", "the should-be-placed decision"),
    DueRule(DocumentKind.PROSPECTIVE_ADOPTERS_REPORT, "households", "stage2_started_on", "Stage 2 began", months=4),
    DueRule(DocumentKind.ADOPTION_PLACEMENT_REPORT, "children", "matching_panel_on", "the matching panel"),
    DueRule(DocumentKind.LIFE_STORY_BOOK, "children", "placed_on", "the child moved in", months=4),
    DueRule(DocumentKind.LATER_LIFE_LETTER, "children", "adoption_order_on", "the adoption order", days=14),
)
RULES_BY_KIND: Final = {rule.kind: rule for rule in DUE_RULES}


@dataclass(frozen=True)
class DueDocument:
    kind: DocumentKind
    due_on: date
    rule: DueRule

    @property
    def label(self) -> str:
        return self.kind.label

    def overdue(self, today: date) -> bool:
        return self.due_on < today


@dataclass(frozen=True)
class DueRules:
    """An agency's rules, and the first milestone date they apply to (None with no rules: the agency
    has not started expecting documents in OpenRAA)."""

    rules: tuple[DueRule, ...] = DUE_RULES
    since: date | None = None


def documents_due(
    subject: str,
    milestones: dict[str, date | None],
    held: set[str],
    rules: DueRules = DueRules(),
    *,
    ended: bool = False,
) -> list[DueDocument]:
    """The documents a record should have by a date and does not hold yet, soonest first. A record
    whose journey has ended (plan ended, household closed) is owed nothing more, nor is a milestone
    from before the agency began expecting documents here."""
    if ended:
        return []
    due = []
    for rule in rules.rules:
        reached = milestones.get(rule.milestone)
        if rule.subject != subject or rule.kind in held or reached is None:
            continue
        if rules.since is not None and reached < rules.since:
            continue
        due.append(DueDocument(rule.kind, rule.due_on(reached), rule))
    return sorted(due, key=lambda item: item.due_on)


def with_agency_days(overrides: dict[str, tuple[int, int]]) -> tuple[DueRule, ...]:
    """The rules with the agency's own months and days (kind -> (months, days)) where it set them."""
    rules = []
    for rule in DUE_RULES:
        months, days = overrides.get(rule.kind, (rule.months, rule.days))
        rules.append(DueRule(rule.kind, rule.subject, rule.milestone, rule.milestone_label, days=days, months=months))
    return tuple(rules)


def next_version(existing: list[int]) -> int:
    return max(existing, default=0) + 1
