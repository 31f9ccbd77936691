"""Stage 1 checks on every adult of an adopter household (Adoption Agencies Regulations 2005,
regulations 23-25 and Schedule 4): which checks each adult needs, which are still missing, and
whether one bars approval. Pure Python: the services and the panel ask here.

Each applicant needs an enhanced DBS check, a medical, personal references and the local authority
checks; another adult living in the household (an adult son or daughter, a lodger, a relative)
needs the enhanced DBS check and the local authority checks. A check counts once it is completed
with an outcome; an outcome that bars approval stops the household's journey."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    DBS = "dbs"
    MEDICAL = "medical"
    REFERENCES = "references"
    LOCAL_AUTHORITY = "local_authority"


KIND_LABELS: dict[str, str] = {
    Kind.DBS: "Enhanced DBS check",
    Kind.MEDICAL: "Medical",
    Kind.REFERENCES: "Personal references",
    Kind.LOCAL_AUTHORITY: "Local authority checks",
}


class Outcome(StrEnum):
    CLEAR = "clear"
    CONCERNS = "concerns"
    BARS = "bars"


OUTCOME_LABELS: dict[str, str] = {
    Outcome.CLEAR: "Clear",
    Outcome.CONCERNS: "Concerns noted",
    Outcome.BARS: "Bars approval",
}


class AdultKind(StrEnum):
    APPLICANT = "applicant"
    OTHER_ADULT = "other_adult"


REQUIRED: dict[str, tuple[Kind, ...]] = {
    AdultKind.APPLICANT: (Kind.DBS, Kind.MEDICAL, Kind.REFERENCES, Kind.LOCAL_AUTHORITY),
    AdultKind.OTHER_ADULT: (Kind.DBS, Kind.LOCAL_AUTHORITY),
}

# The household's closed reason when a check bars approval: one per kind, so the reason names it.
CLOSED_REASON_OF: dict[str, str] = {
    Kind.DBS: "check_dbs",
    Kind.MEDICAL: "check_medical",
    Kind.REFERENCES: "check_references",
    Kind.LOCAL_AUTHORITY: "check_la",
}
CLOSED_REASON_LABELS: dict[str, str] = {
    CLOSED_REASON_OF[kind]: f"{label} bars approval" for kind, label in KIND_LABELS.items()
}


@dataclass(frozen=True)
class Adult:
    """One adult of the household: `key` identifies them among the checks ("applicant:12")."""

    key: str
    kind: str
    label: str


@dataclass(frozen=True)
class Check:
    adult: str  # Adult.key
    kind: str
    requested_on: date | None
    completed_on: date | None = None
    outcome: str = ""

    @property
    def done(self) -> bool:
        return self.completed_on is not None and self.outcome in OUTCOME_LABELS


@dataclass(frozen=True)
class Missing:
    adult: Adult
    kind: str

    def __str__(self) -> str:
        return f"{KIND_LABELS[self.kind]} for {self.adult.label}"


def required(adult: Adult) -> tuple[Kind, ...]:
    return REQUIRED.get(adult.kind, ())


def missing(adults: Iterable[Adult], checks: Iterable[Check]) -> list[Missing]:
    """The checks each adult needs that are not yet completed with an outcome, adult by adult in
    the order given, each adult's in the order of REQUIRED."""
    done = {(c.adult, c.kind) for c in checks if c.done}
    return [Missing(adult, kind) for adult in adults for kind in required(adult) if (adult.key, kind) not in done]


def barring(checks: Iterable[Check]) -> list[Check]:
    """The completed checks whose outcome bars approval."""
    return [c for c in checks if c.done and c.outcome == Outcome.BARS]


def panel_refusal(adults: Iterable[Adult], checks: Iterable[Check], reference: str) -> str | None:
    """Why the household cannot go to panel for approval yet (None when it can): no applicant, a
    check that bars approval, or checks still missing (named)."""
    adults, checks = list(adults), list(checks)
    if not any(a.kind == AdultKind.APPLICANT for a in adults):
        return f"{reference} has no applicant recorded: its Stage 1 checks cannot be complete"
    bars = barring(checks)
    if bars:
        return f"A {KIND_LABELS[bars[0].kind].lower()} bars {reference}'s approval"
    gaps = missing(adults, checks)
    if gaps:
        return f"{reference} cannot go to panel with Stage 1 checks missing: {'; '.join(str(g) for g in gaps)}"
    return None


def check_errors(check: Check, today: date) -> dict[str, str]:
    """Why a check cannot be recorded as given (empty when it can), by field."""
    found: dict[str, str] = {}
    if check.kind not in KIND_LABELS:
        found["kind"] = "Choose the kind of check"
    if check.requested_on is None:
        found["requested_on"] = "Enter the date the check was requested"
    elif check.requested_on > today:
        found["requested_on"] = "The date requested cannot be in the future"
    if check.completed_on is not None:
        if check.completed_on > today:
            found["completed_on"] = "The date completed cannot be in the future"
        elif check.requested_on is not None and check.completed_on < check.requested_on:
            found["completed_on"] = "A check cannot be completed before it was requested"
        if check.outcome not in OUTCOME_LABELS:
            found["outcome"] = "Give the outcome of the completed check"
    elif check.outcome:
        found["completed_on"] = "Give the date the check was completed to record its outcome"
    return found


def needs(adult_kind: str, kind: str) -> bool:
    """Whether an adult of this kind needs this check."""
    return kind in REQUIRED.get(adult_kind, ())
