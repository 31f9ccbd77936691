"""The JSON API: same rules and same refusals as the pages, atomic writes, an OpenAPI document."""

from datetime import date

import pytest

from openraa.children.models import Child, ChildNeed
from openraa.households.models import Household
from openraa.journeys import services
from openraa.people.roles import Role
from openraa.security import tokens
from tests import builders

NEW_CHILD = {
    "responsible_council": "E08000011",
    "first_name": "Robin",
    "last_name": "Example",
    "date_of_birth": "2023-04-02",
    "sex": "2",
    "ethnicity": "MWBC",
    "needs": [{"need": "autism", "severity": "medium"}, {"need": "attachment", "severity": "low"}],
}


@pytest.fixture
def finder(aim):
    return builders.user(Role.FAMILY_FINDER, aim)


@pytest.mark.django_db
def test_a_child_created_through_the_api_has_its_needs_and_derived_stage(client_for, finder):
    response = client_for(finder).post("/api/children/", NEW_CHILD, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "considered"
    child = Child.objects.get(pk=body["id"])
    assert {n.need: n.severity for n in child.needs.all()} == {"autism": "medium", "attachment": "low"}
    assert child.agency == finder.agency


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad, field",
    [
        ({"ethnicity": "ZZZZ"}, "ethnicity"),
        ({"responsible_council": "E08999999"}, "responsible_council"),
        ({"needs": [{"need": "autism", "severity": "extreme"}]}, "needs"),
        ({"date_of_birth": "2099-01-01"}, "date_of_birth"),
        ({"placement_order_on": "2024-01-01"}, "placement_order_on"),  # dates are journey steps, not fields
    ],
)
def test_impossible_children_are_refused_with_a_reason_and_nothing_is_saved(client_for, finder, bad, field):
    response = client_for(finder).post("/api/children/", {**NEW_CHILD, **bad}, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert Child.objects.count() == 0 and ChildNeed.objects.count() == 0


def _steps(client, child, *steps):
    responses = []
    for kind, when, *details in steps:
        responses.append(
            client.post(
                f"/api/children/{child.pk}/steps/",
                {"kind": kind, "occurred_on": when, "details": details[0] if details else {}},
                content_type="application/json",
            )
        )
    return responses


@pytest.mark.django_db
def test_journey_steps_move_the_child_along_and_are_listed(client_for, finder):
    client = client_for(finder)
    child = Child.objects.get(pk=client.post("/api/children/", NEW_CHILD, content_type="application/json").json()["id"])
    assert _steps(client, child, ("entered_care", "2023-06-01"))[0].status_code == 201
    # The should-be-placed decision is the ADM's, on the decision page (journeys/routes.py), not a step.
    services.record_should_be_placed(
        child, date(2023, 11, 1), "Adoption is the plan", by=builders.user(Role.ADM, finder.agency)
    )
    assert _steps(client, child, ("placement_order", "2024-01-15"))[0].status_code == 201
    child.refresh_from_db()
    assert child.stage == "family_finding" and str(child.placement_order_on) == "2024-01-15"
    history = client.get(f"/api/children/{child.pk}/steps/").json()
    assert [entry["kind"] for entry in history] == ["entered_care", "should_be_placed", "placement_order"]
    assert history[0]["recorded_by"] == str(finder)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "step, field, words",
    [
        (
            ("placement_order", "2022-01-01"),
            "kind",
            "Placement order cannot be recorded on 1 January 2022",
        ),  # before care
        (("link_ended", "2024-02-01"), "kind", "the next step can be"),  # no link to end
        (("linked", "2099-01-01", "an approved household"), "occurred_on", "cannot be in the future"),
        (("plan_ended", "2024-02-01"), "plan_ended_reason", "needs plan ended reason"),
    ],
)
def test_a_step_the_journey_forbids_is_refused_with_the_reason_and_changes_nothing(
    client_for, finder, step, field, words
):
    client = client_for(finder)
    child = builders.child(finder.agency, placement_order_on=None)
    if len(step) == 3:
        step = (*step[:2], {"household": builders.household(finder.agency).pk})
    before = (child.stage, child.steps.count())
    response = _steps(client, child, step)[0]
    assert response.status_code == 400
    assert words in response.json()[field][0]
    child.refresh_from_db()
    assert (child.stage, child.steps.count()) == before


