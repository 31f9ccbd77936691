"""Statutory timescales for both journeys, computed from the dated milestones. Pure Python.

Defaults follow the statutory guidance on adoption (2013) and the adoption scorecard; an agency
may set its own (journeys.models.AgencyTargets). Nothing here is stored: every figure is computed
from the dates each time it is asked for."""

from dataclasses import dataclass, fields  # noqa: F401  (fields is used by AgencyTargets)
from datetime import date, timedelta

from openraa.children.domain import Milestones
from openraa.common.timescales import Timescale
from openraa.common.workdays import add_months, add_working_days
from openraa.households.domain import HouseholdMilestones


@dataclass(frozen=True)
class Targets:
    stage1_months: int = 2  # Stage 1 normally within two months
    stage2_months: int = 4  # Stage 2 within four months of the adopter's notice to proceed
    fast_track_months: int = 4  # previous adopters and foster carers: decision within four months
    pause_between_stages_months: int = 6  # the adopter may pause up to six months after Stage 1
    adm_working_days: int = 7  # ADM decision within seven working days of the final panel minutes
    family_finding_referral_days: int = 90  # national register referral within 3 months of the decision
    order_to_match_days: int = 121  # adoption scorecard A2 threshold (4 months)
    waiting_days: int = 90
    long_wait_months: int = 18
    approved_waiting_months: int = 3
    approval_review_months: int = 12  # approval reviewed at least every year
    due_soon_days: int = 14


def child_timescales(m: Milestones, t: Targets) -> list[Timescale]:
    """The timescales of a child's plan. A plan that ended or an adoption order closes the open ones."""
    items: list[Timescale] = []
    closed = m.plan_ended_on or m.adoption_order_on
    if m.should_be_placed_on:
        done = _first(m.family_finding_referral_on, m.linked_on, m.matched_on, closed)
        items.append(
            Timescale(
                "family_finding_referral",
                f"Referral to family finding within {t.family_finding_referral_days} days",
                m.should_be_placed_on,
                m.should_be_placed_on + timedelta(days=t.family_finding_referral_days),
                done,
            )
        )
    if m.placement_order_on:
        # A match before the order counts as met on the day of the order (the A2 rule).
        matched = max(m.matched_on, m.placement_order_on) if m.matched_on else None
        done = _first(matched, closed)
        start = m.placement_order_on
        items.append(
            Timescale(
                "order_to_match",
                f"Placement order to match within {t.order_to_match_days} days",
                start,
                start + timedelta(days=t.order_to_match_days),
                done,
            )
        )
        items.append(
            Timescale(
                "waiting",
                f"Waiting over {t.waiting_days} days since the placement order",
                start,
                start + timedelta(days=t.waiting_days),
                done,
            )
        )
        items.append(
            Timescale(
                "long_wait",
                f"Waiting over {t.long_wait_months} months since the placement order",
                start,
                add_months(start, t.long_wait_months),
                done,
            )
        )
    return items


def household_timescales(
    j: HouseholdMilestones,
    t: Targets,
    approval_reviewed_on: date | None = None,
    first_linked_on: date | None = None,
    placed: bool = False,
) -> list[Timescale]:
    """The timescales of an adopter household's assessment and approval. `placed`: a child lives
    with them, so their approval is no longer reviewed as a waiting household's."""
    items: list[Timescale] = []
    closed = j.closed_on
    if j.stage1_started_on:
        items.append(
            Timescale(
                "stage1",
                f"Stage 1 within {t.stage1_months} months",
                j.stage1_started_on,
                add_months(j.stage1_started_on, t.stage1_months),
                _first(j.stage1_ended_on, closed),
            )
        )
    if j.stage1_ended_on and not j.fast_track:
        items.append(
            Timescale(
                "pause",
                f"Pause between stages at most {t.pause_between_stages_months} months",
                j.stage1_ended_on,
                add_months(j.stage1_ended_on, t.pause_between_stages_months),
                _first(j.stage2_started_on, closed),
            )
        )
    if j.stage2_started_on:
        months = t.fast_track_months if j.fast_track else t.stage2_months
        label = (
            f"Fast track decision within {months} months"
            if j.fast_track
            else f"Stage 2 and decision within {months} months"
        )
        items.append(
            Timescale(
                "fast_track" if j.fast_track else "stage2",
                label,
                j.stage2_started_on,
                add_months(j.stage2_started_on, months),
                _first(j.approved_on, closed),
            )
        )
    if j.approved_on:
        items.append(
            Timescale(
                "approved_waiting",
                f"Approved and waiting over {t.approved_waiting_months} months",
                j.approved_on,
                add_months(j.approved_on, t.approved_waiting_months),
                _first(first_linked_on, closed),
            )
        )
        if not closed and not placed:
            last = max(filter(None, (j.approved_on, approval_reviewed_on)))
            items.append(
                Timescale(
                    "approval_review",
                    f"Review of approval every {t.approval_review_months} months",
                    last,
                    add_months(last, t.approval_review_months),
                )
            )
    return items


def adm_decision(final_minutes_on: date, decided_on: date | None, t: Targets) -> Timescale:
    return Timescale(
        "adm_decision",
        f"ADM decision within {t.adm_working_days} working days of final panel minutes",
        final_minutes_on,
        add_working_days(final_minutes_on, t.adm_working_days),
        decided_on,
    )


def _first(*dates: date | None) -> date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None
