"""The shared record through a real browser: sign in with the GOV.UK form, read and edit a child as
a council's social worker, stay out of another council's children, see errors the GOV.UK way, sign
out. axe-core checks every page visited, as several roles."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from openraa.children.models import Child, ChildNeed
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(transactional_db):
    """Agency AIM: Knowsley (host) and Liverpool. A Knowsley child allocated to the Knowsley social
    worker, a Knowsley child linked with a Knowsley household, and a Liverpool child."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    users = {
        "knowsley_worker": builders.user("social_worker", aim, "Knowsley"),
        "liverpool_worker": builders.user("social_worker", aim, "Liverpool"),
        "team_manager": builders.user("team_manager", aim, "Knowsley"),
        "board_member": builders.user("board_member", aim, "Liverpool"),
        "administrator": builders.user("administrator", aim, "Knowsley"),
    }
    knowsley_child = builders.child(aim, "Knowsley", first_name="Kit", last_name="Knowsleychild",
                                    needs={"trauma": "low"})
    knowsley_child.allocated_workers.add(users["knowsley_worker"])
    household = builders.household(aim, "Knowsley", capabilities={"trauma": "high"})
    linked_child = builders.child(aim, "Knowsley", first_name="Lee", last_name="Linkedchild",
                                  household=household, linked_on=date(2023, 10, 1))
    liverpool_child = builders.child(aim, "Liverpool", first_name="Lou", last_name="Liverpoolchild")
    return {"agency": aim, **users, "knowsley_child": knowsley_child, "linked_child": linked_child,
            "liverpool_child": liverpool_child, "household": household}


def sign_in(page, user, check_accessibility=None):
    """Sign in through the real sign-in form and land on the home page."""
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")
    if check_accessibility:
        check_accessibility(page, "sign-in")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(builders.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(user.agency.name)
    expect(page.get_by_text(f"Signed in as {user}")).to_be_visible()


def date_boxes(page, legend: str):
    group = page.get_by_role("group", name=legend, exact=True)
    return group.get_by_label("Day"), group.get_by_label("Month"), group.get_by_label("Year")


def enter_date(page, legend: str, when: date | None) -> None:
    for box, value in zip(date_boxes(page, legend), (when.day, when.month, when.year) if when else ("", "", "")):
        box.fill(str(value))


def test_knowsley_worker_finds_edits_and_sees_the_change(page, region, check_accessibility):
    worker, child = region["knowsley_worker"], region["knowsley_child"]
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

    page.get_by_role("button", name=f"Edit {child.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {child.reference}")
    check_accessibility(page, "child edit form")
    day, month, year = date_boxes(page, "Placement order")
    expect(day).to_have_value("1")
    expect(month).to_have_value("9")
    expect(year).to_have_value("2023")
    enter_date(page, "Early permanence placement", date(2023, 10, 2))
    page.get_by_label("Attachment difficulties").select_option(label="Medium")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"/children/{child.pk}/$"))
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Success")
    expect(banner).to_contain_text(f"{child.reference} saved")
    expect(page.get_by_text("Knowsley · Early permanence placement")).to_be_visible()  # the derived stage
    expect(page.locator(".govuk-summary-list__row", has_text="Needs")).to_contain_text("Attachment difficulties (Medium)")
    expect(page.locator(".openraa-timeline")).to_contain_text("Early permanence placement")
    expect(page.locator(".openraa-timeline")).to_contain_text("2 October 2023")
    changes = page.get_by_role("table", name="Who changed what and when")
    # The row naming the field (by column name today, by its label should that change) and the new date.
    date_change = changes.get_by_role("row").filter(has_text=re.compile(r"early_permanence_on|Early permanence", re.I))
    expect(date_change).to_have_count(1)
    expect(date_change).to_contain_text(str(worker))
    expect(date_change).to_contain_text("Changed")
    expect(date_change).to_contain_text(re.compile(r"\(blank\) → (2023-10-02|2 Oct(ober)? 2023)"))
    check_accessibility(page, "child detail after saving")

    child.refresh_from_db()
    assert child.early_permanence_on == date(2023, 10, 2)
    assert child.stage == "early_permanence"
    assert dict(child.needs.values_list("need", "severity")) == {"trauma": "low", "attachment": "medium"}
    assert child.history.latest("history_date").history_user == worker


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
    child = region["knowsley_child"]
    before = Child.objects.get(pk=child.pk)
    history_rows = child.history.count()
    needs = list(ChildNeed.objects.filter(child=child).values_list("need", "severity"))
    sign_in(page, region["knowsley_worker"])

    page.goto(f"/children/{child.pk}/edit/")
    enter_date(page, "Placement order", date(2022, 6, 1))  # before entering care on 10 January 2023
    page.get_by_label("Attachment difficulties").select_option(label="High")
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    link = summary.get_by_role("link", name="Placement order cannot be before entered care")
    expect(link).to_have_attribute("href", "#id_placement_order_on_0")
    expect(page.locator("#id_placement_order_on_error")).to_contain_text("Placement order cannot be before entered care")
    expect(page).to_have_title(re.compile(f"^Error: Edit {child.reference}"))  # GOV.UK: errors start the title
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    check_accessibility(page, "child edit form with errors")
    link.click()
    expect(date_boxes(page, "Placement order")[0]).to_be_focused()
    # What was typed is kept for correction.
    expect(date_boxes(page, "Placement order")[2]).to_have_value("2022")
    expect(page.get_by_label("Attachment difficulties")).to_have_value("high")

    # Correct it, but give a date in the future and one that is not a date.
    enter_date(page, "Placement order", date(2023, 9, 1))
    enter_date(page, "Early permanence placement", date(date.today().year + 1, 1, 1))
    day, month, year = date_boxes(page, "Adoption order")
    day.fill("31"), month.fill("2"), year.fill("2024")
    page.get_by_role("button", name="Save").click()
    expect(summary.get_by_role("link", name="Early permanence placement cannot be in the future")).to_have_attribute(
        "href", "#id_early_permanence_on_0")
    expect(summary.get_by_role("link", name="Enter a real date")).to_have_attribute("href", "#id_adoption_order_on_0")
    check_accessibility(page, "child edit form with future and unreal dates")

    after = Child.objects.get(pk=child.pk)
    assert (after.placement_order_on, after.early_permanence_on, after.adoption_order_on, after.stage) == (
        before.placement_order_on, before.early_permanence_on, before.adoption_order_on, before.stage)
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
    expect(page.get_by_role("table", name="Latest changes")).to_contain_text(region["knowsley_child"].reference)
    check_accessibility(page, "audit log")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership").click()
    expect(page.get_by_role("table", name="Staff", exact=True)).to_contain_text(region["board_member"].username)
    check_accessibility(page, "partnership page as administrator")
