"""Adoption support pages: recording a request, its steps, a plan's services, Support Fund
applications and budgets; bad input changes nothing; other agencies' cases answer 404; the policy's
council scope reaches the support records."""

from datetime import date
from decimal import Decimal

import pytest

from openraa.finance.models import SupportFundApplication
from openraa.partnership.models import Council
from openraa.people.roles import POLICY, Action, Resource, Role, Scope
from openraa.support.models import CommissionedService, SupportBudget, SupportCase, SupportStep
from tests import builders
from tests.support.matrix_support import agreed_case

pytestmark = pytest.mark.django_db


def _date(name, day: date | tuple) -> dict:
    parts = (day.day, day.month, day.year) if isinstance(day, date) else day
    return {f"{name}_{i}": str(part) for i, part in enumerate(parts)}


def _counts():
    return (
        SupportCase.objects.count(),
        SupportStep.objects.count(),
        CommissionedService.objects.count(),
        SupportFundApplication.objects.count(),
        SupportBudget.objects.count(),
    )


@pytest.fixture
def worker(aim):
    return builders.user("support_worker", aim, "Knowsley")


@pytest.fixture
def knowsley(aim):
    return Council.objects.get(name="Knowsley")


def _request(council, **overrides):
    return {
        "responsible_council": council.pk,
        "requester": "adoptive_family",
        "requester_name": "Robin Testparent",
        "categories": ["therapeutic", "education"],
        "request": "Help at school and therapeutic parenting",
        "child_reference": "",
        "household_reference": "",
        **_date("received_on", date(2025, 5, 1)),
        **overrides,
    }


