"""Adoption support rules without a database: the case's state machine (random walks never reach
an inconsistent case; refused steps say why), its timescales in working days, the councils' support
budgets to the penny, and the national return's counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.common.machine import Entry, StepRefused, replay
from openraa.common.timescales import Status
from openraa.common.workdays import is_working_day, working_days_between
from openraa.common.years import FinancialYear
from openraa.support import budget, counts, domain, timescales
from openraa.support.domain import JOURNEY, Stage

TODAY = date(2026, 11, 25)
DETAILS = {"assessment_outcome": "needed", "closed_reason": "support_ended"}


def entries(*steps):
    return [Entry(seq, kind, day, details or {}) for seq, (kind, day, details) in enumerate(steps, start=1)]


def test_the_journey_from_request_to_closure():
    history = entries(
        ("request_received", date(2025, 1, 6), None),
        ("assessment_started", date(2025, 1, 13), None),
        ("assessment_completed", date(2025, 3, 3), {"assessment_outcome": "needed"}),
        ("plan_agreed", date(2025, 3, 17), None),
        ("services_commissioned", date(2025, 3, 24), None),
        ("reviewed", date(2026, 3, 2), None),
        ("closed", date(2026, 6, 1), {"closed_reason": "support_ended"}),
    )
    for n, stage in enumerate(
        [
            Stage.RECEIVED,
            Stage.ASSESSING,
            Stage.NEEDED,
            Stage.PLAN_AGREED,
            Stage.SUPPORTED,
            Stage.SUPPORTED,
            Stage.CLOSED,
        ],
        start=1,
    ):
        assert domain.stage_of(replay(JOURNEY, history[:n], TODAY)) == stage


def test_a_plan_cannot_follow_an_assessment_that_found_no_need_and_the_refusal_says_why():
    history = entries(
        ("request_received", date(2025, 1, 6), None),
        ("assessment_started", date(2025, 1, 13), None),
        ("assessment_completed", date(2025, 3, 3), {"assessment_outcome": "not_needed"}),
        ("plan_agreed", date(2025, 3, 17), None),
    )
    with pytest.raises(StepRefused) as refused:
        replay(JOURNEY, history, TODAY)
    message = str(refused.value)
    assert "Support plan agreed cannot be recorded on 17 March 2025" in message
    assert "'Assessed: support not needed'" in message and "case closed" in message


def test_a_completed_assessment_needs_its_outcome_and_closing_needs_a_reason():
    history = entries(
        ("request_received", date(2025, 1, 6), None),
        ("assessment_started", date(2025, 1, 13), None),
        ("assessment_completed", date(2025, 3, 3), None),
    )
    with pytest.raises(StepRefused) as refused:
        replay(JOURNEY, history, TODAY)
    assert refused.value.field == "assessment_outcome"
    with pytest.raises(StepRefused) as refused:
        replay(
            JOURNEY, entries(("request_received", date(2025, 1, 6), None), ("closed", date(2025, 2, 1), None)), TODAY
        )
    assert refused.value.field == "closed_reason"


def test_a_step_dated_before_the_step_it_follows_is_refused():
    history = entries(("request_received", date(2025, 1, 6), None), ("assessment_started", date(2024, 12, 1), None))
    with pytest.raises(StepRefused, match="Assessment of need started cannot be recorded on 1 December 2024"):
        replay(JOURNEY, history, TODAY)


def walk(choices, gaps, start):
    history, when = [], start
    projection = replay(JOURNEY, [], TODAY)
    for choice, gap in zip(choices, gaps):
        allowed = JOURNEY.allowed_from(JOURNEY.stage_of(projection))
        if not allowed:
            break
        step = allowed[choice % len(allowed)]
        when = min(when + timedelta(days=gap), TODAY)
        details = {k: DETAILS[k] for k in step.details}
        if "assessment_outcome" in details and choice % 2:
            details["assessment_outcome"] = "not_needed"  # both outcomes are walked
        candidate = Entry(len(history) + 1, step.kind, when, details)
        projection = replay(JOURNEY, [*history, candidate], TODAY)  # an allowed step in date order is never refused
        history.append(candidate)
        yield step, projection, history


ORDER = ("received_on", "assessment_started_on", "assessment_completed_on", "plan_agreed_on", "commissioned_on")


@settings(max_examples=300)
@given(
    choices=st.lists(st.integers(0, 20), min_size=1, max_size=20),
    gaps=st.lists(st.integers(0, 400), min_size=20, max_size=20),
)
def test_no_sequence_of_allowed_steps_reaches_an_inconsistent_case(choices, gaps):
    for step, projection, history in walk(choices, gaps, date(2023, 4, 3)):
        stage = domain.stage_of(projection)
        dates = [projection[name] for name in ORDER if projection[name]]
        assert dates == sorted(dates)
        assert [name for name in ORDER if projection[name]] == list(ORDER[: len(dates)])  # no step skipped
        if projection["plan_agreed_on"]:
            assert projection["assessment_outcome"] == "needed"
        if projection["last_review_on"]:
            assert projection["last_review_on"] >= projection["plan_agreed_on"]
        if step.kind == "closed":
            assert stage == Stage.CLOSED and projection["closed_reason"]
        assert stage == Stage.CLOSED or projection["closed_on"] is None
        # The same history recorded in another order gives the same case.
        assert replay(JOURNEY, list(reversed(history)), TODAY) == projection


def test_timescales_count_working_days_over_bank_holidays():
    # Received on Friday 19 December 2025: Christmas, Boxing Day and New Year's Day are not counted.
    received = date(2025, 12, 19)
    p = replay(JOURNEY, entries(("request_received", received, None)), TODAY)
    started = timescales.case_timescales(p)[0]
    assert started.due_on == date(2026, 1, 7)
    assert working_days_between(received, started.due_on) == 10 and is_working_day(started.due_on)
    assert timescales.case_timescales(p)[1].due_on == date(2026, 3, 19)
    assert [t.code for t in timescales.overdue(p, date(2026, 1, 8))] == ["assessment_started"]
    assert timescales.overdue(p, date(2026, 1, 7)) == []


def test_a_plan_is_due_within_20_working_days_and_reviewed_every_year_while_open():
    history = entries(
        ("request_received", date(2025, 1, 6), None),
        ("assessment_started", date(2025, 1, 13), None),
        ("assessment_completed", date(2025, 3, 3), {"assessment_outcome": "needed"}),
        ("plan_agreed", date(2025, 4, 1), None),
    )
    p = replay(JOURNEY, history, TODAY)
    by_code = {t.code: t for t in timescales.case_timescales(p)}
    assert by_code["plan_agreed"].due_on == date(2025, 3, 31) and by_code["plan_agreed"].status(TODAY) == Status.MISSED
    assert by_code["assessment_completed"].status(TODAY) == Status.MET
    assert by_code["review"].due_on == date(2026, 4, 1)
    assert [t.code for t in timescales.overdue(p, TODAY)] == ["review"]
    reviewed = replay(JOURNEY, [*history, Entry(5, "reviewed", date(2026, 3, 30))], TODAY)
    assert timescales.overdue(reviewed, TODAY) == []
    closed = replay(
        JOURNEY, [*history, Entry(9, "closed", date(2025, 9, 1), {"closed_reason": "support_ended"})], TODAY
    )
    assert timescales.overdue(closed, TODAY) == []


def test_an_agency_can_set_its_own_targets():
    p = replay(JOURNEY, entries(("request_received", date(2025, 1, 6), None)), TODAY)
    targets = timescales.SupportTargets(assessment_start_working_days=5, assessment_complete_months=2)
    first, second = timescales.case_timescales(p, targets)
    assert first.due_on == date(2025, 1, 13) and second.due_on == date(2025, 3, 6)


def test_birth_relatives_may_ask_only_for_what_the_law_allows():
    assert domain.request_errors("birth_relative", ["contact", "other"]) == {}
    assert "financial support" in domain.request_errors("birth_relative", ["contact", "financial"])["categories"]
    assert domain.request_errors("adoptive_family", ["financial", "therapeutic"]) == {}
    assert domain.request_errors("adoptive_family", []) == {
        "categories": "Choose at least one kind of support asked for"
    }
    assert "requester" in domain.request_errors("neighbour", ["contact"])


# -- Budgets ------------------------------------------------------------------------------------------

pennies = st.integers(1, 5_000_000).map(lambda p: Decimal(p) / 100)
services = st.lists(
    st.builds(
        budget.ServiceCost,
        case_council=st.sampled_from(["K", "L", "W"]),
        funded_by=st.sampled_from(list(budget.FUNDERS)),
        cost=pennies,
        starts_on=st.dates(date(2023, 1, 1), date(2027, 12, 31)),
    ),
    max_size=40,
)


@settings(max_examples=300)
@given(
    services=services,
    year=st.integers(2023, 2026).map(FinancialYear),
    budgets=st.dictionaries(st.sampled_from(["K", "L", "W", "S"]), pennies),
)
def test_commitments_add_up_to_the_penny_and_no_council_pays_for_another_councils_case(services, year, budgets):
    lines = budget.positions(year, budgets, services)
    in_year = [s for s in services if s.funded_by == budget.COUNCIL_BUDGET and s.starts_on in year]
    assert sum((p.committed for p in lines), Decimal(0)) == sum((s.cost for s in in_year), Decimal(0))
    for line in lines:
        assert line.committed == sum((s.cost for s in in_year if s.case_council == line.council), Decimal(0))
        assert line.budget == budgets.get(line.council, Decimal("0.00"))
        assert line.remaining == line.budget - line.committed
        assert line.committed.as_tuple().exponent >= -2
    assert {p.council for p in lines} == set(budgets) | {s.case_council for s in in_year}


def test_a_commitment_without_a_budget_shows_the_council_overcommitted():
    [line] = budget.positions(
        FinancialYear(2025), {}, [budget.ServiceCost("K", budget.COUNCIL_BUDGET, Decimal("10.00"), date(2025, 4, 1))]
    )
    assert line.overcommitted and line.remaining == Decimal("-10.00")
    assert (
        budget.positions(
            FinancialYear(2025), {}, [budget.ServiceCost("K", budget.SUPPORT_FUND, Decimal("10.00"), date(2025, 4, 1))]
        )
        == []
    )


# -- Counts for the national return -------------------------------------------------------------------


def test_counts_for_a_period_by_council():
    start, end = date(2025, 4, 1), date(2026, 3, 31)
    facts = [
        counts.CaseFacts("K", date(2025, 5, 1), date(2025, 7, 1), date(2025, 7, 20)),  # in time (due 1 Aug)
        counts.CaseFacts("K", date(2025, 5, 1), date(2025, 9, 1), None, date(2025, 10, 1)),  # late, closed
        counts.CaseFacts("L", date(2025, 2, 1), date(2025, 4, 20), None, None),  # received before the period
        counts.CaseFacts("L", date(2026, 4, 2)),  # after the period
    ]
    result = counts.counts(facts, start, end, councils=["K", "L", "W"])
    k, l_, w = (result.by_council[c] for c in "KLW")
    assert (k.requests_received, k.assessments_completed, k.assessments_in_time, k.plans_agreed, k.open_at_end) == (
        2,
        2,
        1,
        1,
        1,
    )
    assert (l_.requests_received, l_.assessments_completed, l_.assessments_in_time, l_.open_at_end) == (0, 1, 1, 1)
    assert w == counts.Counts()
    assert result.total.requests_received == 2 and result.total.open_at_end == 2


@given(
    st.lists(
        st.builds(
            counts.CaseFacts,
            council=st.sampled_from("KL"),
            received_on=st.dates(date(2024, 1, 1), date(2026, 1, 1)),
            assessment_completed_on=st.none() | st.dates(date(2024, 1, 1), date(2026, 6, 1)),
        ),
        max_size=30,
    )
)
def test_the_councils_add_up_to_the_total(facts):
    result = counts.counts(facts, date(2025, 4, 1), date(2026, 3, 31))
    for name in counts.Counts.FIELDS:
        assert sum(getattr(c, name) for c in result.by_council.values()) == getattr(result.total, name)
    assert result.total.assessments_in_time <= result.total.assessments_completed
