"""Information sharing through a real browser: a family finder sees another council's child as an
anonymised profile; a team manager opens a sealed adoption record by giving a reason (refused
without one); an administrator sets the agency's rules. axe-core checks every page."""

from datetime import date

import pytest
from playwright.sync_api import expect

from openraa.audit.models import RecordView
from openraa.people.models import InformationSharing
from tests import builders
from tests.browser.helpers import error_summary, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_profiles_sealed_records_and_the_rules(page, check_accessibility):
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    finder = builders.user("family_finder", aim, "Knowsley")
    manager = builders.user("team_manager", aim, "Knowsley")
    admin = builders.user("administrator", aim, "Knowsley")
    waiting = builders.child(
        aim,
        "Liverpool",
        first_name="Lou",
        last_name="Liverpoolchild",
        birth_mother_name="Pat Testmother",
        needs={"attachment": "high"},
    )
    household = builders.household(aim, "Knowsley")
    adopted = builders.child(
        aim,
        "Knowsley",
        first_name="Ash",
        last_name="Adoptedchild",
        household=household,
        linked_on=date(2024, 1, 8),
        matching_panel_on=date(2024, 2, 5),
        matched_on=date(2024, 2, 12),
        placed_on=date(2024, 3, 1),
        adoption_order_on=date(2024, 9, 2),
    )

    sign_in(page, finder)
    page.goto(f"/children/{waiting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(waiting.reference)
    expect(page.get_by_text("Attachment difficulties (High)")).to_be_visible()
    for secret in ("Lou", "Liverpoolchild", "Pat Testmother"):
        expect(page.get_by_text(secret)).to_have_count(0)
    check_accessibility(page, "anonymised profile")
    sign_out(page)

    sign_in(page, manager)
    page.goto(f"/children/{adopted.pk}/")
    expect(page.get_by_text("The record is sealed")).to_be_visible()
    check_accessibility(page, "sealed record: reason")
    page.get_by_role("button", name="Open the sealed record").click()
    error_summary(page, f"{adopted.reference}: sealed adoption record")
    check_accessibility(page, "sealed record: no reason")
    page.get_by_label("Adopted adult's request for records (birth records access)").check()
    page.get_by_label("Say why, in your own words").fill("The adopted adult asked for access to her birth records")
    page.get_by_role("button", name="Open the sealed record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ash Adoptedchild")
    assert RecordView.objects.get(record_id=adopted.pk, channel="sealed").reason.startswith("Adopted adult's")
    sign_out(page)

    sign_in(page, admin)
    page.goto("/partnership/")
    page.get_by_role("link", name="Information sharing").click()
    check_accessibility(page, "information-sharing rules")
    page.get_by_label("Ethnicity").check()
    page.get_by_role("button", name="Save the rules").click()
    expect(page.get_by_text("Information-sharing rules saved")).to_be_visible()
    assert InformationSharing.objects.get(agency=aim).profile_fields == ["ethnicity"]
