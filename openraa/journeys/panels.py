"""Adoption panel rules: quorum and what a recommendation plus the ADM's decision mean. Pure Python.

Quorum follows regulation 6 of the Adoption Agencies Regulations 2005 as amended in 2012: at
least five members, including the chair or a vice chair and a social worker with at least three
years' relevant post-qualifying experience, and, for a local authority panel, an independent
member. An agency can change the minimum size (journeys.models.PanelMember roles stay fixed)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from openraa.journeys.definitions import CHILD_STEPS, HOUSEHOLD_STEPS


class MemberRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    SOCIAL_WORKER = "social_worker"  # three years' relevant post-qualifying experience
    INDEPENDENT = "independent"
    MEDICAL_ADVISER = "medical_adviser"
    ELECTED_MEMBER = "elected_member"
    OTHER = "other"


MEMBER_ROLE_LABELS = {
    MemberRole.CHAIR: "Chair (independent)",
    MemberRole.VICE_CHAIR: "Vice chair",
    MemberRole.SOCIAL_WORKER: "Social worker (3 years' post-qualifying experience)",
    MemberRole.INDEPENDENT: "Independent member",
    MemberRole.MEDICAL_ADVISER: "Medical adviser",
    MemberRole.ELECTED_MEMBER: "Elected member",
    MemberRole.OTHER: "Other member",
}


@dataclass(frozen=True)
class QuorumRules:
    minimum_members: int = 5
    needs_independent: bool = True


def quorum_problems(roles: Iterable[str], rules: QuorumRules = QuorumRules()) -> list[str]:
    """Why a panel with members in these roles may not do business; empty when it is quorate.
    The chair counts as independent (the chair of an adoption panel is independent of the agency)."""
    roles = list(roles)
    problems = []
    if len(roles) < rules.minimum_members:
        problems.append(f"{len(roles)} members attended; at least {rules.minimum_members} are needed")
    if not {MemberRole.CHAIR, MemberRole.VICE_CHAIR} & set(roles):
        problems.append("The chair or a vice chair must attend")
    if MemberRole.SOCIAL_WORKER not in roles:
        problems.append("A social worker with three years' post-qualifying experience must attend")
    if rules.needs_independent and not {MemberRole.INDEPENDENT, MemberRole.CHAIR} & set(roles):
        problems.append("An independent member must attend")
    return problems


class ItemKind(StrEnum):
    HOUSEHOLD_APPROVAL = "household_approval"
    MATCH = "match"
    REVIEW = "review"  # review of a household's approval
    PLAN_CHANGE = "plan_change"  # a child's plan changing away from adoption


ITEM_KIND_LABELS = {
    ItemKind.HOUSEHOLD_APPROVAL: "Household approval",
    ItemKind.MATCH: "Match",
    ItemKind.REVIEW: "Review of approval",
    ItemKind.PLAN_CHANGE: "Change of plan",
}


class Recommendation(StrEnum):
    RECOMMEND = "recommend"
    NOT_RECOMMEND = "not_recommend"
    DEFERRED = "deferred"


def outcome(recommendation: str, adm_agrees: bool) -> bool:
    """Whether the thing asked of the panel happens: the ADM agreeing with a recommendation for it,
    or disagreeing with a recommendation against it (the ADM decides; the panel recommends)."""
    if recommendation == Recommendation.DEFERRED:
        raise ValueError("A deferred item has nothing for the ADM to decide")
    return (recommendation == Recommendation.RECOMMEND) == adm_agrees


# What each kind of item puts before the panel, and the stages a record must be in to be offered
# for it: the stages the journey step the panel's recommendation (or the ADM's decision on it)
# records may follow (journeys/definitions.py). A match is the household with the children linked
# with it; a change of plan names a child whose adoption plan has not finished.
HOUSEHOLD_STAGES_FOR: dict[str, frozenset[str]] = {
    ItemKind.HOUSEHOLD_APPROVAL: HOUSEHOLD_STEPS["panel"].sources,  # Stage 2 ended, not yet at panel
    ItemKind.REVIEW: HOUSEHOLD_STEPS["approval_reviewed"].sources,  # approved
}
CHILD_STAGES_FOR: dict[str, frozenset[str]] = {
    ItemKind.MATCH: CHILD_STEPS["matching_panel"].sources,  # linked with the household
    ItemKind.PLAN_CHANGE: CHILD_STEPS["plan_ended"].sources,
}


def stage_refusal(kind: str, household_stage: str | None, child_stages: Iterable[str]) -> str | None:
    """Why a record in this stage cannot go to the panel as this kind of item; None when it can."""
    label = next((name for key, name in ITEM_KIND_LABELS.items() if key == kind), kind).lower()
    if kind in HOUSEHOLD_STAGES_FOR and household_stage not in HOUSEHOLD_STAGES_FOR[kind]:
        return f"The household is not at the stage for a {label}"
    if kind in CHILD_STAGES_FOR and any(stage not in CHILD_STAGES_FOR[kind] for stage in child_stages):
        return f"A child on the item is not at the stage for a {label}"
    return None


def agenda_refusal(held_on: date, today: date, recommended: bool) -> str | None:
    """Why the agenda of a panel can no longer change: it is set before the meeting, and fixed once
    the meeting date has passed or the panel has recommended on any item. None while it is open."""
    if recommended:
        return "The panel has recommended: its agenda can no longer change"
    if held_on < today:
        return "The panel has met: its agenda can no longer change"
    return None


@dataclass(frozen=True)
class CalendarRow:
    held_on: date
    items: int
    quorate: bool | None  # None: no attendance recorded yet
    key: int


def by_month(rows: Iterable[CalendarRow]) -> list[tuple[date, list[CalendarRow]]]:
    """The panel dates grouped by month (the first of each month), months and days in date order."""
    months: dict[date, list[CalendarRow]] = {}
    for row in sorted(rows, key=lambda r: (r.held_on, r.key)):
        months.setdefault(row.held_on.replace(day=1), []).append(row)
    return list(months.items())