def test_a_support_worker_records_a_request(aim, worker, knowsley, client_for):
    child = builders.child(aim, "Knowsley")
    household = builders.household(aim, "Knowsley")
    client = client_for(worker)
    response = client.post(
        "/support/new/", _request(knowsley, child_reference=child.reference, household_reference=household.reference)
    )
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response.url == f"/support/{case.pk}/"
    assert (case.stage, case.received_on, case.child, case.household) == (
        "received",
        date(2025, 5, 1),
        child,
        household,
    )
    assert case.categories == ["therapeutic", "education"]
    assert [s.kind for s in case.steps.all()] == ["request_received"] and case.steps.get().recorded_by == worker
    assert case.history.latest().history_user == worker
    page = client.get(f"/support/{case.pk}/").content.decode()
    assert "Request received" in page and "Robin Testparent" in page and "Overdue" in page  # long past its 10 days


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"requester": "birth_relative", "categories": ["financial"]},
            "categories",
            "cannot be assessed for financial support",
        ),
        ({"categories": []}, "categories", "Select at least one kind of support asked for"),
        ({"received_on_0": "31", "received_on_1": "2"}, "received_on", "Enter a real date"),
        (_date("received_on", date(2099, 1, 1)), "received_on", "cannot be in the future"),
        ({"child_reference": "C-999999"}, "child_reference", "No child with the reference C-999999 in this agency"),
        ({"responsible_council": "999999"}, "responsible_council", "Select a valid choice"),
        ({"requester_name": ""}, "requester_name", "Enter"),
    ],
)
def test_a_bad_request_changes_nothing_and_says_why(aim, worker, knowsley, client_for, overrides, field, message):
    before = _counts()
    response = client_for(worker).post("/support/new/", _request(knowsley, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert _counts() == before


def test_another_agencys_child_cannot_be_linked(aim, worker, knowsley, client_for):
    stranger = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    child = builders.child(stranger, "Sefton")
    response = client_for(worker).post("/support/new/", _request(knowsley, child_reference=child.reference))
    assert "in this agency" in response.context["form"].errors["child_reference"][0]
    assert SupportCase.objects.count() == 0


def test_steps_follow_the_journey_and_a_refused_step_changes_nothing(aim, worker, knowsley, client_for):
    client = client_for(worker)
    case = agreed_case(aim, knowsley, by=worker)
    form = client.get(f"/support/{case.pk}/steps/new/").context["form"]
    assert [k for k, _ in form.fields["kind"].choices] == ["services_commissioned", "reviewed", "closed"]
    before = _counts()
    response = client.post(
        f"/support/{case.pk}/steps/new/", {"kind": "services_commissioned", **_date("occurred_on", date(2025, 6, 1))}
    )
    assert "cannot be recorded on 1 June 2025" in response.context["form"].errors["occurred_on"][0]
    response = client.post(
        f"/support/{case.pk}/steps/new/", {"kind": "closed", **_date("occurred_on", date(2025, 8, 1))}
    )
    assert "needs closed reason" in " ".join(response.context["form"].errors["closed_reason"])
    assert _counts() == before
    response = client.post(
        f"/support/{case.pk}/steps/new/",
        {"kind": "reviewed", **_date("occurred_on", date(2026, 6, 1)), "note": "Plan still right"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.last_review_on == date(2026, 6, 1) and case.stage == "plan_agreed"


def test_an_assessment_that_finds_no_need_leads_only_to_closure(aim, worker, knowsley, client_for):
    client = client_for(worker)
    case = agreed_case(aim, knowsley, by=worker)
    other = SupportCase.objects.create(
        agency=aim,
        responsible_council=knowsley,
        requester="adopted_adult",
        requester_name="Kim Testadult",
        categories=["other"],
        request="Access to records",
    )
    from openraa.support import services

    services.record_step(other, "request_received", date(2025, 9, 1), by=worker)
    services.record_step(other, "assessment_started", date(2025, 9, 2), by=worker)
    response = client.post(
        f"/support/{other.pk}/steps/new/",
        {"kind": "assessment_completed", "assessment_outcome": "not_needed", **_date("occurred_on", date(2025, 9, 30))},
    )
    assert response.status_code == 302
    form = client.get(f"/support/{other.pk}/steps/new/").context["form"]
    assert [k for k, _ in form.fields["kind"].choices] == ["closed"]
    assert client.get(f"/support/{other.pk}/services/new/").status_code == 200
    before = _counts()
    response = client.post(
        f"/support/{other.pk}/services/new/",
        {
            "provider": "Family Therapy Ltd",
            "kind": "therapeutic",
            **_date("starts_on", date(2025, 10, 1)),
            "cost": "500.00",
            "funded_by": "council_budget",
        },
    )
    assert "under an agreed support plan" in response.content.decode()
    assert _counts() == before
    assert case.stage == "plan_agreed"


def test_services_commit_the_councils_budget(aim, worker, knowsley, client_for):
    client = client_for(worker)
    case = agreed_case(aim, knowsley, by=worker)
    liverpool_case = agreed_case(aim, Council.objects.get(name="Liverpool"), by=worker)
    assert (
        client.post(
            "/support/budget/set/", {"council": knowsley.pk, "year": "2025-26", "amount": "10000.00"}
        ).status_code
        == 302
    )
    service = {
        "provider": "Family Therapy Ltd",
        "kind": "therapeutic",
        **_date("starts_on", date(2025, 7, 14)),
        **_date("ends_on", date(2026, 1, 12)),
        "cost": "2400.50",
        "funded_by": "council_budget",
    }
    assert client.post(f"/support/{case.pk}/services/new/", service).status_code == 302
    assert client.post(f"/support/{liverpool_case.pk}/services/new/", {**service, "cost": "99.99"}).status_code == 302
    rows = {c.name: p for c, p in client.get("/support/budget/?year=2025-26").context["rows"]}
    assert (rows["Knowsley"].budget, rows["Knowsley"].committed, rows["Knowsley"].remaining) == (
        Decimal("10000.00"),
        Decimal("2400.50"),
        Decimal("7599.50"),
    )
    assert rows["Liverpool"].committed == Decimal("99.99") and rows["Liverpool"].overcommitted
    assert "Family Therapy Ltd" in client.get(f"/support/{case.pk}/").content.decode()
    # "2026" is the year ending in it, the same 2025-26: the budget is changed in place, not added
    assert (
        client.post("/support/budget/set/", {"council": knowsley.pk, "year": "2026", "amount": "12000"}).status_code
        == 302
    )
    assert SupportBudget.objects.get().amount == Decimal(
        "12000.00"
    )  # one budget per council and year, changed in place
    page = client.get("/support/budget/?year=2026")
    assert page.context["year_label"] == "2025-26" and page.context["previous"] == "2024-25"
    assert {c.name: p for c, p in page.context["rows"]}["Knowsley"].budget == Decimal("12000.00")
    assert client.get("/support/budget/?year=2025-27").status_code == 404
    assert SupportBudget.objects.get().history.count() == 2


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"cost": "0"}, "cost", "more than £0.00"),
        ({"cost": "12.345"}, "cost", "no more than two decimal places"),
        (_date("ends_on", date(2025, 7, 1)), "ends_on", "on or after the start date"),
        (_date("starts_on", date(2025, 6, 1)), "starts_on", "before the support plan was agreed"),
        ({"funded_by": "support_fund"}, "funded_by", "Select a valid choice"),
    ],
)
def test_a_bad_service_changes_nothing(aim, worker, knowsley, client_for, overrides, field, message):
    case = agreed_case(aim, knowsley, by=worker)
    before = _counts()
    response = client_for(worker).post(
        f"/support/{case.pk}/services/new/",
        {
            "provider": "Family Therapy Ltd",
            "kind": "therapeutic",
            **_date("starts_on", date(2025, 7, 14)),
            **_date("ends_on", date(2026, 1, 12)),
            "cost": "100.00",
            "funded_by": "council_budget",
            **overrides,
        },
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert _counts() == before


def _fund(**overrides):
    return {
        "fund_kind": "therapy",
        **_date("applied_on", date(2025, 7, 2)),
        "provider": "Attach Therapy CIC",
        "kind": "therapeutic",
        **_date("starts_on", date(2025, 7, 14)),
        "cost": "2000.00",
        **overrides,
    }


def test_support_fund_applications_go_through_the_finance_service_and_its_limit(aim, worker, knowsley, client_for):
    client = client_for(worker)
    child = builders.child(aim, "Knowsley")
    case = agreed_case(aim, knowsley, child=child, by=worker)
    response = client.post(f"/support/{case.pk}/fund/", _fund())
    assert response.status_code == 302
    application = SupportFundApplication.objects.get()
    service = CommissionedService.objects.get()
    assert (application.child, application.amount, application.provider) == (
        child,
        Decimal("2000.00"),
        "Attach Therapy CIC",
    )
    assert (service.funded_by, service.fund_application) == ("support_fund", application)
    before = _counts()
    response = client.post(f"/support/{case.pk}/fund/", _fund(cost="1500.00"))
    errors = " ".join(response.context["form"].errors["cost"])
    assert "Refused: £1,500.00 would bring" in errors and "£1,000.00 is left" in errors
    assert _counts() == before
    # The finance pages see the same application.
    assert SupportFundApplication.objects.filter(agency=aim).count() == 1


def test_the_fund_needs_a_child(aim, worker, knowsley, client_for):
    case = agreed_case(aim, knowsley, by=worker)
    before = _counts()
    response = client_for(worker).post(f"/support/{case.pk}/fund/", _fund())
    assert "link the case to a child first" in response.content.decode()
    assert _counts() == before


def test_the_list_filters_by_council_stage_and_overdue(aim, worker, knowsley, client_for):
    client = client_for(worker)
    agreed = agreed_case(aim, knowsley, by=worker)  # review not due until July 2026... then overdue by today
    liverpool = agreed_case(aim, Council.objects.get(name="Liverpool"), by=worker)
    from openraa.support import services

    services.record_step(liverpool, "reviewed", date(2026, 6, 30), by=worker)

    def listed(query):
        return [row["case"] for row in client.get(f"/support/{query}").context["rows"]]

    assert set(listed("")) == {agreed, liverpool}
    assert listed("?council=E08000011") == [agreed]
    assert listed("?stage=plan_agreed&overdue=1") == [agreed]
    assert listed("?stage=closed") == []


def test_counts_for_the_national_return(aim, worker, knowsley, client_for):
    agreed_case(aim, knowsley, by=worker)
    agreed_case(aim, knowsley, by=worker, received_on=date(2025, 3, 3))  # assessed 20 June 2025: late
    context = client_for(worker).get("/support/counts/?year=2025-26").context
    lines = {line["label"]: line for line in context["lines"]}
    assert [c.name for c in context["councils"]] == ["Knowsley", "Liverpool"]
    assert lines["Requests received"]["cells"] == [1, 0] and lines["Requests received"]["total"] == 1
    assert lines["Assessments of need completed"]["total"] == 2
    assert lines["Assessments completed in time"]["total"] == 1
    assert lines["Cases open at the end of the period"]["cells"] == [2, 0]


def test_another_agencys_case_answers_404(aim, worker, client_for):
    stranger = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    case = agreed_case(stranger, Council.objects.get(name="Sefton"))
    client = client_for(worker)
    for url in (
        f"/support/{case.pk}/",
        f"/support/{case.pk}/steps/new/",
        f"/support/{case.pk}/services/new/",
        f"/support/{case.pk}/fund/",
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            f"/support/{case.pk}/steps/new/", {"kind": "reviewed", **_date("occurred_on", date(2026, 1, 5))}
        ).status_code
        == 404
    )
    assert case.steps.count() == 4
    assert client.get("/support/").context["rows"] == []


