"""The read-only API of adoption support, wider permanence and governance: the same policy as the
pages (grants, agency, own-council scope, restricted names), audited reads of records about people,
and the new paths in the OpenAPI document. Synthetic data."""

from datetime import date
from decimal import Decimal

import pytest

from openraa.audit.models import RecordView
from openraa.governance.models import Agreement, AgreementExtension, Document
from openraa.people.roles import Role
from openraa.support import services as support_services
from openraa.support.models import CommissionedService
from tests import builders
from tests.api.test_fuzz_api import keep_the_test_connection  # noqa: F401  (a fixture: WSGI calls keep the test's connection)
from tests.permanence.matrix_permanence import carer, run_functions
from tests.support.matrix_support import agreed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger():
    return builders.agency("bkm", councils=("Sefton",), host="Sefton")


@pytest.fixture
def case(aim):
    found = agreed_case(aim, builders.council("Knowsley"))
    support_services.add_service(
        found,
        CommissionedService(
            provider="Synthetic Therapy Ltd",
            kind="therapeutic",
            starts_on=date(2025, 7, 7),
            cost=Decimal("1250.00"),
            funded_by="council_budget",
        ),
        by=None,
    )
    return found


@pytest.fixture
def plan(aim):
    run_functions(aim)
    from openraa.permanence import services

    return services.add_plan(builders.child(aim, "Knowsley"), "long_term_fostering", date(2025, 1, 6), by=None)


@pytest.fixture
def agreement(aim):
    found = Agreement.objects.create(
        agency=aim, title="Partnership agreement", kind="partnership", starts_on=date(2020, 4, 1), term_years=5
    )
    AgreementExtension.objects.create(
        agreement=found, new_expiry=date(2030, 3, 31), reason="Renewed by the board", decided_on=date(2025, 1, 15)
    )
    return found


@pytest.fixture
def document(aim):
    return Document.objects.create(
        agency=aim,
        kind="terms_of_reference",
        title="Terms of reference",
        owner="Secretary",
        version="1.0",
        approved_on=date(2020, 1, 1),
        review_due_on=date(2021, 1, 1),
    )


def _views(model_label):
    return set(RecordView.objects.filter(record_type=model_label, channel="api").values_list("record_id", flat=True))


def test_support_cases_are_listed_and_retrieved_with_services_and_audited(aim, case, client_for):
    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    listed = client.get("/api/support-cases/")
    assert listed.status_code == 200
    [row] = listed.json()["results"]
    assert row["reference"] == case.reference and row["responsible_council"] == "E08000011"
    assert row["requester"] == "adoptive_family" and row["requester_name"] == "Robin Testparent"
    assert row["categories"] == ["therapeutic"] and row["stage"] == case.stage
    assert (row["received_on"], row["plan_agreed_on"], row["closed_on"]) == ("2025-05-01", "2025-07-01", None)
    assert row["services"] == [
        {
            "id": row["services"][0]["id"],
            "kind": "therapeutic",
            "provider": "Synthetic Therapy Ltd",
            "starts_on": "2025-07-07",
            "ends_on": None,
            "cost": "1250.00",
            "funded_by": "council_budget",
        }
    ]
    detail = client.get(f"/api/support-cases/{case.pk}/")
    assert detail.status_code == 200 and detail.json()["id"] == case.pk
    assert RecordView.objects.filter(record_type="support.supportcase", record_id=case.pk, channel="api").count() == 2


def test_support_requester_names_only_with_the_restricted_grant(aim, case, client_for):
    client = client_for(builders.user(Role.FINANCE_OFFICER, aim))
    row = client.get("/api/support-cases/").json()["results"][0]
    assert "requester_name" not in row and row["services"][0]["cost"] == "1250.00"
    assert "requester_name" not in client.get(f"/api/support-cases/{case.pk}/").json()


def test_support_cases_filter_by_stage_and_council(aim, case, client_for):
    client = client_for(builders.user(Role.SUPPORT_WORKER, aim))
    assert client.get(f"/api/support-cases/?stage={case.stage}").json()["count"] == 1
    assert client.get("/api/support-cases/?stage=closed").json()["count"] == 0
    liverpool = builders.council("Liverpool")
    assert client.get(f"/api/support-cases/?responsible_council={liverpool.pk}").json()["count"] == 0


def test_carers_and_plans_are_listed_retrieved_and_audited(aim, plan, client_for):
    record = carer(aim)
    client = client_for(builders.user(Role.FAMILY_FINDER, aim))
    [row] = client.get("/api/carers/").json()["results"]
    assert row["reference"] == record.reference and row["names"] == "Robin Testcarer"
    assert row["home_council"] == "E08000011" and row["stage"] == record.stage
    assert client.get(f"/api/carers/{record.pk}/").json()["approved_on"] == "2024-08-12"
    [listed_plan] = client.get("/api/permanence-plans/").json()["results"]
    assert listed_plan["child"] == plan.child.reference and listed_plan["kind"] == "long_term_fostering"
    detail = client.get(f"/api/permanence-plans/{plan.pk}/").json()
    assert detail["reference"] == plan.reference and detail["carer"] is None
    assert _views("permanence.carer") == {record.pk} and _views("permanence.permanenceplan") == {plan.pk}
    assert RecordView.objects.filter(channel="api").count() == 4


