"""A child's milestones: the stage they imply and the records that cannot be real. No database."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openraa.children.domain import MILESTONE_FIELDS, ChildStage, Milestones, derive_stage, validate, warnings

TODAY = date(2026, 11, 25)
FULL = Milestones(
    date_of_birth=date(2022, 1, 1),
    entered_care_on=date(2022, 3, 1),
    should_be_placed_on=date(2022, 9, 1),
    placement_order_on=date(2022, 12, 1),
    linked_on=date(2023, 2, 1),
    matched_on=date(2023, 3, 1),
    placed_on=date(2023, 4, 1),
    adoption_order_on=date(2023, 10, 1),
)


def test_a_complete_journey_is_valid_and_adopted():
    assert validate(FULL, TODAY) == {}
    assert derive_stage(FULL) == ChildStage.ADOPTED


def test_stage_is_the_furthest_milestone_reached():
    assert derive_stage(Milestones(date_of_birth=date(2022, 1, 1))) == ChildStage.CONSIDERED
    assert derive_stage(replace(FULL, adoption_order_on=None)) == ChildStage.PLACED
    assert derive_stage(replace(FULL, adoption_order_on=None, placed_on=None)) == ChildStage.MATCHED
    partial = replace(FULL, adoption_order_on=None, placed_on=None, matched_on=None, linked_on=None)
    assert derive_stage(partial) == ChildStage.FAMILY_FINDING
    assert derive_stage(replace(partial, placement_order_on=None)) == ChildStage.SHOULD_BE_PLACED
    assert derive_stage(replace(partial, early_permanence_on=date(2022, 10, 1))) == ChildStage.EARLY_PERMANENCE


def test_an_ended_plan_overrides_every_other_milestone():
    ended = replace(
        FULL, adoption_order_on=None, placed_on=None, plan_ended_on=date(2023, 5, 1), plan_ended_reason="disruption"
    )
    assert validate(ended, TODAY) == {}
    assert derive_stage(ended) == ChildStage.PLAN_ENDED


def test_placement_order_before_entering_care_is_refused():
    errors = validate(replace(FULL, placement_order_on=date(2022, 2, 1)), TODAY)
    assert "placement_order_on" in errors
    assert "before entered care" in errors["placement_order_on"]


def test_match_before_placement_order_is_kept_with_a_warning():
    early = replace(FULL, matched_on=date(2022, 11, 1), linked_on=date(2022, 10, 1))
    assert validate(early, TODAY) == {}
    assert "came before the placement order" in warnings(early)["matched_on"]
    assert warnings(FULL) == {}


def test_a_placement_with_parental_consent_has_no_placement_order_and_a_warning():
    consent = replace(FULL, placement_order_on=None)
    assert validate(consent, TODAY) == {}
    assert "parental consent" in warnings(consent)["placed_on"]
    assert "matched_on" in warnings(replace(consent, placed_on=None, adoption_order_on=None))


def test_unusual_placement_and_adoption_order_dates_are_warnings():
    same_day = replace(FULL, placed_on=FULL.matched_on)
    assert validate(same_day, TODAY) == {} and "day of the match" in warnings(same_day)["placed_on"]
    soon = replace(FULL, adoption_order_on=FULL.placed_on + timedelta(days=30))
    assert validate(soon, TODAY) == {} and "30 days after the placement" in warnings(soon)["adoption_order_on"]
    assert "adoption_order_on" not in warnings(replace(FULL, adoption_order_on=FULL.placed_on + timedelta(days=70)))


def test_impossible_orders_stay_errors():
    assert (
        "before placed for adoption"
        in validate(replace(FULL, adoption_order_on=date(2023, 3, 15)), TODAY)["adoption_order_on"]
    )
    assert (
        "before date of birth" in validate(replace(FULL, entered_care_on=date(2021, 12, 1)), TODAY)["entered_care_on"]
    )
    # SSDA903 rules 333 and 331: the match is on or after the decision and on or before the placement
    early = replace(FULL, should_be_placed_on=date(2022, 9, 1), linked_on=None, matched_on=date(2022, 8, 1))
    assert "before should be placed" in validate(early, TODAY)["matched_on"]
    assert "before match decision" in validate(replace(FULL, placed_on=date(2023, 2, 15)), TODAY)["placed_on"]


def test_dates_in_the_future_are_refused():
    errors = validate(replace(FULL, adoption_order_on=TODAY + timedelta(days=1)), TODAY)
    assert errors["adoption_order_on"] == "Adoption order cannot be in the future"


def test_an_ended_plan_needs_a_known_reason_and_a_date():
    assert "plan_ended_reason" in validate(replace(FULL, adoption_order_on=None, plan_ended_on=date(2023, 5, 1)), TODAY)
    assert "plan_ended_on" in validate(replace(FULL, plan_ended_reason="disruption"), TODAY)
    wrong = replace(FULL, adoption_order_on=None, plan_ended_on=date(2023, 5, 1), plan_ended_reason="bored")
    assert validate(wrong, TODAY)["plan_ended_reason"] == "Choose a reason from the list"


ORDERED = (
    "entered_care_on",
    "should_be_placed_on",
    "placement_order_on",
    "linked_on",
    "matched_on",
    "placed_on",
    "adoption_order_on",
)


@given(
    birth=st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 1, 1)),
    gaps=st.lists(st.integers(min_value=0, max_value=400), min_size=len(ORDERED), max_size=len(ORDERED)),
    reached=st.integers(min_value=0, max_value=len(ORDERED)),
)
def test_any_journey_in_legal_order_is_valid_and_its_stage_is_the_last_step(birth, gaps, reached):
    values, when = {}, birth
    for field, gap in zip(ORDERED[:reached], gaps):
        when = when + timedelta(days=gap)
        values[field] = when
    milestones = Milestones(date_of_birth=birth, **values)
    today = max([birth, *values.values()])
    assert validate(milestones, today) == {}
    expected = {
        0: ChildStage.CONSIDERED,
        1: ChildStage.CONSIDERED,
        2: ChildStage.SHOULD_BE_PLACED,
        3: ChildStage.FAMILY_FINDING,
        4: ChildStage.LINKED,
        5: ChildStage.MATCHED,
        6: ChildStage.PLACED,
        7: ChildStage.ADOPTED,
    }[reached]
    assert derive_stage(milestones) == expected


@given(
    field=st.sampled_from([f for f in MILESTONE_FIELDS if f not in ("plan_ended_on",)]),
    days_early=st.integers(min_value=1, max_value=3000),
)
def test_no_milestone_may_come_before_birth(field, days_early):
    milestones = replace(FULL, **{field: FULL.date_of_birth - timedelta(days=days_early)})
    assert field in validate(milestones, TODAY)
