"""An adopter household's journey dates: the stage they imply and the records that cannot be real."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openraa.households.domain import HouseholdMilestones, HouseholdStage, derive_stage, validate

TODAY = date(2026, 11, 25)
APPROVED = HouseholdMilestones(
    enquiry_on=date(2025, 1, 6),
    registration_of_interest_on=date(2025, 1, 20),
    stage1_started_on=date(2025, 1, 20),
    stage1_ended_on=date(2025, 3, 20),
    stage2_started_on=date(2025, 4, 1),
    stage2_ended_on=date(2025, 8, 1),
    panel_on=date(2025, 9, 1),
    approved_on=date(2025, 9, 8),
    approved_children=2,
    age_min=0,
    age_max=4,
)


def test_an_approved_household_is_valid_and_waiting():
    assert validate(APPROVED, TODAY) == {}
    assert derive_stage(APPROVED) == HouseholdStage.APPROVED_WAITING


def test_a_child_linked_with_an_approved_household_sets_its_stage():
    assert derive_stage(APPROVED, HouseholdStage.MATCHED) == HouseholdStage.MATCHED


def test_stage_follows_the_journey_dates():
    assert derive_stage(HouseholdMilestones(enquiry_on=date(2025, 1, 1))) == HouseholdStage.ENQUIRY
    assert derive_stage(replace(APPROVED, approved_on=None)) == HouseholdStage.AWAITING_DECISION
    assert derive_stage(replace(APPROVED, approved_on=None, panel_on=None)) == HouseholdStage.AWAITING_PANEL
    between = HouseholdMilestones(
        enquiry_on=date(2025, 1, 1),
        registration_of_interest_on=date(2025, 1, 2),
        stage1_started_on=date(2025, 1, 2),
        stage1_ended_on=date(2025, 3, 1),
    )
    assert derive_stage(between) == HouseholdStage.BETWEEN_STAGES
    closed = replace(between, closed_on=date(2025, 4, 1), closed_reason="withdrawn")
    assert validate(closed, TODAY) == {}
    assert derive_stage(closed) == HouseholdStage.CLOSED


def test_fast_track_goes_straight_to_stage_2_and_refuses_stage_1_dates():
    fast = replace(APPROVED, fast_track=True, stage1_started_on=None, stage1_ended_on=None)
    assert validate(fast, TODAY) == {}
    assert "stage1_started_on" in validate(replace(APPROVED, fast_track=True), TODAY)


def test_stage_2_needs_stage_1_unless_fast_track():
    errors = validate(replace(APPROVED, stage1_started_on=None, stage1_ended_on=None), TODAY)
    assert "needs stage 1 end" in errors["stage2_started_on"]


def test_an_approval_range_with_the_youngest_age_above_the_oldest_is_refused():
    errors = validate(replace(APPROVED, age_min=7, age_max=3), TODAY)
    assert errors["age_min"] == "Youngest age cannot be more than oldest age"


def test_approval_needs_a_range_and_a_panel():
    assert "approved_children" in validate(replace(APPROVED, approved_children=None), TODAY)
    assert "approved_on" in validate(replace(APPROVED, panel_on=None), TODAY)


def test_future_dates_are_refused():
    assert "approved_on" in validate(replace(APPROVED, approved_on=TODAY + timedelta(days=3)), TODAY)


@given(
    age_min=st.integers(min_value=-2, max_value=20),
    age_max=st.integers(min_value=-2, max_value=20),
    children=st.integers(min_value=-1, max_value=6),
)
def test_the_approval_range_is_accepted_exactly_when_it_is_possible(age_min, age_max, children):
    journey = replace(APPROVED, age_min=age_min, age_max=age_max, approved_children=children)
    possible = 0 <= age_min <= age_max <= 17 and 1 <= children <= 4
    assert (validate(journey, TODAY) == {}) == possible


def test_approval_is_reviewed_yearly_while_waiting_and_not_once_a_child_is_placed():
    from openraa.common.workdays import add_months
    from openraa.journeys.timescales import Targets, household_timescales

    waiting = {t.code: t for t in household_timescales(APPROVED, Targets())}
    assert waiting["approval_review"].due_on == add_months(APPROVED.approved_on, 12)
    placed = {t.code for t in household_timescales(APPROVED, Targets(), placed=True)}
    assert "approval_review" not in placed