@pytest.mark.django_db
def test_a_failed_update_changes_nothing(client_for, finder):
    child = builders.child(finder.agency, needs={"autism": "low"})
    response = client_for(finder).patch(
        f"/api/children/{child.pk}/",
        {
            "date_of_birth": "2023-02-01",
            "needs": [{"need": "fasd", "severity": "high"}],  # born after entering care
            "version": child.version,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    child.refresh_from_db()
    assert str(child.date_of_birth) == "2022-05-01"
    assert [(n.need, n.severity) for n in child.needs.all()] == [("autism", "low")]


@pytest.mark.django_db
def test_an_approval_range_with_youngest_above_oldest_is_refused(aim, client_for):
    assessor = builders.user(Role.RECRUITMENT_ASSESSMENT, aim)
    household = builders.household(aim)
    response = client_for(assessor).patch(
        f"/api/households/{household.pk}/",
        {"age_min": 9, "age_max": 2, "version": household.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "age_min" in response.json()
    household.refresh_from_db()
    assert (household.age_min, household.age_max) == (0, 6)


@pytest.mark.django_db
def test_households_are_written_with_applicants_and_capabilities(aim, client_for):
    assessor = builders.user(Role.RECRUITMENT_ASSESSMENT, aim)
    response = client_for(assessor).post(
        "/api/households/",
        {
            "home_council": "E08000012",
            "postcode_district": "L18",
            "enquiry_on": "2025-02-03",
            "fast_track": True,
            "applicants": [
                {
                    "first_name": "Ash",
                    "last_name": "Sample",
                    "date_of_birth": "1988-08-08",
                    "sex": "1",
                    "ethnicity": "BAFR",
                }
            ],
            "capabilities": [{"need": "medical_condition", "level": "high"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    household = Household.objects.get(pk=response.json()["id"])
    assert household.stage == "enquiry" and household.steps.get().kind == "enquiry"
    for kind, when in (("registration_of_interest", "2025-02-20"), ("stage2_started", "2025-03-01")):
        step = client_for(assessor).post(
            f"/api/households/{household.pk}/steps/",
            {"kind": kind, "occurred_on": when},
            content_type="application/json",
        )
        assert step.status_code == 201, step.content
    household.refresh_from_db()
    assert household.stage == "stage_2"  # the fast track goes straight to Stage 2
    assert household.applicants.get().first_name == "Ash"
    assert household.capabilities.get().level == "high"


@pytest.mark.django_db
def test_token_authentication_uses_the_same_policy(aim, client):
    worker = builders.user(Role.SOCIAL_WORKER, aim, employer="Liverpool")
    builders.child(aim, "Knowsley")
    mine = builders.child(aim, "Liverpool")
    token = tokens.issue(worker)
    body = client.get("/api/children/", HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert [row["id"] for row in body["results"]] == [mine.pk]


@pytest.mark.django_db
def test_the_openapi_document_describes_the_record_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = response.json()
    assert {"/api/children/", "/api/children/{id}/", "/api/households/"} <= set(document["paths"])
    assert "delete" not in document["paths"]["/api/children/{id}/"]


@pytest.mark.django_db
def test_a_council_code_with_a_nul_character_is_refused_as_unknown(aim, client_for):
    """Found by fuzzing on PostgreSQL, which cannot compare text holding NUL: a 400, never a 500."""
    client = client_for(builders.user(Role.TEAM_MANAGER, aim))
    response = client.post(
        "/api/children/",
        {
            "responsible_council": "E0800\x000011",
            "first_name": "Kit",
            "last_name": "Sample",
            "date_of_birth": "2022-01-01",
            "sex": "1",
            "ethnicity": "WBRI",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "responsible_council" in response.json()


@pytest.mark.django_db
def test_a_withdrawal_must_name_the_entry_it_withdraws(aim, client_for):
    """Every journey appends through journeys.services.replay_with: a bare "withdrawn" step, which the
    history would silently ignore, is refused and nothing is written."""
    child = builders.child(aim, "Knowsley")
    before = child.steps.count()
    response = client_for(builders.user(Role.TEAM_MANAGER, aim)).post(
        f"/api/children/{child.pk}/steps/",
        {"kind": "withdrawn", "occurred_on": "2024-01-08"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "kind" in response.json()
    assert child.steps.count() == before
