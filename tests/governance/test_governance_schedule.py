"""Governance dates, without a database: agreement expiry with extensions, review reminders, the
next meeting, complaint timescales in working days."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from openraa.common.workdays import is_working_day, working_days_between
from openraa.governance import schedule
from openraa.governance.schedule import AgreementStatus, ComplaintStage, Extension, Frequency, ReviewStatus

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def test_aims_agreement_expired_at_the_end_of_its_term_and_the_extension_moved_it():
    assert schedule.original_expiry(date(2018, 4, 1), 3) == date(2021, 3, 31)
    extended = [Extension(decided_on=date(2021, 11, 4), new_expiry=date(2022, 3, 31))]
    assert schedule.current_expiry(date(2018, 4, 1), 3, []) == date(2021, 3, 31)
    assert schedule.current_expiry(date(2018, 4, 1), 3, extended) == date(2022, 3, 31)


def test_the_latest_extension_decided_wins_whatever_order_they_were_typed_in():
    extensions = [Extension(date(2022, 1, 10), date(2023, 3, 31)), Extension(date(2021, 2, 15), date(2022, 3, 31))]
    assert schedule.current_expiry(date(2018, 4, 1), 3, extensions) == date(2023, 3, 31)


def test_of_two_extensions_decided_the_same_day_the_one_recorded_later_wins():
    extensions = [Extension(date(2021, 2, 15), date(2022, 3, 31)), Extension(date(2021, 2, 15), date(2021, 9, 30))]
    assert schedule.current_expiry(date(2018, 4, 1), 3, extensions) == date(2021, 9, 30)


@given(days, st.integers(min_value=1, max_value=25))
def test_a_term_ends_the_day_before_the_anniversary(starts_on, years):
    expiry = schedule.original_expiry(starts_on, years)
    assert expiry > starts_on
    if starts_on.month != 2 or starts_on.day != 29:
        assert expiry + timedelta(days=1) == starts_on.replace(year=starts_on.year + years)


def test_agreement_status_across_the_reminder_window():
    expires = date(2026, 3, 31)
    assert schedule.agreement_status(expires, date(2025, 9, 1), 180) == AgreementStatus.IN_FORCE
    assert schedule.agreement_status(expires, date(2025, 10, 2), 180) == AgreementStatus.EXPIRING_SOON
    assert schedule.agreement_status(expires, date(2026, 3, 31), 180) == AgreementStatus.EXPIRING_SOON
    assert schedule.agreement_status(expires, date(2026, 4, 1), 180) == AgreementStatus.EXPIRED
    assert (
        schedule.agreement_status(expires, date(2026, 4, 1), 180, ended_on=date(2026, 3, 31)) == AgreementStatus.ENDED
    )


@given(days, days, st.integers(min_value=0, max_value=730))
def test_review_status_is_overdue_due_or_current_by_the_lead_time(due, today, lead):
    status = schedule.review_status(due, today, lead)
    if today > due:
        assert status == ReviewStatus.OVERDUE
    elif (due - today).days <= lead:
        assert status == ReviewStatus.DUE
    else:
        assert status == ReviewStatus.CURRENT


def test_next_meeting_due_by_frequency():
    last = date(2025, 1, 31)
    assert schedule.next_meeting_due(Frequency.MONTHLY, date(2020, 1, 1), last) == date(2025, 2, 28)
    assert schedule.next_meeting_due(Frequency.SIX_WEEKLY, date(2020, 1, 1), last) == date(2025, 3, 14)
    assert schedule.next_meeting_due(Frequency.BI_MONTHLY, date(2020, 1, 1), last) == date(2025, 3, 31)
    assert schedule.next_meeting_due(Frequency.QUARTERLY, date(2020, 1, 1), last) == date(2025, 4, 30)
    assert schedule.next_meeting_due(Frequency.HALF_YEARLY, date(2020, 1, 1), last) == date(2025, 7, 31)
    assert schedule.next_meeting_due(Frequency.QUARTERLY, date(2020, 1, 1), None) == date(2020, 1, 1)


@given(st.sampled_from(list(Frequency)), days)
def test_the_next_meeting_is_always_after_the_last(frequency, last):
    assert schedule.next_meeting_due(frequency, date(2000, 1, 1), last) > last


def test_an_action_is_overdue_only_when_not_done_after_its_due_day():
    assert schedule.action_overdue(date(2025, 6, 1), None, date(2025, 6, 2))
    assert not schedule.action_overdue(date(2025, 6, 1), None, date(2025, 6, 1))
    assert not schedule.action_overdue(date(2025, 6, 1), date(2025, 6, 5), date(2025, 7, 1))


def test_stage_1_is_due_in_10_working_days_over_the_easter_bank_holidays():
    # Received Thursday 17 April 2025: Good Friday and Easter Monday do not count.
    assert schedule.stage_due_on(ComplaintStage.STAGE_1, date(2025, 4, 17)) == date(2025, 5, 6)
    assert schedule.stage_due_on(ComplaintStage.STAGE_1, date(2025, 4, 17), extended=True) == date(2025, 5, 20)


def test_each_stage_has_its_statutory_working_days():
    start = date(2025, 6, 2)
    for stage, extended, expected in (
        (ComplaintStage.STAGE_1, False, 10),
        (ComplaintStage.STAGE_1, True, 20),
        (ComplaintStage.STAGE_2, False, 25),
        (ComplaintStage.STAGE_2, True, 65),
        (ComplaintStage.STAGE_3, False, 30),
        (ComplaintStage.STAGE_3, True, 30),
    ):
        assert working_days_between(start, schedule.stage_due_on(stage, start, extended)) == expected
    assert schedule.stage_due_on(ComplaintStage.OMBUDSMAN, start) is None


@given(st.sampled_from([ComplaintStage.STAGE_1, ComplaintStage.STAGE_2, ComplaintStage.STAGE_3]), days, st.booleans())
def test_a_response_is_due_on_a_working_day_after_the_start(stage, started_on, extended):
    due = schedule.stage_due_on(stage, started_on, extended)
    assert due > started_on and is_working_day(due)
    assert not schedule.stage_overdue(stage, started_on, extended, None, due)
    assert schedule.stage_overdue(stage, started_on, extended, None, due + timedelta(days=1))
    assert not schedule.stage_overdue(stage, started_on, extended, due + timedelta(days=9), due + timedelta(days=10))
    assert schedule.answered_late(stage, started_on, extended, due + timedelta(days=1))
    assert not schedule.answered_late(stage, started_on, extended, due)


def test_complaints_escalate_one_stage_at_a_time_up_to_the_ombudsman():
    assert schedule.next_stage(ComplaintStage.STAGE_1) == ComplaintStage.STAGE_2
    assert schedule.next_stage(ComplaintStage.STAGE_3) == ComplaintStage.OMBUDSMAN
    assert schedule.next_stage(ComplaintStage.OMBUDSMAN) is None
