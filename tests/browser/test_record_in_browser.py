"""The shared record through a real browser: sign in with the GOV.UK form, read and edit a child as
a council's social worker and record a step of their journey, correct it, stay out of another
council's children, see errors the GOV.UK way, sign out. axe-core checks every page visited, as
several roles."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from openraa.children.models import Child, ChildNeed
from tests import builders
from tests.browser.helpers import date_boxes, enter_date, error_summary, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(transactional_db):
    """Agency AIM: Knowsley (host) and Liverpool. A Knowsley child allocated to the Knowsley social
    worker (placement order made: family finding), a Knowsley child linked with a Knowsley
    household, a household dually approved for early permanence, and a Liverpool child."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    users = {
        "knowsley_worker": builders.user("social_worker", aim, "Knowsley"),
        "liverpool_worker": builders.user("social_worker", aim, "Liverpool"),
        "team_manager": builders.user("team_manager", aim, "Knowsley"),
        "board_member": builders.user("board_member", aim, "Liverpool"),
        "administrator": builders.user("administrator", aim, "Knowsley"),
    }
    knowsley_child = builders.child(
        aim, "Knowsley", first_name="Kit", last_name="Knowsleychild", needs={"trauma": "low"}
    )
    knowsley_child.allocated_workers.add(users["knowsley_worker"])
    household = builders.household(aim, "Knowsley", capabilities={"trauma": "high"})
    linked_child = builders.child(
        aim, "Knowsley", first_name="Lee", last_name="Linkedchild", household=household, linked_on=date(2023, 10, 1)
    )
    liverpool_child = builders.child(aim, "Liverpool", first_name="Lou", last_name="Liverpoolchild")
    carers = builders.household(aim, "Knowsley", early_permanence=True)
    return {
        "agency": aim,
        **users,
        "knowsley_child": knowsley_child,
        "linked_child": linked_child,
        "liverpool_child": liverpool_child,
        "household": household,
        "carers": carers,
    }


