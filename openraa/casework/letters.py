"""Letters made from the record, on the agency's letterhead, stored on the record as documents.

Each letter says when it can be written (the record has reached the step it is about) and what it
says, from the record's own fields. They are addressed by name, so only someone who may see the
record's names makes them (views.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from openraa.common.dates import long_date
from openraa.common.pdf import Paper, Section


@dataclass(frozen=True)
class Letter:
    code: str
    subject: str  # subjects.SUBJECTS slug
    title: str
    ready: Callable[[object], str]  # why it cannot be written yet ("" when it can)
    compose: Callable[[object, dict], tuple[str, ...]]  # the record, context -> paragraphs


def _day(value: date | None) -> str:
    return long_date(value) if value else "not recorded"


def _approval_ready(household) -> str:
    return "" if household.approved_on else "The household has no approval recorded yet"


def _approval(household, context) -> tuple[str, ...]:
    return (
        f"I am writing to confirm that on {_day(household.approved_on)} the agency decision maker approved you "
        f"as suitable to adopt a child, following the adoption panel's recommendation of {_day(household.panel_on)}.",
        f"Your approval is for {household.approval_range}"
        + (", and you are open to a sibling group." if household.sibling_group_open else "."),
        "Your social worker will now talk with you about family finding. Your approval is reviewed "
        "at least once a year while you wait.",
    )


def _panel_ready(household) -> str:
    return "" if household.panel_items.exists() else "The household is not on a panel's agenda"


def _panel_invitation(household, context) -> tuple[str, ...]:
    item = household.panel_items.select_related("meeting").order_by("-meeting__held_on").first()
    return (
        f"You are invited to attend the adoption panel on {_day(item.meeting.held_on)}, which will consider "
        f"{item.get_kind_display().lower()}.",
        "Your social worker will meet you beforehand and come with you. The panel makes a recommendation; "
        "the agency decision maker then decides and we will write to you with the decision.",
        "If you cannot attend on that date, please tell your social worker as soon as you can.",
    )


def _plan_ready(case) -> str:
    return "" if case.plan_agreed_on else "No support plan has been agreed yet"


def _support_plan(case, context) -> tuple[str, ...]:
    services = context.get("services", ())
    lines = [f"Thank you for meeting us. This letter confirms the support plan agreed on {_day(case.plan_agreed_on)}."]
    if services:
        lines.append("The plan provides: " + "; ".join(services) + ".")
    lines.append(
        "We will review the plan with you. If your needs change before then, please contact your adoption "
        "support worker."
    )
    return tuple(lines)


def _decision_ready(case) -> str:
    return "" if case.assessment_completed_on and case.assessment_outcome else "No assessment of need is completed yet"


def _decision(case, context) -> tuple[str, ...]:
    outcome = context.get("outcome", case.assessment_outcome)
    return (
        f"We have completed the assessment of your need for adoption support ({_day(case.assessment_completed_on)}).",
        f"Our decision: {outcome}.",
        "If you disagree with this decision you may ask us to look at it again, and you may use the "
        "agency's complaints procedure.",
    )


LETTERS = {
    letter.code: letter
    for letter in (
        Letter("approval", "households", "Approval as prospective adopters", _approval_ready, _approval),
        Letter("panel_invitation", "households", "Invitation to the adoption panel", _panel_ready, _panel_invitation),
        Letter("support_plan", "support", "Your adoption support plan", _plan_ready, _support_plan),
        Letter("decision", "support", "Decision on your request for adoption support", _decision_ready, _decision),
    )
}


def for_subject(slug: str) -> list[Letter]:
    return [letter for letter in LETTERS.values() if letter.subject == slug]


def paper(letter: Letter, record, *, to: str, letterhead: tuple[str, ...], today: date, signed: str, context) -> Paper:
    return Paper(
        title=letter.title,
        letterhead=(*letterhead, _day(today)),
        sections=(
            Section(paragraphs=(f"Our reference: {record.reference}", f"Dear {to},")),
            Section(paragraphs=letter.compose(record, context)),
            Section(paragraphs=("Yours sincerely,", signed)),
        ),
        footer=f"{letterhead[0]} - {record.reference}",
    )