def test_plans_never_carry_the_childs_name_and_carers_names_need_the_restricted_grant(aim, plan, client_for):
    record = carer(aim)
    client = client_for(builders.user(Role.PANEL_ADVISER, aim))
    carer_body = client.get(f"/api/carers/{record.pk}/")
    assert carer_body.status_code == 200 and "names" not in carer_body.json()
    assert "names" not in client.get("/api/carers/").json()["results"][0]
    text = client.get(f"/api/permanence-plans/{plan.pk}/").content.decode()
    assert plan.child.reference in text and plan.child.first_name not in text and plan.child.last_name not in text


def test_a_council_social_worker_reads_only_their_own_councils_permanence_records(aim, client_for):
    run_functions(aim)
    own, other = carer(aim, "Knowsley"), carer(aim, "Liverpool")
    client = client_for(builders.user(Role.SOCIAL_WORKER, aim, employer="Knowsley"))
    assert [row["id"] for row in client.get("/api/carers/").json()["results"]] == [own.pk]
    assert client.get(f"/api/carers/{other.pk}/").status_code == 404


def test_agreements_give_the_current_expiry_status_and_extensions_unaudited(aim, agreement, document, client_for):
    client = client_for(builders.user(Role.BOARD_MEMBER, aim))
    [row] = client.get("/api/agreements/").json()["results"]
    assert (row["original_expiry"], row["expires_on"]) == (str(agreement.original_expiry), "2030-03-31")
    assert row["status"] in {"in_force", "expiring_soon"}
    assert [e["new_expiry"] for e in row["extensions"]] == ["2030-03-31"]
    assert client.get(f"/api/agreements/{agreement.pk}/").json()["title"] == "Partnership agreement"
    [listed] = client.get("/api/documents/").json()["results"]
    assert listed["review_status"] == "overdue" and listed["review_due_on"] == "2021-01-01"
    assert client.get(f"/api/documents/{document.pk}/").status_code == 200
    assert not RecordView.objects.exists()


@pytest.mark.parametrize(
    "role, path",
    [
        (Role.FAMILY_FINDER, "/api/support-cases/"),
        (Role.FINANCE_OFFICER, "/api/carers/"),
        (Role.FINANCE_OFFICER, "/api/permanence-plans/"),
        (Role.FAMILY_FINDER, "/api/agreements/"),
        (Role.SUPPORT_WORKER, "/api/documents/"),
    ],
)
def test_a_role_without_the_grant_is_refused(aim, role, path, client_for):
    assert client_for(builders.user(role, aim)).get(path).status_code == 403


def test_another_agencys_records_answer_404_and_never_appear_in_lists(aim, stranger, client_for):
    run_functions(stranger)
    from openraa.permanence import services

    theirs = {
        "support-cases": agreed_case(stranger, builders.council("Sefton")),
        "carers": carer(stranger, "Sefton"),
        "permanence-plans": services.add_plan(
            builders.child(stranger, "Sefton"), "long_term_fostering", date(2025, 1, 6), by=None
        ),
        "agreements": Agreement.objects.create(
            agency=stranger, title="Theirs", kind="hosting", starts_on=date(2022, 1, 1), term_years=3
        ),
        "documents": Document.objects.create(
            agency=stranger,
            kind="secondment",
            title="Theirs",
            owner="Them",
            version="1",
            approved_on=date(2024, 1, 1),
            review_due_on=date(2026, 1, 1),
        ),
    }
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    for path, record in theirs.items():
        assert client.get(f"/api/{path}/").json()["count"] == 0, path
        assert client.get(f"/api/{path}/{record.pk}/").status_code == 404, path
    assert not RecordView.objects.exists()


def test_the_endpoints_are_read_only(aim, case, client_for):
    client = client_for(builders.user(Role.ADMINISTRATOR, aim))
    assert client.post("/api/support-cases/", {}, content_type="application/json").status_code == 405
    assert (
        client.patch(f"/api/support-cases/{case.pk}/", {"stage": "closed"}, content_type="application/json").status_code
        == 405
    )


def test_the_openapi_document_lists_the_new_paths(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for name in ("support-cases", "carers", "permanence-plans", "agreements", "documents"):
        assert f"/api/{name}/" in paths and f"/api/{name}/{{id}}/" in paths
        assert set(paths[f"/api/{name}/"]) == {"get"}


@pytest.mark.usefixtures("keep_the_test_connection")
def test_real_records_conform_to_the_openapi_document(aim, case, plan, agreement, document):
    """The fuzz run (test_fuzz_api.py) meets these endpoints without records; here each answer about a
    real record, in full and without names, is checked against the published document."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from openraa.security import tokens

    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    records = {
        "support-cases": case,
        "carers": carer(aim),
        "permanence-plans": plan,
        "agreements": agreement,
        "documents": document,
    }
    for role in (Role.ADMINISTRATOR, Role.PANEL_ADVISER):
        token = tokens.issue(builders.user(role, aim)).key
        for name, record in records.items():
            for path, parameters in ((f"/api/{name}/", {}), (f"/api/{name}/{{id}}/", {"id": record.pk})):
                operation = schema[path]["GET"]
                response = operation.Case(path_parameters=parameters).call(headers={"Authorization": f"Token {token}"})
                if response.status_code == 403:
                    continue  # the panel adviser has no support or governance grant
                assert response.status_code == 200, (role, path)
                operation.Case(path_parameters=parameters).validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance]
                )
