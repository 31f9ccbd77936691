"""The journeys' state machines: no sequence of allowed steps reaches an inconsistent record, a
forbidden step is refused with the reason, and corrections never rewrite history. No database."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.children import domain as child_domain
from openraa.common.machine import WITHDRAWN, Entry, StepRefused, in_force, replay
from openraa.households import domain as household_domain
from openraa.journeys.definitions import child_journey, child_milestones, household_journey

TODAY = date(2026, 11, 25)
BORN = date(2021, 3, 1)
DETAILS = {
    "household": 7,
    "early_permanence_household": 8,
    "early_permanence_kind": "foster_to_adopt",
    "plan_ended_reason": "disruption",
    "plan_ended_code": "RD2",
    "closed_reason": "withdrawn",
}


def walk(journey, choices, gaps, start: date):
    """Follow the machine: at each point take one of the steps allowed from the current stage."""
    entries, when = [], start
    projection = replay(journey, [], TODAY)
    for choice, gap in zip(choices, gaps):
        allowed = journey.allowed_from(journey.stage_of(projection))
        if not allowed:
            break
        step = allowed[choice % len(allowed)]
        when = min(when + timedelta(days=gap), TODAY)
        candidate = Entry(len(entries) + 1, step.kind, when, {k: DETAILS[k] for k in (*step.details, *step.optional)})
        try:
            projection = replay(journey, [*entries, candidate], TODAY)
        except StepRefused:
            continue  # refused steps leave the journey as it was
        entries.append(candidate)
        yield step, projection, entries


STEP_STAGE = {
    "should_be_placed": {"should_be_placed", "early_permanence"},
    # The order may follow a match or a placement with consent (journeys/definitions.py): the child
    # stays matched or placed.
    "placement_order": {"family_finding", "early_permanence", "linked", "matching_panel", "matched", "placed"},
    "linked": {"linked"},
    "matching_panel": {"matching_panel"},
    "matched": {"matched"},
    "placed": {"placed"},
    "adoption_order": {"adopted"},
    "plan_ended": {"plan_ended"},
    "early_permanence": {"early_permanence"},
    "link_ended": {"should_be_placed", "family_finding", "early_permanence"},
}


@settings(max_examples=300)
@given(
    choices=st.lists(st.integers(0, 20), min_size=1, max_size=25),
    gaps=st.lists(st.integers(0, 200), min_size=25, max_size=25),
)
def test_no_sequence_of_allowed_child_steps_reaches_an_inconsistent_record(choices, gaps):
    journey = child_journey(BORN)
    for step, projection, entries in walk(journey, choices, gaps, BORN + timedelta(days=30)):
        milestones = child_milestones(projection)
        assert child_domain.validate(milestones, TODAY) == {}
        stage = journey.stage_of(projection)
        assert stage == child_domain.derive_stage(milestones)
        if step.kind in STEP_STAGE:
            assert stage in STEP_STAGE[step.kind], (step.kind, stage)
        if projection["linked_on"]:
            assert projection["household"] is not None
        if projection["early_permanence_on"]:
            assert projection["early_permanence_household"] is not None
        # Replaying the same history in another recording order gives the same record.
        assert replay(journey, list(reversed(entries)), TODAY) == projection


@settings(max_examples=300)
@given(
    choices=st.lists(st.integers(0, 20), min_size=1, max_size=15),
    gaps=st.lists(st.integers(0, 120), min_size=15, max_size=15),
    fast_track=st.booleans(),
)
def test_no_sequence_of_allowed_household_steps_reaches_an_inconsistent_record(choices, gaps, fast_track):
    journey = household_journey(fast_track, (2, 0, 4))
    start = date(2024, 1, 8)
    for step, projection, _ in walk(journey, [0, *choices], [0, *gaps], start):
        record = household_domain.HouseholdMilestones(
            **{k: projection[k] for k in household_domain.DATE_LABELS},
            closed_reason=projection["closed_reason"],
            fast_track=fast_track,
            approved_children=2,
            age_min=0,
            age_max=4,
        )
        assert household_domain.validate(record, TODAY) == {}
        if fast_track:
            assert projection["stage1_started_on"] is None
        if step.kind == "approved":
            assert journey.stage_of(projection) == "approved_waiting"


def test_a_forbidden_step_names_the_stage_and_what_may_follow():
    journey = child_journey(BORN)
    entries = [Entry(1, "entered_care", date(2021, 6, 1)), Entry(2, "should_be_placed", date(2021, 9, 1))]
    with pytest.raises(StepRefused) as refused:
        replay(journey, [*entries, Entry(3, "matched", date(2021, 10, 1))], TODAY)
    message = str(refused.value)
    assert "the child was at 'Should be placed for adoption'" in message
    assert "placement order" in message and "link with a household" in message


def test_a_step_dated_before_the_one_it_must_follow_is_refused():
    journey = child_journey(BORN)
    entries = [Entry(1, "entered_care", date(2021, 6, 1)), Entry(2, "should_be_placed", date(2021, 9, 1))]
    with pytest.raises(StepRefused):
        replay(journey, [*entries, Entry(3, "placement_order", date(2021, 8, 1))], TODAY)


def test_fast_track_may_skip_stage_1_and_no_one_else_may():
    steps = [
        Entry(1, "enquiry", date(2025, 1, 6)),
        Entry(2, "registration_of_interest", date(2025, 1, 20)),
        Entry(3, "stage2_started", date(2025, 2, 1)),
    ]
    assert (
        household_journey(True, (1, 0, 3)).stage_of(replay(household_journey(True, (1, 0, 3)), steps, TODAY))
        == "stage_2"
    )
    with pytest.raises(StepRefused, match="needs stage 1 end"):
        replay(household_journey(False, (1, 0, 3)), steps, TODAY)


def test_a_correction_replaces_the_entry_in_force_and_a_withdrawal_removes_it():
    original = [
        Entry(1, "entered_care", date(2021, 6, 1)),
        Entry(2, "should_be_placed", date(2021, 9, 1)),
        Entry(3, "placement_order", date(2021, 12, 1)),
    ]
    corrected = [*original, Entry(4, "placement_order", date(2021, 12, 3), supersedes=3)]
    journey = child_journey(BORN)
    assert replay(journey, corrected, TODAY)["placement_order_on"] == date(2021, 12, 3)
    assert [e.seq for e in in_force(corrected)] == [1, 2, 4]
    withdrawn = [*corrected, Entry(5, WITHDRAWN, date(2021, 12, 3), supersedes=4)]
    assert replay(journey, withdrawn, TODAY)["placement_order_on"] is None
    assert journey.stage_of(replay(journey, withdrawn, TODAY)) == "should_be_placed"


def test_a_correction_that_would_break_the_journey_is_refused():
    entries = [
        Entry(1, "entered_care", date(2021, 6, 1)),
        Entry(2, "should_be_placed", date(2021, 9, 1)),
        Entry(3, "placement_order", date(2021, 12, 1)),
        Entry(4, "should_be_placed", date(2022, 1, 1), supersedes=2),
    ]  # now after the order
    with pytest.raises(StepRefused):
        replay(child_journey(BORN), entries, TODAY)


def test_imported_entries_skip_the_stage_check_but_not_the_record_rules():
    journey = child_journey(BORN)
    # An SSDA903 return knows the order and the match, not the link or the matching panel.
    imported = [
        Entry(1, "entered_care", date(2021, 6, 1), imported=True),
        Entry(2, "should_be_placed", date(2021, 9, 1), imported=True),
        Entry(3, "placement_order", date(2021, 12, 1), imported=True),
        Entry(4, "matched", date(2022, 3, 1), imported=True),
    ]
    assert journey.stage_of(replay(journey, imported, TODAY)) == "matched"
    with pytest.raises(StepRefused):  # the same steps typed in by a person must follow the journey
        replay(journey, [Entry(e.seq, e.kind, e.occurred_on) for e in imported], TODAY)
    out_of_order = [*imported[:2], Entry(3, "adoption_order", date(2021, 10, 1), imported=True)]
    with pytest.raises(StepRefused, match="needs placed for adoption"):
        replay(journey, out_of_order, TODAY)
    # A match before the order, and a placement with consent and no order at all, are real journeys.
    early_match = [
        *imported[:2],
        Entry(3, "matched", date(2021, 10, 1), imported=True),
        Entry(4, "placement_order", date(2021, 12, 1), imported=True),
    ]
    assert journey.stage_of(replay(journey, early_match, TODAY)) == "matched"
    consent = [
        *imported[:2],
        Entry(3, "matched", date(2021, 10, 1), imported=True),
        Entry(4, "placed", date(2021, 11, 1), imported=True),
    ]
    assert journey.stage_of(replay(journey, consent, TODAY)) == "placed"
    # A person's next step after an imported history is checked as usual.
    assert journey.stage_of(replay(journey, [*imported, Entry(5, "placed", date(2022, 4, 1))], TODAY)) == "placed"