def test_knowsley_worker_finds_edits_and_sees_the_change(page, region, check_accessibility):
    """The record's form edits what describes the child; the journey moves only by a recorded,
    dated step, which a correction supersedes without erasing."""
    worker, child, carers = region["knowsley_worker"], region["knowsley_child"], region["carers"]
    sign_in(page, worker, check_accessibility)
    check_accessibility(page, "home as social worker")
    expect(page.get_by_role("link", name=re.compile(child.reference))).to_be_visible()  # allocated to them

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")
    check_accessibility(page, "children list as social worker")
    table = page.get_by_role("table", name="Children you may see")
    expect(table.get_by_role("link", name=child.reference)).to_be_visible()
    expect(table.get_by_role("link", name=region["linked_child"].reference)).to_be_visible()
    expect(table.get_by_role("link", name=region["liverpool_child"].reference)).to_have_count(0)
    expect(table).not_to_contain_text("Liverpool")

    table.get_by_role("link", name=child.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{child.reference}: Kit Knowsleychild")
    check_accessibility(page, "child detail as social worker")

    # The record's form: needs, not milestone dates.
    page.get_by_role("button", name=f"Edit {child.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {child.reference}")
    check_accessibility(page, "child edit form")
    expect(page.get_by_role("group", name="Placement order")).to_have_count(0)
    page.get_by_label("Attachment difficulties").select_option(label="Medium")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"{child.reference} saved")
    expect(page.locator(".govuk-summary-list__row", has_text="Needs")).to_contain_text(
        "Attachment difficulties (Medium)"
    )

    # The journey: record a step. Only the steps that can follow family finding are offered.
    page.get_by_role("button", name="Record a step").click()
    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/steps/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a step")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{child.reference} · Placement order: family finding")
    steps = page.get_by_role("group", name="Step", exact=True)
    expect(steps.get_by_role("radio", name="Link with a household")).to_be_visible()
    expect(steps.get_by_role("radio", name="Match decision (ADM)")).to_have_count(0)
    expect(steps.get_by_role("radio", name="Placement order")).to_have_count(0)  # already made
    check_accessibility(page, "step form")
    steps.get_by_role("radio", name="Early permanence placement").check()
    enter_date(page, "Date it happened", date(2023, 10, 2))
    page.get_by_label("Early permanence carers").select_option(label=carers.reference)
    page.get_by_label("Kind of early permanence").select_option(label="Foster to Adopt (Fostering for Adoption)")
    page.get_by_label("Note (optional)").fill("Placed with dually approved carers")
    page.get_by_role("button", name="Record step").click()

    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text(f"Early permanence placement recorded for {child.reference}")
    expect(page.get_by_text("Knowsley · Early permanence placement")).to_be_visible()  # the derived stage
    expect(page.locator(".govuk-summary-list__row", has_text="Household")).to_contain_text(carers.reference)
    journey = page.locator(".openraa-timeline")
    entry = journey.get_by_role("listitem").filter(has_text="Early permanence placement")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("2 October 2023")
    expect(entry).to_contain_text(f"recorded by {worker}")
    expect(entry).to_contain_text("Placed with dually approved carers")
    changes = page.get_by_role("table", name="Who changed what and when")
    date_change = changes.get_by_role("row").filter(has_text="Early permanence placement:")
    expect(date_change).to_have_count(1)
    expect(date_change).to_contain_text(str(worker))
    expect(date_change).to_contain_text("Changed")
    expect(date_change).to_contain_text("Early permanence placement: (blank) → 2 Oct 2023")
    expect(changes.get_by_role("row").filter(has_text="(Need)").filter(has_text="Attachment")).to_have_count(1)
    check_accessibility(page, "child detail after recording a step")

    # The date was a day out: correct it. The entry stays, struck through, with the reason.
    entry.get_by_role("link", name="Correct Early permanence placement of 2 October 2023").click()
    expect(page.get_by_role("heading", level=1)).to_have_text('Correct "Early permanence placement" of 2 October 2023')
    expect(page.get_by_label("Early permanence carers")).to_have_value(str(carers.pk))  # the details carry over
    check_accessibility(page, "correction form")
    page.get_by_role("radio", name="Correct the date or details").check()
    enter_date(page, "Correct date", date(2023, 10, 3))
    page.get_by_label("Reason for the correction").fill("The placement plan shows the move on the 3rd")
    page.get_by_role("button", name="Save correction").click()

    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Correction recorded")
    entries = journey.get_by_role("listitem").filter(has_text="Early permanence placement")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("3 October 2023")  # newest date first
    expect(entries.nth(0)).to_contain_text("Corrects the entry of 2 October 2023")
    expect(entries.nth(0)).to_contain_text("The placement plan shows the move on the 3rd")
    expect(entries.nth(1).locator("del")).to_have_text("Early permanence placement")  # struck through
    expect(entries.nth(1)).to_contain_text("Superseded on")
    expect(entries.nth(1).get_by_role("link", name=re.compile("^Correct"))).to_have_count(0)
    check_accessibility(page, "child detail after a correction")

    child.refresh_from_db()
    assert child.early_permanence_on == date(2023, 10, 3)
    assert (child.stage, child.early_permanence_kind, child.household_id) == (
        "early_permanence",
        "foster_to_adopt",
        carers.pk,
    )
    assert dict(child.needs.values_list("need", "severity")) == {"trauma": "low", "attachment": "medium"}
    assert child.history.latest("history_date").history_user == worker
    original, correction = child.steps.filter(kind="early_permanence").order_by("id")
    assert correction.supersedes == original and correction.recorded_by == worker
    assert original.occurred_on == date(2023, 10, 2)  # never rewritten


def test_liverpool_worker_cannot_see_or_reach_a_knowsley_child(page, region, check_accessibility):
    knowsley_child, liverpool_child = region["knowsley_child"], region["liverpool_child"]
    sign_in(page, region["liverpool_worker"])

    page.goto("/children/")
    table = page.get_by_role("table", name="Children you may see")
    expect(table.get_by_role("link", name=liverpool_child.reference)).to_be_visible()
    expect(table.get_by_role("link", name=knowsley_child.reference)).to_have_count(0)
    expect(table).not_to_contain_text("Knowsley")
    expect(page.get_by_text("1 child", exact=True)).to_be_visible()

    # Searching by reference does not find it either.
    page.get_by_label("Search by reference or name").fill(knowsley_child.reference)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No children match these filters.")).to_be_visible()

    for path in (f"/children/{knowsley_child.pk}/", f"/children/{knowsley_child.pk}/edit/"):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(page.locator("main")).not_to_contain_text("Knowsleychild")
        expect(page).to_have_title(re.compile("^Page not found"))
    check_accessibility(page, "404 page")

    # Their own council's child opens as normal.
    response = page.goto(f"/children/{liverpool_child.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{liverpool_child.reference}: Lou Liverpoolchild")


