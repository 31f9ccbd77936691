"""Writing governance records: one transaction each, the history row under the user who wrote.

The pages validate first (the forms run the models' clean) and hand over the records to write;
nothing else writes governance records, so the history and the transaction are the same whoever
calls."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from openraa.governance import schedule
from openraa.governance.models import (
    Action,
    Agreement,
    AgreementExtension,
    Board,
    BoardMember,
    Complaint,
    ComplaintStageEntry,
    Decision,
    Document,
    InterCountryCase,
    Meeting,
    Risk,
    RiskReview,
    Workstream,
)


def _save(record, by):
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def save_agreement(agreement: Agreement, *, by) -> Agreement:
    return _save(agreement, by)


@transaction.atomic
def save_extension(extension: AgreementExtension, *, by) -> AgreementExtension:
    """An extension of the agreement from the end it extends (schedule.extension_problems), which it
    keeps; an extension once recorded is not changed: a later one supersedes it."""
    agreement = Agreement.objects.select_for_update().get(pk=extension.agreement_id)
    extension.full_clean()
    extension.extends_expiry = agreement.expires_on
    return _save(extension, by)


@transaction.atomic
def save_document(document: Document, *, by) -> Document:
    return _save(document, by)


@transaction.atomic
def save_board(board: Board, *, by) -> Board:
    return _save(board, by)


@transaction.atomic
def save_member(member: BoardMember, *, by) -> BoardMember:
    return _save(member, by)


@transaction.atomic
def save_action(action: Action, *, by) -> Action:
    return _save(action, by)


@transaction.atomic
def save_workstream(workstream: Workstream, *, by) -> Workstream:
    return _save(workstream, by)


@transaction.atomic
def save_intercountry_case(case: InterCountryCase, *, by) -> InterCountryCase:
    return _save(case, by)


@transaction.atomic
def record_meeting(meeting: Meeting, decisions: list[str], *, by) -> Meeting:
    """A board meeting with the decisions it made, one a line."""
    _save(meeting, by)
    for text in decisions:
        _save(Decision(meeting=meeting, text=text), by)
    return meeting


@transaction.atomic
def record_complaint(agency, council, received_on: date, about: str, *, by) -> Complaint:
    """A complaint, at stage 1 from the day it was received."""
    complaint = _save(Complaint(agency=agency, council=council, received_on=received_on, about=about), by)
    _save(ComplaintStageEntry(complaint=complaint, stage=schedule.ComplaintStage.STAGE_1, started_on=received_on), by)
    return complaint


@transaction.atomic
def save_response(stage: ComplaintStageEntry, *, by) -> ComplaintStageEntry:
    """The answer at a complaint's current stage."""
    return _save(stage, by)


@transaction.atomic
def escalate_complaint(
    complaint: Complaint, stage: schedule.ComplaintStage, started_on: date, *, by
) -> ComplaintStageEntry:
    """The next stage; the stage before stays on the record."""
    return _save(ComplaintStageEntry(complaint=complaint, stage=stage, started_on=started_on), by)


@transaction.atomic
def raise_risk(risk: Risk, likelihood: int, impact: int, *, by) -> Risk:
    """A new risk on the register with its first rating, dated the day it was raised."""
    risk.full_clean()
    _save(risk, by)
    review = RiskReview(risk=risk, reviewed_on=risk.raised_on, likelihood=likelihood, impact=impact, note="Raised")
    review.full_clean()
    _save(review, by)
    return risk


@transaction.atomic
def save_risk(risk: Risk, *, by) -> Risk:
    """A change to the risk's title, owner, controls, source or closing date; its rating changes only
    by a review."""
    risk.full_clean()
    return _save(risk, by)


@transaction.atomic
def review_risk(review: RiskReview, *, by) -> RiskReview:
    """The owner's review: a new dated rating after the last, on an open risk (RiskReview.clean with
    risks.review_problems), one at a time per risk."""
    Risk.objects.select_for_update().get(pk=review.risk_id)
    review.full_clean()
    return _save(review, by)
