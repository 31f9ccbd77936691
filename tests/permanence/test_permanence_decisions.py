"""Wider permanence targets per agency and the decision maker's decisions: practice targets move due
dates and the overdue list, statutory limits never move; a carer's approval and a plan's match are
recorded only by the agency decision maker (ADM), the court's order by the worker."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from openraa.common.workdays import add_months, add_working_days
from openraa.permanence import services
from openraa.permanence.definitions import CarerKind, PlanKind
from openraa.permanence.models import PermanenceTargets, permanence_targets_for
from openraa.permanence.timescales import Targets, carer_timescales, plan_timescales
from tests import builders
from tests.permanence.matrix_permanence import FOSTER_APPROVAL, LONG_TERM_MATCH, carer, run_functions

AWAITING_DECISION = FOSTER_APPROVAL[:4]


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _targets(**changed):
    defaults = {
        "court_report_weeks": 12,
        "family_finding_working_days": 10,
        "long_term_match_months": 6,
        "connected_match_weeks": 16,
        "due_soon_days": 14,
    }
    return {**defaults, **{name: str(value) for name, value in changed.items()}}


@given(
    st.builds(Targets, **{name: st.integers(1, 60) for name in Targets.__dataclass_fields__}),
    st.dates(date(2019, 1, 1), date(2030, 12, 31)),
)
def test_practice_targets_move_their_due_dates_and_never_the_statutory_limits(targets, agreed):
    plan = {"agreed_on": agreed, "closed_on": None, "family_finding_on": None, "matched_on": None, "order_on": None}
    finding, match = plan_timescales(PlanKind.LONG_TERM_FOSTERING, plan, targets)
    assert finding.due_on == add_working_days(agreed, targets.family_finding_working_days)
    assert match.due_on == add_months(agreed, targets.long_term_match_months)
    (connected,) = plan_timescales(PlanKind.CONNECTED_PERSONS, plan, targets)
    assert connected.due_on == agreed + timedelta(weeks=targets.connected_match_weeks)
    (order,) = plan_timescales(PlanKind.SPECIAL_GUARDIANSHIP, plan, targets)
    assert order.due_on == agreed + timedelta(weeks=26)
    foster = {"application_on": agreed, "panel_on": agreed, "approved_on": None, "closed_on": None}
    assessment, decision = carer_timescales(CarerKind.FOSTER_CARER, foster, targets)
    assert (assessment.due_on, decision.due_on) == (add_months(agreed, 8), add_working_days(agreed, 7))
    temporary = {
        "temporary_approval_on": agreed,
        "extension_on": None,
        "extension_weeks": None,
        "approved_on": None,
        "closed_on": None,
        "panel_on": None,
    }
    assert carer_timescales(CarerKind.CONNECTED_PERSON, temporary, targets)[0].due_on == agreed + timedelta(weeks=16)


@pytest.mark.django_db
def test_an_administrator_sets_practice_targets_that_move_the_overdue_list(aim, client_for):
    run_functions(aim)
    plan = services.add_plan(
        builders.child(aim), "connected_persons", timezone.localdate() - timedelta(weeks=20), by=None
    )
    admin = builders.user("administrator", aim, "Knowsley")
    client = client_for(admin)
    overview = client.get("/permanence/").content.decode()
    assert 'href="/permanence/targets/"' in overview and "Matched within 16 weeks of the plan" in overview
    page = client.get("/permanence/targets/").content.decode()
    assert "regulation 24" in page and "No agency can change them" in page
    assert client.post("/permanence/targets/", _targets(connected_match_weeks=26)).status_code == 302
    saved = PermanenceTargets.objects.get(agency=aim)
    assert (permanence_targets_for(aim).connected_match_weeks, saved.history.first().history_user) == (26, admin)
    overview = client.get("/permanence/").content.decode()
    assert "Nothing is overdue" in overview
    assert "Matched within 26 weeks of the plan" in client.get(f"/permanence/plans/{plan.pk}/").content.decode()
    assert permanence_targets_for(builders.agency("bkm", councils=("Sefton",), host="Sefton")) == Targets()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "61", "ten", ""])
def test_a_target_out_of_range_is_refused_and_changes_nothing(aim, client_for, value):
    client = client_for(builders.user("administrator", aim, "Knowsley"))
    client.post("/permanence/targets/", _targets(family_finding_working_days=15))
    response = client.post(
        "/permanence/targets/", {**_targets(), "family_finding_working_days": value, "connected_match_weeks": "30"}
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert (
        permanence_targets_for(aim).family_finding_working_days,
        permanence_targets_for(aim).connected_match_weeks,
    ) == (15, 16)


@pytest.mark.django_db
def test_only_an_administrator_sets_the_targets(aim, client_for):
    finder = client_for(builders.user("family_finder", aim, "Knowsley"))
    assert finder.get("/permanence/targets/").status_code == 403
    assert finder.post("/permanence/targets/", _targets(due_soon_days=30)).status_code == 403
    assert 'href="/permanence/targets/"' not in finder.get("/permanence/").content.decode()
    assert not PermanenceTargets.objects.exists()


@pytest.mark.django_db
def test_a_family_finder_cannot_record_the_approval_and_the_decision_maker_can(aim, client_for):
    run_functions(aim)
    record = carer(aim, steps=AWAITING_DECISION)
    finder = builders.user("family_finder", aim, "Knowsley")
    client = client_for(finder)
    form = client.get(f"/permanence/carers/{record.pk}/steps/new/").content.decode()
    assert 'value="approved"' not in form and 'value="closed"' in form
    assert "Approved (ADM decision) is the agency decision maker&#x27;s decision" in form
    refused = client.post(
        f"/permanence/carers/{record.pk}/steps/new/", {"kind": "approved", **_date("occurred_on", date(2024, 8, 12))}
    ).content.decode()
    assert "There is a problem" in refused and "only a decision maker (ADM) can record it" in refused
    with pytest.raises(ValidationError, match="only a decision maker"):
        services.record_carer_step(record, "approved", date(2024, 8, 12), by=finder)
    assert client.get(f"/permanence/carers/{record.pk}/decision/").status_code == 403
    record.refresh_from_db()
    assert (record.stage, record.steps.count()) == ("awaiting_decision", 4)

    adm = builders.user("adm", aim, "Liverpool")
    decider = client_for(adm)
    detail = decider.get(f"/permanence/carers/{record.pk}/").content.decode()
    assert f'href="/permanence/carers/{record.pk}/decision/"' in detail
    assert decider.get(f"/permanence/carers/{record.pk}/steps/new/").status_code == 403
    decision = decider.get(f"/permanence/carers/{record.pk}/decision/").content.decode()
    assert "Record the decision" in decision and 'value="approved"' in decision and 'value="closed"' not in decision
    too_early = decider.post(
        f"/permanence/carers/{record.pk}/decision/", {"kind": "approved", **_date("occurred_on", date(2024, 8, 1))}
    )
    assert "There is a problem" in too_early.content.decode() and record.steps.count() == 4
    response = decider.post(
        f"/permanence/carers/{record.pk}/decision/", {"kind": "approved", **_date("occurred_on", date(2024, 8, 12))}
    )
    assert response.url == f"/permanence/carers/{record.pk}/"
    record.refresh_from_db()
    assert (record.stage, record.approved_on, record.steps.last().recorded_by) == ("approved", date(2024, 8, 12), adm)
    assert "No decision is waiting" in decider.get(f"/permanence/carers/{record.pk}/decision/").content.decode()
    approval = record.steps.get(kind="approved")
    correction = f"/permanence/carers/{record.pk}/steps/{approval.pk}/correct/"
    client = client_for(finder)  # the one test client, signed in as the finder again
    assert "only a decision maker (ADM) can record it" in client.get(correction).content.decode()
    client.post(correction, {"action": "withdraw", "note": "Recorded by mistake"})
    record.refresh_from_db()
    assert (record.stage, record.steps.count()) == ("approved", 5)


@pytest.mark.django_db
def test_a_match_is_the_decision_makers_and_a_special_guardianship_order_the_courts(aim, client_for):
    run_functions(aim)
    foster = carer(aim)
    finder = builders.user("family_finder", aim, "Knowsley")
    plan = services.add_plan(builders.child(aim), "long_term_fostering", date(2026, 1, 5), by=finder)
    services.record_plan_step(plan, "family_finding", date(2026, 1, 9), by=finder)
    services.record_plan_step(plan, "match_panel", date(2026, 3, 2), by=finder, details={"carer": foster})
    refused = client_for(finder).post(
        f"/permanence/plans/{plan.pk}/steps/new/", {"kind": "matched", **_date("occurred_on", date(2026, 3, 5))}
    )
    assert "Match agreed (ADM decision) is the agency decision maker" in refused.content.decode()
    decider = client_for(builders.user("adm", aim, "Knowsley"))
    response = decider.post(
        f"/permanence/plans/{plan.pk}/decision/", {"kind": "matched", **_date("occurred_on", date(2026, 3, 5))}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.stage == "matched"
    assert decider.get(f"/permanence/plans/{plan.pk}/steps/new/").status_code == 403

    sgo = services.add_plan(builders.child(aim), "special_guardianship", date(2026, 1, 5), by=finder)
    guardian = carer(aim, kind="special_guardian", steps=())
    services.record_plan_step(sgo, "assessment", date(2026, 1, 12), by=finder, details={"carer": guardian})
    services.record_plan_step(sgo, "order", date(2026, 4, 1), by=finder)
    sgo.refresh_from_db()
    assert sgo.stage == "order_made"
    assert f"/permanence/plans/{sgo.pk}/decision/" not in decider.get(f"/permanence/plans/{sgo.pk}/").content.decode()


def _matched_plan(agency, foster):
    plan = services.add_plan(builders.child(agency), "long_term_fostering", date(2025, 1, 6), by=None)
    for step, day in LONG_TERM_MATCH:
        services.record_plan_step(
            plan, step, day, by=None, details={"carer": foster} if step == "match_panel" else None
        )
    plan.refresh_from_db()
    return plan


@pytest.mark.django_db
def test_the_decision_maker_corrects_the_date_of_an_approval_and_the_journey_keeps_both(aim, client_for):
    run_functions(aim)
    record = carer(aim)
    adm = builders.user("adm", aim, "Liverpool")
    client = client_for(adm)
    detail = client.get(f"/permanence/carers/{record.pk}/").content.decode()
    assert "Record the decision" not in detail
    assert f'href="/permanence/carers/{record.pk}/decision/">Correct or withdraw a decision' in detail
    approval = record.steps.get(kind="approved")
    correction = f"/permanence/carers/{record.pk}/decision/{approval.pk}/correct/"
    decision = client.get(f"/permanence/carers/{record.pk}/decision/").content.decode()
    assert "No decision is waiting" in decision and f'href="{correction}"' in decision
    assert (
        'Correct or withdraw<span class="govuk-visually-hidden"> Approved (ADM decision) of 12 August 2024' in decision
    )
    assert client.get(correction).status_code == 200

    response = client.post(
        correction,
        {
            "action": "correct",
            **_date("occurred_on", date(2024, 8, 14)),
            "note": "The decision letter is dated the 14th",
        },
    )
    assert response.url == f"/permanence/carers/{record.pk}/"
    record.refresh_from_db()
    corrected = record.steps.get(supersedes=approval)
    assert (record.approved_on, record.stage, record.steps.count()) == (date(2024, 8, 14), "approved", 6)
    assert (corrected.kind, corrected.occurred_on, corrected.recorded_by) == ("approved", date(2024, 8, 14), adm)
    assert record.steps.get(pk=approval.pk).occurred_on == date(2024, 8, 12)  # kept, superseded
    assert record.history.first().history_user == adm
    decision = client.get(f"/permanence/carers/{record.pk}/decision/").content.decode()
    assert f"/decision/{corrected.pk}/correct/" in decision and f"/decision/{approval.pk}/correct/" not in decision
    assert client.get(correction).status_code == 404  # a superseded entry is corrected through its successor


@pytest.mark.django_db
def test_the_decision_maker_withdraws_a_match_and_the_plan_waits_for_the_decision_again(aim, client_for):
    run_functions(aim)
    plan = _matched_plan(aim, carer(aim))
    client = client_for(builders.user("adm", aim, "Knowsley"))
    match = plan.steps.get(kind="matched")
    correction = f"/permanence/plans/{plan.pk}/decision/{match.pk}/correct/"
    assert f'href="{correction}"' in client.get(f"/permanence/plans/{plan.pk}/decision/").content.decode()
    response = client.post(correction, {"action": "withdraw", "note": "Recorded against the wrong plan"})
    assert response.url == f"/permanence/plans/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.stage, plan.steps.count(), plan.steps.last().kind) == ("match_recommended", 5, "withdrawn")
    detail = client.get(f"/permanence/plans/{plan.pk}/").content.decode()
    assert "Record the decision" in detail and "Correct or withdraw a decision" not in detail


@pytest.mark.django_db
def test_a_mistaken_correction_form_is_refused_and_changes_nothing(aim, client_for):
    run_functions(aim)
    record = carer(aim)
    approval = record.steps.get(kind="approved")
    client = client_for(builders.user("adm", aim, "Knowsley"))
    response = client.post(
        f"/permanence/carers/{record.pk}/decision/{approval.pk}/correct/",
        {"action": "correct", "note": "No date given"},
    )
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert "Enter the correct date" in response.content.decode() and record.steps.count() == 5


@pytest.mark.django_db
def test_only_the_decision_maker_corrects_a_decision_and_only_decisions_through_that_page(aim, client_for):
    run_functions(aim)
    record = carer(aim)
    plan = _matched_plan(aim, record)
    approval = record.steps.get(kind="approved")
    finder = client_for(builders.user("family_finder", aim, "Knowsley"))
    url = f"/permanence/carers/{record.pk}/decision/{approval.pk}/correct/"
    assert finder.get(url).status_code == 403
    assert finder.post(url, {"action": "withdraw", "note": "Not mine to withdraw"}).status_code == 403
    assert "Correct or withdraw a decision" not in finder.get(f"/permanence/carers/{record.pk}/").content.decode()
    assert record.steps.count() == 5

    adm = client_for(builders.user("adm", aim, "Knowsley"))
    panel = record.steps.get(kind="panel")
    assert adm.get(f"/permanence/carers/{record.pk}/decision/{panel.pk}/correct/").status_code == 404
    assert (
        adm.post(
            f"/permanence/carers/{record.pk}/decision/{panel.pk}/correct/",
            {"action": "withdraw", "note": "Not a decision"},
        ).status_code
        == 404
    )
    match_panel = plan.steps.get(kind="match_panel")
    assert adm.get(f"/permanence/plans/{plan.pk}/decision/{match_panel.pk}/correct/").status_code == 404
    match = plan.steps.get(kind="matched")
    assert adm.get(f"/permanence/carers/{record.pk}/decision/{match.pk}/correct/").status_code == 404  # another record
    assert (record.steps.count(), plan.steps.count()) == (5, 4)