def test_bad_dates_show_the_error_summary_and_save_nothing(page, region, check_accessibility):
    """A step whose date is impossible (before the child entered care, in the future, not a date)
    is refused with the GOV.UK error summary, keeps what was typed, and changes nothing."""
    child = builders.child(
        region["agency"], "Knowsley", first_name="Pip", last_name="Plannedchild", placement_order_on=None
    )  # should be placed: a placement order comes next
    before = Child.objects.get(pk=child.pk)
    history_rows, steps = child.history.count(), list(child.steps.values_list("pk", flat=True))
    needs = list(ChildNeed.objects.filter(child=child).values_list("need", "severity"))
    sign_in(page, region["knowsley_worker"])

    page.goto(f"/children/{child.pk}/")
    page.get_by_role("button", name="Record a step").click()
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{child.reference} · Should be placed for adoption")
    page.get_by_role("radio", name="Placement order").check()
    enter_date(page, "Date it happened", date(2022, 6, 1))  # before entering care on 10 January 2023
    page.get_by_label("Note (optional)").fill("Sealed order")
    page.get_by_role("button", name="Record step").click()

    summary = error_summary(page, f"Record a step for {child.reference}")
    # The machine explains why: on that date the child was not yet in care, so no order could follow.
    why = re.compile(
        r"^Placement order cannot be recorded on 1 June 2022: on that date the child was at 'Adoption being considered'"
        r".*where the next step can be: entered care"
    )
    link = summary.get_by_role("link", name=why)
    expect(link).to_have_attribute("href", "#id_occurred_on_0")
    expect(page.locator("#id_occurred_on_error")).to_contain_text("Placement order cannot be recorded on 1 June 2022")
    check_accessibility(page, "step form with errors")
    link.click()
    expect(date_boxes(page, "Date it happened")[0]).to_be_focused()
    # What was typed is kept for correction.
    expect(page.get_by_role("radio", name="Placement order")).to_be_checked()
    expect(date_boxes(page, "Date it happened")[2]).to_have_value("2022")
    expect(page.get_by_label("Note (optional)")).to_have_value("Sealed order")

    # A date in the future.
    enter_date(page, "Date it happened", date(date.today().year + 1, 1, 1))
    page.get_by_role("button", name="Record step").click()
    summary = error_summary(page, f"Record a step for {child.reference}")
    expect(summary.get_by_role("link", name="Placement order cannot be in the future")).to_have_attribute(
        "href", "#id_occurred_on_0"
    )

    # A date that does not exist.
    enter_date(page, "Date it happened", (31, 2, 2024))
    page.get_by_role("button", name="Record step").click()
    summary = error_summary(page, f"Record a step for {child.reference}")
    link = summary.get_by_role("link", name="Enter a real date")
    expect(link).to_have_attribute("href", "#id_occurred_on_0")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    check_accessibility(page, "step form with an unreal date")
    link.click()
    expect(date_boxes(page, "Date it happened")[0]).to_be_focused()

    after = Child.objects.get(pk=child.pk)
    assert (
        (after.placement_order_on, after.stage)
        == (before.placement_order_on, before.stage)
        == (None, "should_be_placed")
    )
    assert list(child.steps.values_list("pk", flat=True)) == steps
    assert child.history.count() == history_rows
    assert list(ChildNeed.objects.filter(child=child).values_list("need", "severity")) == needs


