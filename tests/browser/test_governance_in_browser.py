"""An administrator sees AIM's partnership agreement approaching expiry on the home page, follows the
reminder, records an extension (after one refused the GOV.UK way) and the reminder goes. axe-core
checks every page visited."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from openraa.governance.models import Agreement, AgreementExtension
from tests import builders
from tests.browser.helpers import enter_date, error_summary, long_date, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_extends_an_agreement_from_the_home_page_reminder(page, check_accessibility):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    administrator = builders.user("administrator", aim, "Knowsley")
    today = timezone.localdate()
    expires = today + timedelta(days=30)
    agreement = Agreement.objects.create(
        agency=aim,
        title="AIM partnership agreement",
        kind="partnership",
        starts_on=(expires + timedelta(days=1)).replace(year=expires.year - 3),
        term_years=3,
        reminder_days=90,
    )
    assert agreement.expires_on == expires

    sign_in(page, administrator, check_accessibility)
    reminders = page.get_by_role("region", name="Governance reminders")
    expect(reminders).to_contain_text(f"expiring soon, expires {long_date(expires)}")
    check_accessibility(page, "home with a governance reminder")
    reminders.get_by_role("link", name="AIM partnership agreement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("AIM partnership agreement")
    expect(page.get_by_text("Expiring soon")).to_be_visible()
    check_accessibility(page, "agreement approaching expiry")
    page.get_by_role("button", name="Record an extension").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Record an extension of AIM partnership agreement")
    check_accessibility(page, "extension form")
    enter_date(page, "New expiry date", today - timedelta(days=1))
    enter_date(page, "Date the extension was decided", today)
    page.get_by_label("Why it was extended").fill("Extended for a year pending the review of the partnership")
    page.get_by_role("button", name="Record the extension").click()
    summary = error_summary(page, "Record an extension")
    expect(summary).to_contain_text("The new expiry date must be after the current one")
    check_accessibility(page, "extension form with an error")
    assert not AgreementExtension.objects.exists()

    new_expiry = today + timedelta(days=395)
    enter_date(page, "New expiry date", new_expiry)
    page.get_by_role("button", name="Record the extension").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("AIM partnership agreement")
    expect(page.get_by_text(f"now expires on {new_expiry:%d/%m/%Y}")).to_be_visible()
    expect(page.get_by_text("In force", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Extensions"))).to_contain_text("Extended for a year pending")
    check_accessibility(page, "agreement after the extension")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Home").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("region", name="Governance reminders")).to_have_count(0)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Governance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance")
    check_accessibility(page, "governance overview")


def test_every_governance_page_of_the_demo_passes_axe(page, check_accessibility):
    from openraa.governance.demo import load_aim_governance
    from openraa.governance.models import Board, Complaint, Document, InterCountryCase

    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    administrator = builders.user("administrator", aim, "Knowsley")
    load_aim_governance(aim)
    board, complaint = Board.objects.get(kind="management"), Complaint.objects.get()
    sign_in(page, administrator)
    for label, url in (
        ("overview", "/governance/"),
        ("board", f"/governance/boards/{board.pk}/"),
        ("meeting form", f"/governance/boards/{board.pk}/meetings/new/"),
        ("document", f"/governance/documents/{Document.objects.first().pk}/"),
        ("board form", "/governance/boards/new/"),
        ("workstream form", "/governance/workstreams/new/"),
        ("complaints", "/governance/complaints/"),
        ("complaint", f"/governance/complaints/{complaint.pk}/"),
        ("complaint response", f"/governance/complaints/{complaint.pk}/response/"),
        ("complaint escalation", f"/governance/complaints/{complaint.pk}/escalate/"),
        ("inter-country case", f"/governance/inter-country/{InterCountryCase.objects.get().pk}/"),
        ("inter-country form", "/governance/inter-country/new/"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check_accessibility(page, f"governance {label}")
