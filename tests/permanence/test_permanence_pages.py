"""Wider permanence pages and services: phase switches refuse work for a function the agency does
not run, carers and plans move only through their journeys, names stay restricted, and long-term
fostering shortlists come from the matching engine with its reasons."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from openraa.permanence import services
from openraa.permanence.models import Carer, CarerStep, PermanenceFunction, PermanencePlan, PlanStep
from tests import builders
from tests.permanence.matrix_permanence import carer, run_functions

pytestmark = pytest.mark.django_db


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def finder(aim):
    return builders.user("family_finder", aim, "Knowsley")


def test_the_menu_shows_permanence_only_once_the_agency_runs_a_function(aim, finder, client_for):
    client = client_for(finder)
    assert "/permanence/" not in client.get("/").content.decode()
    run_functions(aim, functions=["special_guardianship"])
    assert 'href="/permanence/"' in client.get("/").content.decode()
    page = client.get("/permanence/").content.decode()
    assert "Special guardianship" in page and "Not active" in page and "Nothing is overdue" in page


def test_an_administrator_sets_the_dates_and_nobody_else_may(aim, client_for):
    admin = client_for(builders.user("administrator", aim, "Knowsley"))
    data = {**_date("connected_persons_from", date(2021, 4, 1)), "connected_persons_note": "Phase 2"}
    response = admin.post("/permanence/functions/", data)
    assert response.status_code == 302
    switch = PermanenceFunction.objects.get(agency=aim, function="connected_persons")
    assert (switch.active_from, switch.note, switch.history.count()) == (date(2021, 4, 1), "Phase 2", 1)
    assert not PermanenceFunction.objects.get(agency=aim, function="long_term_fostering").active_from
    bad = admin.post(
        "/permanence/functions/",
        {"connected_persons_from_0": "31", "connected_persons_from_1": "2", "connected_persons_from_2": "2021"},
    )
    assert "Enter a real date" in bad.content.decode()
    assert PermanenceFunction.objects.get(agency=aim, function="connected_persons").active_from == date(2021, 4, 1)
    finder = client_for(builders.user("family_finder", aim, "Knowsley"))
    assert finder.get("/permanence/functions/").status_code == 403


def test_a_carer_cannot_be_added_for_a_function_the_agency_does_not_run(aim, finder, client_for):
    client = client_for(finder)
    page = client.get("/permanence/carers/new/").content.decode()
    assert "runs none of long-term fostering" in page
    response = client.post(
        "/permanence/carers/new/",
        {
            "kind": "foster_carer",
            "names": "A Carer",
            "home_council": builders.council("Knowsley").pk,
            "postcode_district": "L36",
        },
    )
    assert response.status_code == 200 and not Carer.objects.exists()
    with pytest.raises(ValidationError, match="does not run long-term fostering"):
        carer(aim)


def test_a_step_dated_before_the_function_started_is_refused_and_changes_nothing(aim, finder, client_for):
    run_functions(aim, since=date(2024, 4, 1), functions=["connected_persons"])
    record = carer(aim, kind="connected_person", steps=())
    client = client_for(finder)
    response = client.post(
        f"/permanence/carers/{record.pk}/steps/new/",
        {"kind": "temporary_approval", **_date("occurred_on", date(2024, 3, 1))},
    )
    page = response.content.decode()
    assert "There is a problem" in page and "runs connected persons" in page and "from 1 April 2024" in page
    assert not CarerStep.objects.exists()
    response = client.post(
        f"/permanence/carers/{record.pk}/steps/new/",
        {"kind": "temporary_approval", **_date("occurred_on", date(2024, 4, 2))},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.stage == "temporary"


def test_a_worker_adds_a_foster_carer_and_names_are_shown_only_to_those_who_may_see_them(aim, finder, client_for):
    run_functions(aim)
    client = client_for(finder)
    response = client.post(
        "/permanence/carers/new/",
        {
            "kind": "foster_carer",
            "names": "Jo and Kit Testcarer",
            "home_council": builders.council("Knowsley").pk,
            "postcode_district": "L36",
            "approved_children": "2",
            "age_min": "5",
            "age_max": "15",
            "religion": "",
            "ethnicities": ["WBRI"],
            "languages": ["en"],
            "can_trauma": "high",
            "can_autism": "none",
        },
    )
    record = Carer.objects.get()
    assert response.url == f"/permanence/carers/{record.pk}/"
    assert (record.capabilities, record.stage, record.history.first().history_user) == (
        {"trauma": "high"},
        "new",
        finder,
    )
    assert "Jo and Kit Testcarer" in client.get(response.url).content.decode()
    adviser = client_for(builders.user("panel_adviser", aim, "Knowsley"))
    page = adviser.get(response.url).content.decode()
    assert record.reference in page and "Testcarer" not in page
    assert "Testcarer" not in adviser.get("/permanence/carers/").content.decode()
    assert adviser.get(f"/permanence/carers/{record.pk}/steps/new/").status_code == 403


def test_bad_carer_input_gives_the_error_summary_and_saves_nothing(aim, finder, client_for):
    run_functions(aim)
    response = client_for(finder).post(
        "/permanence/carers/new/",
        {
            "kind": "foster_carer",
            "names": "",
            "home_council": builders.council("Knowsley").pk,
            "postcode_district": "l36",
            "approved_children": "2",
            "age_min": "9",
            "age_max": "4",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Enter a postcode district in capitals" in page
    assert "The oldest age cannot be below the youngest" in page
    assert not Carer.objects.exists()


def test_a_council_social_worker_keeps_plans_for_their_own_councils_children(aim, client_for):
    run_functions(aim)
    own, other = builders.child(aim, "Knowsley"), builders.child(aim, "Liverpool")
    worker = client_for(builders.user("social_worker", aim, "Knowsley"))
    assert worker.get(f"/permanence/children/{other.pk}/plans/new/").status_code == 404
    response = worker.post(
        f"/permanence/children/{own.pk}/plans/new/",
        {"kind": "special_guardianship", **_date("agreed_on", date(2026, 1, 5))},
    )
    plan = PermanencePlan.objects.get()
    assert response.url == f"/permanence/plans/{plan.pk}/"
    assert (plan.agency, plan.responsible_council, plan.stage) == (aim, own.responsible_council, "agreed")
    again = worker.post(
        f"/permanence/children/{own.pk}/plans/new/",
        {"kind": "special_guardianship", **_date("agreed_on", date(2026, 1, 6))},
    )
    assert "already has an open plan of this kind" in again.content.decode()
    assert PermanencePlan.objects.count() == 1


def test_a_plan_step_out_of_order_is_refused_with_the_reason(aim, finder, client_for):
    run_functions(aim)
    plan = services.add_plan(builders.child(aim), "long_term_fostering", date(2026, 1, 5), by=finder)
    foster = carer(aim)
    client = client_for(finder)
    response = client.post(
        f"/permanence/plans/{plan.pk}/steps/new/", {"kind": "family_finding", **_date("occurred_on", date(2026, 1, 2))}
    )
    assert "Family finding started cannot be recorded on 2 January 2026" in response.content.decode()
    assert PlanStep.objects.filter(plan=plan).count() == 1
    client.post(
        f"/permanence/plans/{plan.pk}/steps/new/", {"kind": "family_finding", **_date("occurred_on", date(2026, 1, 9))}
    )
    response = client.post(
        f"/permanence/plans/{plan.pk}/steps/new/",
        {"kind": "match_panel", "carer": foster.pk, **_date("occurred_on", date(2026, 3, 2))},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.stage, plan.carer) == ("match_recommended", foster)
    page = client.get(f"/permanence/plans/{plan.pk}/").content.decode()
    assert "Family finding within 10 working days of the plan" in page and foster.reference in page


def test_the_long_term_shortlist_is_the_engines_with_its_reasons(aim, finder, client_for):
    run_functions(aim)
    child = builders.child(aim, date_of_birth=date(2016, 5, 1), needs={"trauma": "medium"})
    plan = services.add_plan(child, "long_term_fostering", date(2026, 1, 5), by=finder)
    suitable = carer(aim, capabilities={"trauma": "high"})
    too_young_only = carer(aim, age_max=4, capabilities={"trauma": "high"})
    cannot_meet = carer(aim, capabilities={"trauma": "low"})
    in_assessment = carer(aim, steps=FOSTER_APPROVAL_HALF)
    guardian = carer(aim, kind="special_guardian", steps=())
    page = client_for(finder).get(f"/permanence/plans/{plan.pk}/shortlist/").content.decode()
    shortlist, excluded = page.split("Excluded carers")
    assert suitable.reference in shortlist and "meets 1 of 1 need" in shortlist
    assert too_young_only.reference in excluded and "approved for children aged 0 to 4; the child is" in excluded
    assert (
        cannot_meet.reference in excluded and "cannot meet experience of trauma or neglect at medium level" in excluded
    )
    for outside_the_pool in (in_assessment, guardian):
        assert outside_the_pool.reference not in page
    sgo = services.add_plan(builders.child(aim), "special_guardianship", date(2026, 1, 5), by=finder)
    assert client_for(finder).get(f"/permanence/plans/{sgo.pk}/shortlist/").status_code == 404


FOSTER_APPROVAL_HALF = (("enquiry", date(2024, 1, 8)), ("application", date(2024, 2, 5)))


def test_overdue_timescales_appear_on_the_overview(aim, finder, client_for):
    run_functions(aim)
    carer(aim, steps=FOSTER_APPROVAL_HALF)
    page = client_for(finder).get("/permanence/").content.decode()
    assert "Assessment decided within 8 months of application" in page and "5 Oct 2024" in page
    assert "Foster carer (long-term fostering): 1 in all" in page


def test_the_demo_loader_builds_histories_the_machines_accept(aim):
    import random

    from openraa.permanence.demo import load_permanence

    builders.household(aim)
    for _ in range(4):
        builders.child(aim)
    load_permanence(aim, random.Random(7))
    assert PermanenceFunction.objects.filter(agency=aim, active_from__isnull=False).count() == 4
    assert Carer.objects.filter(agency=aim).count() == 24
    assert PermanencePlan.objects.filter(agency=aim).exists()
    for record in [*Carer.objects.all(), *PermanencePlan.objects.all()]:
        projection = (services.carer_projection if isinstance(record, Carer) else services.plan_projection)(record)
        assert record.definition.stage_of(projection) == record.stage


def test_a_mistaken_entry_is_corrected_or_withdrawn_by_a_superseding_entry(aim, finder, client_for):
    run_functions(aim)
    record = carer(aim, steps=FOSTER_APPROVAL_HALF)
    application = record.steps.get(kind="application")
    client = client_for(finder)
    url = f"/permanence/carers/{record.pk}/steps/{application.pk}/correct/"
    assert f'href="{url}"' in client.get(f"/permanence/carers/{record.pk}/").content.decode()
    too_early = client.post(url, {"action": "correct", **_date("occurred_on", date(2024, 1, 1)), "note": "Typo"})
    assert "Application received (Stage 1 started) cannot be recorded on 1 January 2024" in too_early.content.decode()
    assert (
        client.post(url, {"action": "correct", **_date("occurred_on", date(2024, 2, 12)), "note": "Typo"}).status_code
        == 302
    )
    assert services.carer_projection(record)["application_on"] == date(2024, 2, 12)
    assert client.get(url).status_code == 404  # a superseded entry is corrected through its correction
    enquiry = record.steps.get(kind="enquiry")
    refused = client.post(
        f"/permanence/carers/{record.pk}/steps/{enquiry.pk}/correct/", {"action": "withdraw", "note": "Never enquired"}
    )
    assert "There is a problem" in refused.content.decode()  # the application cannot stand without it
    plan = services.add_plan(builders.child(aim), "long_term_fostering", date(2026, 1, 5), by=finder)
    agreed = plan.steps.get()
    client.post(
        f"/permanence/plans/{plan.pk}/steps/{agreed.pk}/correct/", {"action": "withdraw", "note": "Wrong child"}
    )
    plan.refresh_from_db()
    assert (plan.stage, plan.steps.count(), CarerStep.objects.filter(carer=record).count()) == ("new", 2, 3)
    page = client.get(f"/permanence/plans/{plan.pk}/").content.decode()
    assert "<del>Plan agreed (council decision)</del>" in page and "Wrong child" in page


def test_a_plan_is_started_from_the_childs_reference(aim, client_for):
    run_functions(aim)
    own, other = builders.child(aim, "Knowsley"), builders.child(aim, "Liverpool")
    worker = client_for(builders.user("social_worker", aim, "Knowsley"))
    assert (
        worker.get(f"/permanence/plans/?child={own.reference.lower()}").url
        == f"/permanence/children/{own.pk}/plans/new/"
    )
    refused = worker.get(f"/permanence/plans/?child={other.reference}").content.decode()
    assert "There is a problem" in refused and "Enter the reference of a child whose plans you may add" in refused
    adviser = client_for(builders.user("panel_adviser", aim, "Knowsley"))
    assert "Find the child" not in adviser.get("/permanence/plans/").content.decode()


def test_the_approval_range_is_edited_and_the_change_kept_in_history(aim, finder, client_for):
    run_functions(aim)
    record = carer(aim, approved_children=1, age_min=0, age_max=4)
    client = client_for(finder)
    form = client.get(f"/permanence/carers/{record.pk}/edit/").content.decode()
    assert 'name="kind"' not in form and 'value="L36"' in form
    response = client.post(
        f"/permanence/carers/{record.pk}/edit/",
        {
            "names": record.names,
            "home_council": record.home_council_id,
            "postcode_district": "L36",
            "approved_children": "2",
            "age_min": "0",
            "age_max": "10",
            "ethnicities": ["WBRI"],
            "can_trauma": "medium",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.approval_range, record.capabilities) == ("up to 2 children aged 0 to 10", {"trauma": "medium"})
    latest = record.history.first()
    assert (latest.history_user, latest.changes["age_max"], latest.changes["approved_children"]) == (
        finder,
        [4, 10],
        [1, 2],
    )


def test_step_pages_refuse_work_while_the_function_is_not_run(aim, finder, client_for):
    run_functions(aim)
    record = carer(aim, kind="special_guardian", steps=())
    plan = services.add_plan(builders.child(aim), "special_guardianship", date(2026, 1, 5), by=finder)
    PermanenceFunction.objects.filter(agency=aim, function="special_guardianship").update(active_from=None)
    client = client_for(finder)
    for url in (f"/permanence/carers/{record.pk}/steps/new/", f"/permanence/plans/{plan.pk}/steps/new/"):
        page = client.get(url).content.decode()
        assert "The agency does not run special guardianship" in page and "Record step" not in page
    response = client.post(
        f"/permanence/carers/{record.pk}/steps/new/", {"kind": "assessment", **_date("occurred_on", date(2026, 2, 2))}
    )
    assert response.status_code == 200 and not record.steps.exists()
    offered = client.get(f"/permanence/children/{plan.child_id}/plans/new/").content.decode()
    assert 'value="special_guardianship"' not in offered and 'value="long_term_fostering"' in offered
