"""Family finding through a real browser: a family finder opens a child's shortlist, reads why the
first household ranks where it does and why another is excluded, records an expression of interest
(refused first while blank) and links the child with the household. axe-core checks every page."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from openraa.children.models import Child
from openraa.matching.models import Interest
from openraa.people.roles import Role
from tests import builders
from tests.browser.helpers import (
    enter_date,
    error_summary,
    long_date,
    short_date,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(transactional_db):
    """Agency AIM: Knowsley (host) and Liverpool. A Knowsley child at family finding with an
    attachment need, whose birth family lives in Liverpool; a Knowsley household that can meet the
    need, one in Liverpool (the birth family's council: excluded) and one approved only for older
    children (excluded)."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    child = builders.child(
        aim,
        "Knowsley",
        first_name="Kit",
        last_name="Knowsleychild",
        needs={"attachment": "medium"},
        birth_family_council=builders.council("Liverpool"),
        identification_risk=True,
    )
    fits = builders.household(aim, "Knowsley", capabilities={"attachment": "high"})
    near_birth_family = builders.household(
        aim, "Liverpool", postcode_district="L18", capabilities={"attachment": "high"}
    )
    older_only = builders.household(aim, "Knowsley", age_min=8, age_max=12, capabilities={"attachment": "high"})
    finder = builders.user(Role.FAMILY_FINDER, aim)
    return {
        "agency": aim,
        "child": child,
        "fits": fits,
        "near_birth_family": near_birth_family,
        "older_only": older_only,
        "finder": finder,
    }


def test_family_finder_shortlists_records_interest_and_links(page, region, check_accessibility):
    child, fits, finder = region["child"], region["fits"], region["finder"]
    near_birth_family, older_only = region["near_birth_family"], region["older_only"]
    sign_in(page, finder, check_accessibility)

    # The child's record, then its shortlist.
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{child.reference}: Kit Knowsleychild")
    expect(page.locator(".govuk-caption-l")).to_have_text("Knowsley · Placement order: family finding")
    page.get_by_role("link", name="Family finding: shortlist").click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/matching/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Family finding")
    expect(
        page.get_by_text("1 household of the region could be considered; 2 are excluded by a hard rule.", exact=False)
    ).to_be_visible()
    check_accessibility(page, "shortlist")

    # Only the household that breaks no hard rule is ranked, with its reasons.
    cards = page.locator(".govuk-summary-card")
    expect(cards).to_have_count(1)
    card = cards.first
    expect(card.get_by_role("heading", level=3)).to_contain_text(f"1. {fits.reference} · ")
    expect(card.get_by_role("heading", level=3)).to_contain_text("points")
    expect(card).to_contain_text("meets 1 of 1 need, 1 with a level to spare")
    expect(page.locator("main")).not_to_contain_text(near_birth_family.reference)
    # The points by factor, behind a GOV.UK details component.
    factors = card.get_by_role("table", name=f"Points by factor for {fits.reference}")
    expect(factors).to_be_hidden()
    card.locator(".govuk-details__summary", has_text="Points by factor").click()
    expect(factors).to_be_visible()
    needs_row = factors.get_by_role("row").filter(has_text="Meeting the child's needs")
    expect(needs_row).to_contain_text("meets 1 of 1 need")
    expect(needs_row.get_by_role("cell").last).to_have_text("25.0")
    expect(factors.get_by_role("row").filter(has_text="Time the household has waited")).to_have_count(1)
    expect(factors).not_to_contain_text("_")  # factor names in words, never codes
    check_accessibility(page, "shortlist with points by factor open")

    # Why the others are excluded.
    page.get_by_role("link", name="Show why each of the 2 excluded households was excluded").click()
    expect(page).to_have_url(re.compile(r"\?excluded=1$"))
    reasons = page.get_by_role("table", name="Why each excluded household was excluded")
    expect(reasons.get_by_role("row").filter(has_text=near_birth_family.reference)).to_contain_text("Liverpool")
    expect(reasons.get_by_role("row").filter(has_text=older_only.reference)).to_contain_text("8 to 12")
    expect(reasons.get_by_role("row").filter(has_text=fits.reference)).to_have_count(0)
    check_accessibility(page, "shortlist with the reasons for exclusion")

    # An expression of interest: refused while blank, then recorded.
    expect(page.get_by_text("None recorded.").first).to_be_visible()
    card.get_by_role("link", name=f"Record interest with {fits.reference}").click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/matching/{fits.pk}/interest/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an expression of interest")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{child.reference} and {fits.reference}")
    # The household's rules, before anything is recorded.
    expect(page.get_by_text(f"{fits.reference} breaks no hard rule for these children.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Approved for up to 2 children aged 0 to 6")).to_have_count(1)
    expect(page.get_by_text("It holds 0 open interests of the 3 its agency allows.")).to_be_visible()
    check_accessibility(page, "interest form")
    page.get_by_role("button", name="Save").click()
    summary = error_summary(page, "Record an expression of interest")
    expect(summary.get_by_role("link", name="Select who is interested")).to_have_attribute("href", "#id_direction_0")
    expect(summary.get_by_role("link", name="Enter date")).to_have_attribute("href", "#id_expressed_on_0")
    check_accessibility(page, "interest form with errors")
    assert not Interest.objects.exists()

    interested = page.get_by_role("group", name="Who is interested?")
    interested.get_by_role("radio", name="The household is interested in the child").check()
    enter_date(page, "Date", date(2025, 2, 3))
    page.get_by_label("Note (optional)").fill("They asked after the profile at the activity day")
    check_accessibility(page, "interest form filled in")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/matching/$"))
    expect(page.get_by_role("alert")).to_contain_text("Expression of interest recorded")
    interests = page.get_by_role("table", name="Expressions of interest and their outcomes")
    listed = interests.get_by_role("row").filter(has_text=fits.reference)
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("The household is interested in the child")
    expect(listed).to_contain_text(short_date(date(2025, 2, 3)))
    expect(listed).to_contain_text("Open")
    expect(listed).to_contain_text("They asked after the profile at the activity day")

    # The link.
    page.locator(".govuk-summary-card").first.get_by_role("link", name=f"Link with {fits.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Link with this household")
    check_accessibility(page, "link form")
    enter_date(page, "Date of the link", date(2025, 2, 5))
    page.get_by_label("Note (optional)").fill("Agreed at the family finding meeting")
    page.get_by_role("button", name="Continue").click()
    # Nothing is linked until the family finder confirms what the link will do.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm the link")
    expect(page.get_by_text("No other open interest is affected.", exact=False)).to_be_visible()
    check_accessibility(page, "link confirmation")
    assert Child.objects.get(pk=child.pk).stage == "family_finding"
    page.get_by_role("button", name="Confirm the link").click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/matching/$"))
    expect(page.get_by_role("alert")).to_contain_text("Link recorded: take it to the matching panel when ready")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{child.reference} · Linked")
    listed = page.get_by_role("table", name="Expressions of interest and their outcomes").get_by_role("row")
    expect(listed.filter(has_text=fits.reference)).to_contain_text("Led to a link")

    # The child's record: stage Linked, the household, and the step in the journey.
    page.get_by_role("link", name=f"Back to {child.reference}").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Knowsley · Linked")
    expect(page.locator(".govuk-summary-list__row", has_text="Household")).to_contain_text(fits.reference)
    entry = page.locator(".openraa-timeline").get_by_role("listitem").filter(has_text="Link with a household")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(long_date(date(2025, 2, 5)))
    expect(entry).to_contain_text(f"recorded by {finder}")
    expect(entry).to_contain_text("Agreed at the family finding meeting")
    check_accessibility(page, "child detail after the link")

    child = Child.objects.get(pk=child.pk)
    assert (child.stage, child.household_id, child.linked_on) == ("linked", fits.pk, date(2025, 2, 5))
    interest = Interest.objects.get()
    assert (interest.status, interest.recorded_by, interest.direction) == ("linked", finder, "from_household")

    # The regional page, and the agency's matching settings it links to.
    page.goto("/matching/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Family finding across the region")
    check_accessibility(page, "family finding across the region")
    page.get_by_role("link", name="matching settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Matching settings")
    expect(page.get_by_role("button", name="Change matching settings")).to_have_count(0)  # family finders read only
    check_accessibility(page, "matching settings as family finder")


