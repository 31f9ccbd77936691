"""Governance dates: when an agreement expires, when a document is due for review, when a board
next meets, when a complaint's answer is due. Pure Python.

Children's social care complaints follow the Children Act 1989 Representations Procedure
(England) Regulations 2006: stage 1 answered within 10 working days (20 when extended), the stage 2
investigation within 25 working days (65 when extended), the stage 3 review panel held within 30
working days of the request. After stage 3 the complainant may go to the Local Government and
Social Care Ombudsman, which keeps its own timetable.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from openraa.common.workdays import add_months, add_working_days


class AgreementStatus(StrEnum):
    IN_FORCE = "in_force"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"
    ENDED = "ended"  # replaced or terminated: no longer reminded

    @property
    def label(self) -> str:
        return {"in_force": "In force", "expiring_soon": "Expiring soon", "expired": "Expired", "ended": "Ended"}[
            self.value
        ]


class ReviewStatus(StrEnum):
    CURRENT = "current"
    DUE = "due"  # within the reminder lead time
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"current": "Current", "due": "Due for review", "overdue": "Review overdue"}[self.value]


@dataclass(frozen=True)
class Extension:
    decided_on: date
    new_expiry: date


def original_expiry(starts_on: date, term_years: int) -> date:
    """The last day of the term: a 3-year agreement from 1 April 2018 runs to 31 March 2021."""
    return add_months(starts_on, 12 * term_years) - timedelta(days=1)


def current_expiry(starts_on: date, term_years: int, extensions: list[Extension]) -> date:
    """The latest extension decided wins (an extension may also bring the date forward); none: the term."""
    if not extensions:
        return original_expiry(starts_on, term_years)
    # Sorting is stable, so of two decided the same day the one recorded later wins.
    return sorted(extensions, key=lambda extension: extension.decided_on)[-1].new_expiry


def extension_problems(
    starts_on: date, term_years: int, ended_on: date | None, earlier: list[Extension], extension: Extension
) -> dict[str, str]:
    """What is wrong with a new extension, by field; empty when it may be recorded.

    An extension runs on from the end it extends: its new expiry is after the expiry in force (the
    term's end, or the latest extension's), so the agreement runs on without a gap from the day after
    that end, even when the decision came after it had lapsed (AIM's three-year agreement "expired on
    31 March 2021" and was extended "until 31 March 2022" by a decision of November 2021). It is
    decided after the agreement started and not before an extension already recorded, or that one
    would not be the latest and this would extend nothing; an agreement that ended is not extended."""
    problems: dict[str, str] = {}
    extends = current_expiry(starts_on, term_years, earlier)
    if extension.new_expiry <= extends:
        problems["new_expiry"] = (
            f"The new expiry date must be after the current one, {extends:%d/%m/%Y}: an extension runs on "
            "from the end it extends. To end an agreement early, change it and give the date it ended"
        )
    latest = max((e.decided_on for e in earlier), default=None)
    if extension.decided_on < starts_on:
        problems["decided_on"] = f"The agreement started on {starts_on:%d/%m/%Y}: an extension is decided after that"
    elif latest is not None and extension.decided_on < latest:
        problems["decided_on"] = (
            f"An extension decided on {latest:%d/%m/%Y} is already recorded: record one decided on or after it"
        )
    elif ended_on is not None and ended_on < extension.decided_on:
        problems["decided_on"] = f"The agreement ended on {ended_on:%d/%m/%Y}: an ended agreement is not extended"
    return problems


def agreement_status(expires_on: date, today: date, lead_days: int, ended_on: date | None = None) -> AgreementStatus:
    if ended_on is not None and ended_on <= today:
        return AgreementStatus.ENDED
    if expires_on < today:
        return AgreementStatus.EXPIRED
    if (expires_on - today).days <= lead_days:
        return AgreementStatus.EXPIRING_SOON
    return AgreementStatus.IN_FORCE


def review_status(review_due_on: date, today: date, lead_days: int) -> ReviewStatus:
    if review_due_on < today:
        return ReviewStatus.OVERDUE
    if (review_due_on - today).days <= lead_days:
        return ReviewStatus.DUE
    return ReviewStatus.CURRENT


class Frequency(StrEnum):
    MONTHLY = "monthly"
    SIX_WEEKLY = "six_weekly"
    BI_MONTHLY = "bi_monthly"  # every two months, as some operational groups meet
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self]


FREQUENCY_LABELS = {
    Frequency.MONTHLY: "Monthly",
    Frequency.SIX_WEEKLY: "Every 6 weeks",
    Frequency.BI_MONTHLY: "Every 2 months",
    Frequency.QUARTERLY: "Quarterly",
    Frequency.HALF_YEARLY: "Every 6 months",
}


def next_meeting_due(frequency: Frequency, established_on: date, last_met_on: date | None) -> date:
    """One interval after the last meeting; a board that has not met yet is due on the day it was set up."""
    if last_met_on is None:
        return established_on
    if frequency == Frequency.SIX_WEEKLY:
        return last_met_on + timedelta(weeks=6)
    months = {Frequency.MONTHLY: 1, Frequency.BI_MONTHLY: 2, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6}[
        frequency
    ]
    return add_months(last_met_on, months)


def action_overdue(due_on: date, done_on: date | None, today: date) -> bool:
    return done_on is None and due_on < today


class ComplaintStage(StrEnum):
    STAGE_1 = "stage_1"
    STAGE_2 = "stage_2"
    STAGE_3 = "stage_3"
    OMBUDSMAN = "ombudsman"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    ComplaintStage.STAGE_1: "Stage 1: local resolution",
    ComplaintStage.STAGE_2: "Stage 2: investigation",
    ComplaintStage.STAGE_3: "Stage 3: review panel",
    ComplaintStage.OMBUDSMAN: "Local Government and Social Care Ombudsman",
}
STAGE_ORDER = list(ComplaintStage)
# Working days to answer: (standard, extended). The panel cannot be extended; the Ombudsman keeps its own timetable.
STAGE_WORKING_DAYS = {
    ComplaintStage.STAGE_1: (10, 20),
    ComplaintStage.STAGE_2: (25, 65),
    ComplaintStage.STAGE_3: (30, 30),
}


def stage_due_on(stage: ComplaintStage, started_on: date, extended: bool = False) -> date | None:
    days = STAGE_WORKING_DAYS.get(stage)
    if days is None:
        return None
    return add_working_days(started_on, days[1] if extended else days[0])


def stage_overdue(
    stage: ComplaintStage, started_on: date, extended: bool, responded_on: date | None, today: date
) -> bool:
    """Still unanswered after the due day."""
    due = stage_due_on(stage, started_on, extended)
    return due is not None and responded_on is None and today > due


def answered_late(stage: ComplaintStage, started_on: date, extended: bool, responded_on: date | None) -> bool:
    due = stage_due_on(stage, started_on, extended)
    return due is not None and responded_on is not None and responded_on > due


def next_stage(current: ComplaintStage) -> ComplaintStage | None:
    """Complaints move up one stage at a time; the Ombudsman is the last."""
    index = STAGE_ORDER.index(current)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None