def test_wrong_password_is_refused_with_an_error_summary(page, region, check_accessibility):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(region["knowsley_worker"].username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    check_accessibility(page, "sign-in with errors")
    assert page.goto("/children/").url.endswith("/sign-in/?next=/children/")


def test_sign_out_ends_the_session(page, region):
    sign_in(page, region["knowsley_worker"])
    # Keyboard users first meet the skip link, which takes them past the navigation.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    for path in ("/", "/children/", f"/children/{region['knowsley_child'].pk}/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")


def test_team_manager_pages_are_accessible(page, region, check_accessibility):
    sign_in(page, region["team_manager"])
    check_accessibility(page, "home as team manager")

    page.goto("/children/")
    check_accessibility(page, "children list as team manager")
    page.goto(f"/children/{region['linked_child'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(region["linked_child"].reference)
    check_accessibility(page, "child detail (linked) as team manager")
    page.goto("/children/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a child")
    check_accessibility(page, "child add form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page, "child add form with errors")

    page.goto("/children/")
    page.get_by_role("link", name="Start a sibling group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a sibling group")
    check_accessibility(page, "sibling group form")
    page.get_by_label("Place together").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason the plan places these children apart")
    check_accessibility(page, "sibling group form with errors")

    page.goto("/households/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adopter households")
    check_accessibility(page, "households list")
    page.get_by_role("link", name=region["household"].reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sam Testadopter")
    check_accessibility(page, "household detail")
    page.goto("/households/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a household")
    check_accessibility(page, "household add form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(page, "household add form with errors")

    # Drift: their own items (none allocated), then the agency's, filtered to one council.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Drift").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your overdue and due-soon items")
    expect(page.get_by_text("Nothing is overdue or due in the next 14 days.")).to_be_visible()
    check_accessibility(page, "drift (mine) as team manager")
    page.get_by_role("link", name="Drift and caseloads across the agency").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drift and caseloads")
    items = page.get_by_role("table", name="Overdue and due soon")
    child, liverpool_child = region["knowsley_child"], region["liverpool_child"]
    expect(
        items.get_by_role("row")
        .filter(has_text=child.reference)
        .filter(has_text="Placement order to match within 121 days")
    ).to_contain_text(str(region["knowsley_worker"]))
    # Four of the Liverpool child's timescales slip: referral, order to match and two waits.
    expect(items.get_by_role("link", name=liverpool_child.reference)).to_have_count(4)
    caseload = (
        page.get_by_role("table", name="Caseloads").get_by_role("row").filter(has_text=str(region["knowsley_worker"]))
    )
    expect(caseload.get_by_role("cell")).to_have_text(["1", "0", "4", "0"])  # 1 child, its 4 overdue items
    check_accessibility(page, "drift (agency) as team manager")
    page.get_by_role("search", name="Filter drift").get_by_label("Council").select_option(label="Knowsley")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Drift and caseloads: Knowsley")
    expect(page.get_by_role("table", name="By council").get_by_role("row")).to_have_count(3)  # head, Knowsley, total
    expect(items.get_by_role("link", name=child.reference).first).to_be_visible()
    expect(items.get_by_role("link", name=liverpool_child.reference)).to_have_count(0)
    expect(items).not_to_contain_text("Liverpool")
    check_accessibility(page, "drift (agency) filtered to a council")


def test_board_member_sees_counts_and_a_403_for_records(page, region, check_accessibility):
    sign_in(page, region["board_member"])
    check_accessibility(page, "home as board member")
    expect(page.get_by_role("table", name="Children by stage and council")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children")).to_have_count(0)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("table", name="Member councils")).to_contain_text("Liverpool")
    expect(page.get_by_role("table", name="Staff", exact=True)).to_have_count(0)  # administrators only
    check_accessibility(page, "partnership page as board member")

    response = page.goto(f"/children/{region['knowsley_child'].pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    expect(page.locator("main")).not_to_contain_text("Knowsleychild")
    check_accessibility(page, "403 page")


def test_administrator_reads_the_audit_log(page, region, check_accessibility):
    sign_in(page, region["administrator"])
    check_accessibility(page, "home as administrator")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.get_by_role("table", name="Audit entries")).to_contain_text(region["knowsley_child"].reference)
    check_accessibility(page, "audit log")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("table", name="Staff", exact=True)).to_contain_text(region["board_member"].username)
    check_accessibility(page, "partnership page as administrator")
