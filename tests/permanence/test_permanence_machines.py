"""Wider permanence rules without a database: the phase switches, every carer's and plan's state
machine (random walks never reach an inconsistent record) and their timescales."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.common.machine import Entry, StepRefused, replay
from openraa.common.timescales import Status
from openraa.common.workdays import add_working_days
from openraa.permanence import phases
from openraa.permanence.definitions import (
    CARER_DEFINITIONS,
    CLOSED,
    NEW,
    PLAN_DEFINITIONS,
    CarerKind,
    PlanKind,
)
from openraa.permanence.timescales import carer_timescales, plan_timescales

TODAY = date(2026, 11, 25)
DETAILS = {"carer": 3, "extension_weeks": 6, "report_due_on": "2026-12-31", "closed_reason": "other"}
DEFINITIONS = [*CARER_DEFINITIONS.items(), *PLAN_DEFINITIONS.items()]


def entries(*steps, details=None):
    """(kind, date) pairs as a history in recording order."""
    return [Entry(i + 1, kind, day, (details or {}).get(kind, {})) for i, (kind, day) in enumerate(steps)]


def walk(definition, choices, gaps, start):
    journey = definition.journey()
    history, when = [], start
    projection = replay(journey, [], TODAY)
    for choice, gap in zip(choices, gaps):
        allowed = journey.allowed_from(journey.stage_of(projection))
        if not allowed:
            break
        step = allowed[choice % len(allowed)]
        when = min(when + timedelta(days=gap), TODAY)
        candidate = Entry(len(history) + 1, step.kind, when, {k: DETAILS[k] for k in (*step.details, *step.optional)})
        try:
            projection = replay(journey, [*history, candidate], TODAY)
        except StepRefused:
            continue
        history.append(candidate)
        yield step, projection, history


@pytest.mark.parametrize("kind,definition", DEFINITIONS, ids=[str(k) for k, _ in DEFINITIONS])
@settings(max_examples=150, deadline=None)
@given(
    choices=st.lists(st.integers(0, 10), min_size=1, max_size=12),
    gaps=st.lists(st.integers(0, 120), min_size=12, max_size=12),
)
def test_no_walk_of_allowed_steps_reaches_an_inconsistent_record(kind, definition, choices, gaps):
    journey = definition.journey()
    order = [NEW, *(m.stage for m in definition.moves)]
    for step, projection, history in walk(definition, choices, gaps, date(2024, 1, 8)):
        stage = journey.stage_of(projection)
        assert stage == (
            CLOSED if step.kind == CLOSED else next(m.stage for m in definition.moves if m.kind == step.kind)
        )
        if stage != CLOSED:
            # Every step up to the stage is dated, in order; none beyond it.
            dates = [projection[m.sets] for m in definition.moves if order.index(m.stage) <= order.index(stage)]
            present = [d for d in dates if d]
            assert present == sorted(present)
            assert all(
                projection[m.sets] is None for m in definition.moves if order.index(m.stage) > order.index(stage)
            )
        # The same history replayed gives the same record, and timescales are computed from it.
        assert replay(journey, history, TODAY) == projection
        measure = carer_timescales if isinstance(kind, CarerKind) else plan_timescales
        for item in measure(kind, projection):
            assert item.due_on >= item.started_on


def test_a_foster_carer_goes_from_enquiry_to_approval_and_skipping_a_stage_is_refused():
    journey = CARER_DEFINITIONS[CarerKind.FOSTER_CARER].journey()
    history = entries(
        ("enquiry", date(2025, 1, 6)),
        ("application", date(2025, 2, 3)),
        ("stage2", date(2025, 4, 1)),
        ("panel", date(2025, 8, 4)),
        ("approved", date(2025, 8, 11)),
    )
    assert journey.stage_of(replay(journey, history, TODAY)) == "approved"
    with pytest.raises(StepRefused, match="Fostering panel recommendation cannot be recorded on 1 April 2025"):
        replay(journey, entries(("enquiry", date(2025, 1, 6)), ("panel", date(2025, 4, 1))), TODAY)


def test_foster_assessment_is_due_eight_months_after_application_and_the_decision_seven_working_days_after_panel():
    journey = CARER_DEFINITIONS[CarerKind.FOSTER_CARER].journey()
    p = replay(
        journey,
        entries(
            ("enquiry", date(2025, 1, 6)),
            ("application", date(2025, 2, 3)),
            ("stage2", date(2025, 4, 1)),
            ("panel", date(2025, 12, 19)),
        ),
        TODAY,
    )
    items = {t.code: t for t in carer_timescales(CarerKind.FOSTER_CARER, p)}
    assert items["assessment"].due_on == date(2025, 10, 3)
    assert items["assessment"].status(TODAY) == Status.OVERDUE
    # 19 December 2025: Christmas Day, Boxing Day and New Year's Day are not working days.
    assert items["adm_decision"].due_on == add_working_days(date(2025, 12, 19), 7) == date(2026, 1, 2)


def test_a_connected_person_is_extended_once_by_up_to_eight_weeks_before_the_sixteen_weeks_end():
    journey = CARER_DEFINITIONS[CarerKind.CONNECTED_PERSON].journey()
    start = date(2026, 3, 2)
    p = replay(
        journey,
        entries(
            ("temporary_approval", start),
            ("extension", date(2026, 6, 1)),
            details={"extension": {"extension_weeks": 8}},
        ),
        TODAY,
    )
    assert journey.stage_of(p) == "extended"
    (item,) = carer_timescales(CarerKind.CONNECTED_PERSON, p)
    assert item.due_on == start + timedelta(weeks=24)
    assert [s.kind for s in journey.allowed_from("extended")] == ["assessment_completed", CLOSED]  # no second extension
    with pytest.raises(StepRefused, match="1 to 8 weeks"):
        replay(
            journey,
            entries(
                ("temporary_approval", start),
                ("extension", date(2026, 6, 1)),
                details={"extension": {"extension_weeks": 9}},
            ),
            TODAY,
        )
    with pytest.raises(StepRefused, match="can only be extended before it ends"):
        replay(
            journey,
            entries(
                ("temporary_approval", start),
                ("extension", date(2026, 7, 1)),
                details={"extension": {"extension_weeks": 4}},
            ),
            TODAY,
        )


def test_a_special_guardians_report_is_due_when_the_court_said_or_twelve_weeks_after_the_direction():
    journey = CARER_DEFINITIONS[CarerKind.SPECIAL_GUARDIAN].journey()
    directed = date(2026, 6, 1)
    default = replay(journey, entries(("assessment", directed)), TODAY)
    assert carer_timescales(CarerKind.SPECIAL_GUARDIAN, default)[0].due_on == directed + timedelta(weeks=12)
    set_by_court = replay(
        journey, entries(("assessment", directed), details={"assessment": {"report_due_on": "2026-08-14"}}), TODAY
    )
    (item,) = carer_timescales(CarerKind.SPECIAL_GUARDIAN, set_by_court)
    assert (item.due_on, item.label) == (date(2026, 8, 14), "Report to court by the date the court set")
    done = replay(
        journey,
        entries(
            ("assessment", directed),
            ("report", date(2026, 8, 10)),
            ("order", date(2026, 9, 1)),
            ("support_plan", date(2026, 9, 1)),
        ),
        TODAY,
    )
    assert journey.stage_of(done) == "supported"
    assert carer_timescales(CarerKind.SPECIAL_GUARDIAN, done)[0].status(TODAY) == Status.MET


def test_plans_follow_their_kind_and_a_long_term_match_needs_family_finding_first():
    ltf = PLAN_DEFINITIONS[PlanKind.LONG_TERM_FOSTERING].journey()
    with pytest.raises(StepRefused, match="Fostering panel recommended the match cannot be recorded"):
        replay(
            ltf,
            entries(
                ("agreed", date(2026, 1, 5)), ("match_panel", date(2026, 2, 2)), details={"match_panel": {"carer": 1}}
            ),
            TODAY,
        )
    cp = PLAN_DEFINITIONS[PlanKind.CONNECTED_PERSONS].journey()
    p = replay(
        cp,
        entries(
            ("agreed", date(2026, 1, 5)),
            ("match_panel", date(2026, 2, 2)),
            ("matched", date(2026, 2, 9)),
            details={"match_panel": {"carer": 4}},
        ),
        TODAY,
    )
    assert (cp.stage_of(p), p["carer"]) == ("matched", 4)
    with pytest.raises(StepRefused, match="needs carer"):
        replay(cp, entries(("agreed", date(2026, 1, 5)), ("match_panel", date(2026, 2, 2))), TODAY)


def test_plan_timescales():
    ltf = PLAN_DEFINITIONS[PlanKind.LONG_TERM_FOSTERING].journey()
    p = replay(ltf, entries(("agreed", date(2026, 1, 5))), TODAY)
    items = {t.code: t for t in plan_timescales(PlanKind.LONG_TERM_FOSTERING, p)}
    assert items["family_finding"].due_on == add_working_days(date(2026, 1, 5), 10)
    assert items["match"].due_on == date(2026, 7, 5)
    sgo = PLAN_DEFINITIONS[PlanKind.SPECIAL_GUARDIANSHIP].journey()
    p = replay(
        sgo,
        entries(
            ("agreed", date(2026, 1, 5)),
            ("assessment", date(2026, 1, 12)),
            ("order", date(2026, 5, 1)),
            details={"assessment": {"carer": 2}},
        ),
        TODAY,
    )
    (order,) = plan_timescales(PlanKind.SPECIAL_GUARDIANSHIP, p)
    assert (order.due_on, order.status(TODAY)) == (date(2026, 1, 5) + timedelta(weeks=26), Status.MET)


@given(start=st.dates(date(2015, 1, 1), date(2030, 1, 1)), offset=st.integers(-400, 400))
def test_a_function_is_active_exactly_from_its_date(start, offset):
    day = start + timedelta(days=offset)
    switches = {phases.Function.SPECIAL_GUARDIANSHIP: start}
    assert phases.is_active(switches, phases.Function.SPECIAL_GUARDIANSHIP, day) == (offset >= 0)
    assert (phases.refusal(switches, phases.Function.SPECIAL_GUARDIANSHIP, day) is None) == (offset >= 0)
    assert not phases.is_active(switches, phases.Function.LONG_TERM_FOSTERING, day)


def test_the_refusal_says_what_the_agency_runs_and_from_when():
    switches = {"connected_persons": date(2021, 4, 1), "long_term_fostering": None}
    assert phases.refusal(switches, "connected_persons", date(2021, 3, 31)) == (
        "The agency runs connected persons (family and friends) fostering from 1 April 2021, so nothing can be "
        "recorded for it on 31 March 2021"
    )
    assert "does not run long-term fostering" in phases.refusal(switches, "long_term_fostering", TODAY)
