"""A special guardianship assessment to the order through a real browser: a family finder adds a
special guardian, records the assessment the court directed, the report to court and the order.
axe-core checks every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openraa.permanence.models import Carer
from tests import builders
from tests.browser.helpers import enter_date, error_summary, long_date, short_date, sign_in
from tests.permanence.matrix_permanence import run_functions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_step(page, carer: Carer, step: str, when, check_accessibility, **dates) -> None:
    page.get_by_role("button", name="Record a step").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a step")
    check_accessibility(page, f"step form before {step}")
    page.get_by_role("group", name="Step", exact=True).get_by_role("radio", name=step, exact=True).check()
    enter_date(page, "Date it happened", when)
    for legend, day in dates.items():
        enter_date(page, legend, day)
    page.get_by_role("button", name="Record step").click()
    expect(page).to_have_url(re.compile(rf"/permanence/carers/{carer.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"{step} recorded for {carer.reference}")
    check_accessibility(page, f"carer after {step}")


def test_a_special_guardian_is_assessed_reported_on_and_the_court_makes_the_order(page, check_accessibility):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    run_functions(aim)
    finder = builders.user("family_finder", aim, "Knowsley")
    today = timezone.localdate()
    directed_on, report_due = today - timedelta(days=70), today - timedelta(days=14)
    reported_on, order_on = today - timedelta(days=16), today - timedelta(days=2)

    sign_in(page, finder)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Permanence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wider permanence")
    check_accessibility(page, "permanence overview")
    page.get_by_role("navigation", name="Permanence").get_by_role("link", name="Carers").click()
    check_accessibility(page, "carers")
    page.get_by_role("button", name="Add a carer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a carer")
    check_accessibility(page, "add a carer")

    page.get_by_role("button", name="Add carer").click()
    summary = error_summary(page, "Add a carer")
    expect(summary.get_by_role("link", name="Enter carers' names")).to_be_visible()
    check_accessibility(page, "add a carer with errors")
    assert not Carer.objects.exists()

    page.get_by_role("group", name="Kind").get_by_role("radio", name="Special guardian").check()
    page.get_by_label("Carers' names").fill("Robin Testgran")
    page.get_by_label("Home council").select_option(label="Knowsley")
    page.get_by_label("Postcode district").fill("L36")
    page.get_by_role("button", name="Add carer").click()
    carer = Carer.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{carer.reference}: Robin Testgran")
    expect(page.get_by_text("Special guardian · Not started")).to_be_visible()
    check_accessibility(page, "new special guardian")

    record_step(
        page,
        carer,
        "SGO assessment started (court's direction)",
        directed_on,
        check_accessibility,
        **{"Report due by (the date the court set)": report_due},
    )
    expect(page.get_by_text(f"Report to court by the date the court set: due {short_date(report_due)}")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Overdue")).to_be_visible()
    record_step(page, carer, "Report filed with the court", reported_on, check_accessibility)
    expect(page.locator(".govuk-tag", has_text="Met")).to_be_visible()
    record_step(page, carer, "Special guardianship order made", order_on, check_accessibility)
    expect(page.get_by_text("Special guardian · Order made")).to_be_visible()
    expect(page.locator("time", has_text=long_date(order_on))).to_be_visible()
    carer.refresh_from_db()
    assert carer.stage == "order_made"
    assert [s.kind for s in carer.steps.all()] == ["assessment", "report", "order"]


def test_an_administrator_switches_long_term_fostering_on_and_a_child_gets_a_shortlist(page, check_accessibility):
    from datetime import date

    from openraa.permanence import services
    from tests.browser.helpers import sign_out
    from tests.permanence.matrix_permanence import carer

    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    admin, finder = builders.user("administrator", aim, "Knowsley"), builders.user("family_finder", aim, "Knowsley")
    sign_in(page, admin)
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Permanence")).to_have_count(0)
    page.goto("/permanence/functions/")
    check_accessibility(page, "permanence functions")
    enter_date(page, "Long-term fostering: runs it from", date(2020, 4, 1))
    page.get_by_label("Long-term fostering: phase (optional)").fill("Phase 2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Permanence functions saved")
    expect(page.get_by_role("row", name=re.compile("^Long-term fostering 1 April 2020 Phase 2 Active"))).to_be_visible()
    sign_out(page)

    child = builders.child(aim, date_of_birth=date(2016, 5, 1), needs={"trauma": "medium"})
    plan = services.add_plan(child, "long_term_fostering", date(2026, 1, 5), by=finder)
    suitable, too_young_only = carer(aim, capabilities={"trauma": "high"}), carer(aim, age_max=4)
    sign_in(page, finder)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Permanence").click()
    page.get_by_role("navigation", name="Permanence").get_by_role("link", name="Plans").click()
    check_accessibility(page, "permanence plans")
    page.get_by_role("link", name=plan.reference).click()
    check_accessibility(page, "long-term fostering plan")
    page.get_by_role("link", name="Long-term foster carers who could be considered").click()
    expect(page.get_by_role("heading", level=3)).to_have_text(re.compile(rf"^1\. {suitable.reference} · \d+ points$"))
    expect(
        page.get_by_role("row", name=re.compile(rf"^{too_young_only.reference} .*approved for children aged 0 to 4"))
    ).to_be_visible()
    check_accessibility(page, "long-term fostering shortlist")


def test_the_decision_maker_approves_a_foster_carer_and_an_administrator_sets_the_targets(page, check_accessibility):
    from datetime import date

    from tests.browser.helpers import sign_out
    from tests.permanence.matrix_permanence import FOSTER_APPROVAL, carer

    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    run_functions(aim)
    record = carer(aim, steps=FOSTER_APPROVAL[:4])
    sign_in(page, builders.user("adm", aim, "Knowsley"))
    page.goto(f"/permanence/carers/{record.pk}/")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the decision")
    check_accessibility(page, "decision form")
    page.get_by_role("group", name="Step", exact=True).get_by_role("radio", name="Approved (ADM decision)").check()
    enter_date(page, "Date it happened", date(2024, 8, 12))
    page.get_by_role("button", name="Record step").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Approved (ADM decision) recorded for {record.reference}")
    expect(page.get_by_text("Foster carer (long-term fostering) · Approved")).to_be_visible()
    # The date was wrong: the decision maker corrects it by a superseding entry.
    page.get_by_role("link", name="Correct or withdraw a decision").click()
    check_accessibility(page, "decisions in force")
    page.get_by_role("link", name="Correct or withdraw Approved (ADM decision) of 12 August 2024").click()
    check_accessibility(page, "decision correction form")
    enter_date(page, "Correct date", date(2024, 8, 14))
    page.get_by_label("Reason for the correction").fill("The decision was signed on the 14th")
    page.get_by_role("button", name="Record correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Correction recorded")
    record.refresh_from_db()
    assert record.approved_on == date(2024, 8, 14)
    sign_out(page)

    sign_in(page, builders.user("administrator", aim, "Knowsley"))
    page.goto("/permanence/")
    page.get_by_role("link", name="Set the agency's permanence timescale targets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Permanence timescale targets")
    check_accessibility(page, "permanence targets")
    page.get_by_label("Connected persons match within, in weeks of the plan").fill("0")
    page.get_by_role("button", name="Save targets").click()
    error_summary(page, "Permanence timescale targets")
    check_accessibility(page, "permanence targets with errors")
    page.get_by_label("Connected persons match within, in weeks of the plan").fill("20")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_role("alert")).to_contain_text("Permanence targets saved")