def test_team_manager_changes_the_weights_and_bad_values_are_refused(page, region, check_accessibility):
    child, fits = region["child"], region["fits"]
    manager = builders.user(Role.TEAM_MANAGER, region["agency"])
    neighbour = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    sign_in(page, manager)
    page.goto("/matching/settings/")
    expect(page.get_by_text("The agency uses the defaults.", exact=False)).to_be_visible()
    page.get_by_role("button", name="Change matching settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change matching settings")
    expect(
        page.get_by_text(
            "Households of a neighbouring agency are searched only when both agencies name each other", exact=False
        ).first
    ).to_be_visible()
    check_accessibility(page, "matching settings form")
    sharing = page.get_by_role("group", name="Neighbouring agencies whose households are searched")
    expect(sharing.get_by_role("checkbox")).to_have_count(1)  # every other agency, never this one
    sharing.get_by_role("checkbox", name=neighbour.name).check()

    page.get_by_label("Meeting the child's needs").fill("150")
    page.get_by_label("Identification radius").fill("ten")
    page.get_by_role("button", name="Save settings").click()
    summary = error_summary(page, "Change matching settings")
    expect(summary.get_by_role("link", name="Meeting the child's needs must be 100 points or less")).to_have_attribute(
        "href", "#id_needs"
    )
    expect(summary.get_by_role("link", name="Identification radius must be a number, like 15")).to_be_visible()
    expect(page.get_by_label("Meeting the child's needs")).to_have_value("150")  # what was typed is kept
    check_accessibility(page, "matching settings form with errors")

    page.get_by_label("Meeting the child's needs").fill("100")
    page.get_by_label("Distance from the child").fill("0")
    page.get_by_label("Identification radius").fill("30")
    page.get_by_role("button", name="Save settings").click()
    expect(page).to_have_url(re.compile(r"/matching/settings/$"))
    expect(page.get_by_role("alert")).to_contain_text("Matching settings saved")
    expect(page.locator(".govuk-summary-list__row", has_text="Meeting the child's needs")).to_contain_text("100 points")
    expect(page.get_by_role("table", name="Who changed the matching settings and when")).to_contain_text(str(manager))
    # Named, but the neighbour has not named this agency back: its households are not searched yet.
    expect(page.locator(".govuk-summary-list__row", has_text=neighbour.name)).to_contain_text(
        f"Not searched {neighbour.name} does not name {region['agency'].name}"
    )
    check_accessibility(page, "matching settings after a change")

    page.goto(f"/children/{child.pk}/matching/")
    card = page.locator(".govuk-summary-card").first
    card.locator(".govuk-details__summary", has_text="Points by factor").click()
    needs_row = (
        card.get_by_role("table", name=f"Points by factor for {fits.reference}")
        .get_by_role("row")
        .filter(has_text="Needs")
    )
    expect(needs_row.get_by_role("cell").last).to_have_text("100.0")