def test_a_finance_officer_reads_cases_without_names_and_changes_nothing(aim, knowsley, client_for):
    case = agreed_case(aim, knowsley)
    client = client_for(builders.user("finance_officer", aim, "Knowsley"))
    page = client.get(f"/support/{case.pk}/").content.decode()
    assert case.reference in page and "Robin Testparent" not in page and "Record a step" not in page
    assert "Record a request" not in client.get("/support/").content.decode()
    assert client.get(f"/support/{case.pk}/steps/new/").status_code == 403
    assert client.get("/support/budget/set/").status_code == 403


def test_a_council_scoped_grant_reaches_only_its_councils_cases(aim, knowsley, client_for, monkeypatch):
    """No role holds support by council today; the records name their council, so such a grant
    (a council's own post-adoption team) would be honoured by the same policy."""
    monkeypatch.setitem(
        POLICY[Role.SOCIAL_WORKER],
        Resource.SUPPORT,
        {Action.VIEW: Scope.OWN_COUNCIL, Action.ADD: Scope.OWN_COUNCIL, Action.CHANGE: Scope.OWN_COUNCIL},
    )
    own = agreed_case(aim, knowsley)
    other = agreed_case(aim, Council.objects.get(name="Liverpool"))
    client = client_for(builders.user("social_worker", aim, "Knowsley"))
    assert [row["case"] for row in client.get("/support/").context["rows"]] == [own]
    assert client.get(f"/support/{own.pk}/").status_code == 200
    assert client.get(f"/support/{other.pk}/").status_code == 404
    assert client.get(f"/support/{other.pk}/steps/new/").status_code == 404
    form = client.get("/support/new/").context["form"]
    assert list(form.fields["responsible_council"].queryset) == [knowsley]
    assert [c.name for c, _ in client.get("/support/budget/").context["rows"]] == ["Knowsley"]


