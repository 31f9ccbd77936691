"""Adoption support through a real browser: a support worker records a request, starts and
completes the assessment of need, agrees a plan, commissions a service for it and sees the plan on
the case page; a step dated before the request is refused with the error summary. axe-core checks
every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openraa.common.years import FinancialYear
from openraa.support.models import SupportCase
from tests import builders
from tests.browser.helpers import enter_date, error_summary, long_date, short_date, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_step(page, case, step: str, when, check_accessibility, outcome: str | None = None) -> None:
    page.get_by_role("button", name="Record a step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a step")
    check_accessibility(page, f"step form before {step.lower()}")
    page.get_by_role("group", name="Step", exact=True).get_by_role("radio", name=step, exact=True).check()
    enter_date(page, "Date it happened", when)
    if outcome:
        page.get_by_role("group", name="Outcome of the assessment").get_by_role("radio", name=outcome).check()
    page.get_by_role("button", name="Record step").click()
    expect(page).to_have_url(re.compile(rf"/support/{case.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"{step} recorded for {case.reference}")
    check_accessibility(page, f"case page after {step.lower()}")


def test_a_support_worker_takes_a_request_to_a_plan_with_a_commissioned_service(
    page, transactional_db, check_accessibility
):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    worker = builders.user("support_worker", aim, "Knowsley")
    today = timezone.localdate()
    received = today - timedelta(days=40)

    sign_in(page, worker, check_accessibility)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Adoption support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption support")
    check_accessibility(page, "support list")

    page.get_by_role("button", name="Record a request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a request for adoption support")
    check_accessibility(page, "new request form")
    page.get_by_label("Responsible council").select_option(label="Knowsley")
    page.get_by_role("group", name="Who asked").get_by_role("radio", name="Adoptive family").check()
    page.get_by_label("Name of the person who asked").fill("Robin Testparent")
    enter_date(page, "Date the request was received", received)
    page.get_by_role("group", name="Support asked for").get_by_role("checkbox", name="Therapeutic support").check()
    page.get_by_label("What is asked").fill("Therapeutic parenting support after a placement at risk")
    page.get_by_role("button", name="Record the request").click()
    case = SupportCase.objects.get()
    expect(page).to_have_url(re.compile(rf"/support/{case.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{case.reference}: Request received")
    check_accessibility(page, "case page after the request")

    # A step dated before the request is refused and changes nothing.
    page.get_by_role("button", name="Record a step").click()
    page.get_by_role("group", name="Step", exact=True).get_by_role("radio", name="Assessment of need started").check()
    enter_date(page, "Date it happened", received - timedelta(days=3))
    page.get_by_role("button", name="Record step").click()
    summary = error_summary(page, f"Record a step for {case.reference}")
    expect(summary).to_contain_text(
        f"Assessment of need started cannot be recorded on {long_date(received - timedelta(days=3))}"
    )
    check_accessibility(page, "step form with an error")
    assert case.steps.count() == 1
    page.get_by_role("link", name=f"Back to {case.reference}").click()

    record_step(page, case, "Assessment of need started", received + timedelta(days=2), check_accessibility)
    record_step(
        page,
        case,
        "Assessment of need completed",
        received + timedelta(days=20),
        check_accessibility,
        outcome="Support needed",
    )
    record_step(page, case, "Support plan agreed", received + timedelta(days=25), check_accessibility)

    page.get_by_role("button", name="Add a commissioned service").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a commissioned service")
    check_accessibility(page, "service form")
    page.get_by_label("Provider").fill("Attach Family Therapy CIC")
    page.get_by_role("group", name="Kind of service").get_by_role("radio", name="Therapeutic support").check()
    start = received + timedelta(days=30)
    enter_date(page, "Start date", start)
    page.get_by_label("Cost (£)").fill("2400.50")
    page.get_by_role("group", name="Funded by").get_by_role("radio", name="Council support budget").check()
    page.get_by_role("button", name="Add the service").click()
    expect(page).to_have_url(re.compile(rf"/support/{case.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{case.reference}: Support plan agreed")
    services = page.get_by_role("table", name="Commissioned services")
    expect(services).to_contain_text("Attach Family Therapy CIC")
    expect(services).to_contain_text(short_date(start))
    expect(services).to_contain_text("£2,400.50")
    expect(page.get_by_text(f"Agreed on {long_date(received + timedelta(days=25))}")).to_be_visible()
    check_accessibility(page, "case page with the plan")

    page.get_by_role("link", name="Back to adoption support").click()
    expect(page.get_by_role("table")).to_contain_text(case.reference)
    page.get_by_role("navigation", name="Adoption support").get_by_role("link", name="Support budgets").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support budgets")
    page.goto(f"/support/budget/?year={FinancialYear.containing(start).label}")  # the year the service starts in
    expect(page.get_by_role("row", name=re.compile("^Knowsley"))).to_contain_text("£2,400.50")
    check_accessibility(page, "support budgets")
    page.get_by_role("navigation", name="Adoption support").get_by_role(
        "link", name="Counts for the national return"
    ).click()
    check_accessibility(page, "support counts")