def test_the_navigation_offers_adoption_support_to_those_who_may_see_it(aim, worker, client_for):
    assert "Adoption support" in client_for(worker).get("/").content.decode()
    client = client_for(builders.user("family_finder", aim, "Knowsley"))
    assert "Adoption support" not in client.get("/").content.decode()
    assert client.get("/support/").status_code == 403


def test_the_demo_support_cases_are_histories_the_machine_accepts(aim):
    import random

    from django.utils import timezone

    from openraa.common.machine import replay
    from openraa.support import domain
    from openraa.support.demo import CASES_PER_COUNCIL, load_support_cases

    builders.child(aim, "Knowsley")
    load_support_cases(aim, random.Random(7))
    cases = list(SupportCase.objects.filter(agency=aim))
    assert len(cases) == 2 * CASES_PER_COUNCIL
    for case in cases:
        projection = replay(domain.JOURNEY, [s.as_entry() for s in case.steps.all()], timezone.localdate())
        assert domain.stage_of(projection) == case.stage and projection["received_on"] == case.received_on
    assert SupportBudget.objects.filter(agency=aim).count() == 4
    assert len({case.stage for case in cases}) > 2
    assert CommissionedService.objects.filter(case__agency=aim, funded_by="council_budget").exists()


def test_a_mistaken_step_is_corrected_or_withdrawn_and_kept_in_the_history(aim, worker, knowsley, client_for):
    client = client_for(worker)
    case = agreed_case(aim, knowsley, by=worker)
    plan = case.steps.get(kind="plan_agreed")
    url = f"/support/{case.pk}/steps/{plan.pk}/correct/"
    assert url in client.get(f"/support/{case.pk}/").content.decode()
    before = _counts()
    response = client.post(url, {"action": "correct", **_date("occurred_on", date(2025, 6, 1)), "note": "Typo"})
    assert "cannot be recorded on 1 June 2025" in response.context["form"].errors["occurred_on"][0]
    response = client.post(url, {"action": "correct", "note": ""})
    assert set(response.context["form"].errors) == {"occurred_on", "note"}
    first = case.steps.get(kind="request_received")
    response = client.post(f"/support/{case.pk}/steps/{first.pk}/correct/", {"action": "withdraw", "note": "Mistake"})
    assert "cannot be withdrawn" in " ".join(response.context["form"].errors["action"])
    assert _counts() == before
    assert (
        client.post(
            url, {"action": "correct", **_date("occurred_on", date(2025, 7, 3)), "note": "Minutes say 3rd"}
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.plan_agreed_on == date(2025, 7, 3)
    correction = case.steps.get(supersedes=plan)
    assert (
        client.post(
            f"/support/{case.pk}/steps/{correction.pk}/correct/",
            {"action": "withdraw", "note": "No plan was agreed yet"},
        ).status_code
        == 302
    )
    case.refresh_from_db()
    assert (case.stage, case.plan_agreed_on) == ("needed", None)
    assert case.steps.count() == 6  # nothing deleted: four steps, a correction and a withdrawal
    page = client.get(f"/support/{case.pk}/").content.decode()
    assert page.count("(superseded)") == 2 and "Withdrawn" in page
