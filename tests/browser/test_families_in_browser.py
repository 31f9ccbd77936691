"""The families' side through a real browser: a member of the public registers interest at the front
door and the chosen agency's worker (and no other agency's) finds the enquiry; an approved adopter
signs in with a password and an e-mailed code, expresses interest in a published profile and follows
it until the child's family finder declines it; an adopter reaches no staff page, API or other
family's record. axe-core checks every page visited.

The live server runs in a thread of this process, so the e-mails it sends land in Django's locmem
mail.outbox, where the test reads the sign-in code as the family would from their inbox."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from openraa.common.models import today
from openraa.families import services
from openraa.families.models import AdopterAccount, Enquiry, FrontDoorSettings
from openraa.matching.models import Interest
from openraa.people.roles import Role
from tests import builders
from tests.browser.helpers import enter_date, long_date, open_tab, sign_in
from tests.families.conftest import ADOPTER_PASSWORD, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The front door and the adopters' sign-in count posts per address in the cache, which outlives
    a test: every test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_tab(browser, live_server):
    """other_tab(): another person's browser (its own cookies), closed after the test."""
    tabs = []

    def open_one():
        tabs.append(open_tab(browser, live_server.url))
        return tabs[-1]

    yield open_one
    for tab in tabs:
        tab.context.close()


@pytest.fixture
def region(transactional_db):
    """Agency AIM (Knowsley, Liverpool) recruits in the L postcode area; agency BKM (Sefton) in PR8
    and PR9. Each has a recruitment and assessment worker."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    bkm = builders.agency("bkm", councils=("Sefton",), host="Sefton")
    FrontDoorSettings.objects.create(agency=aim, recruits_in="L")
    FrontDoorSettings.objects.create(agency=bkm, recruits_in="PR8, PR9")
    return {
        "aim": aim,
        "bkm": bkm,
        "aim_assessor": builders.user(Role.RECRUITMENT_ASSESSMENT, aim, "Knowsley"),
        "bkm_assessor": builders.user(Role.RECRUITMENT_ASSESSMENT, bkm, "Sefton"),
    }


def answer(page, check_accessibility, heading: str, label: str) -> None:
    """Each question page: its heading, axe, then the caller fills it in and continues."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page, f"front door: {label}")


def adopter_signs_in(page, account: AdopterAccount, check_accessibility=None) -> None:
    """The families' sign-in: the password, then the code the service e-mails to the account."""
    page.goto("/adopt/account/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your adoption account")
    if check_accessibility:
        check_accessibility(page, "adopter sign-in")
    sent = len(mail.outbox)
    page.get_by_label("E-mail address").fill(account.email)
    page.get_by_label("Password").fill(ADOPTER_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    if check_accessibility:
        check_accessibility(page, "adopter sign-in code")
    assert len(mail.outbox) == sent + 1  # the page is there only once the code has been sent
    message = mail.outbox[-1]
    assert message.to == [account.email]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/adopt/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your adoption journey")
    expect(page.get_by_text(f"Signed in as {account.email}")).to_be_visible()


def test_public_registers_interest_and_only_the_chosen_agency_sees_it(page, region, other_tab, check_accessibility):
    aim, bkm = region["aim"], region["bkm"]
    page.goto("/adopt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adopt a child")
    check_accessibility(page, "front door")
    page.get_by_role("button", name="Register your interest").click()

    answer(page, check_accessibility, "What is your name?", "name")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Frontdoor")
    page.get_by_role("button", name="Continue").click()

    answer(page, check_accessibility, "Are you adopting with a partner?", "partner")
    page.get_by_role("radio", name="Yes, with a partner").check()
    page.get_by_label("Your partner's first name").fill("Kit")
    page.get_by_label("Your partner's last name").fill("Frontdoor")
    page.get_by_role("button", name="Continue").click()

    answer(page, check_accessibility, "How many children live with you now?", "children")
    page.get_by_label("How many children live with you now?").fill("0")
    page.get_by_role("button", name="Continue").click()

    answer(page, check_accessibility, "How can we contact you?", "contact")
    page.get_by_label("E-mail address").fill("robin.frontdoor@example.org")
    page.get_by_role("button", name="Continue").click()

    answer(page, check_accessibility, "What is your postcode?", "postcode")
    page.get_by_label("What is your postcode?").fill("l1 0aa")  # Liverpool, typed carelessly
    page.get_by_role("button", name="Continue").click()

    # The agency that recruits in L comes first, chosen already; the other may still be chosen.
    answer(page, check_accessibility, "Which agency would you like to adopt with?", "agency")
    choices = page.get_by_role("group", name="Which agency would you like to adopt with?").get_by_role("radio")
    expect(choices).to_have_count(2)
    expect(choices.first).to_have_accessible_name(f"{aim.name} (recruits where you live)")
    expect(choices.first).to_be_checked()
    expect(choices.last).to_have_accessible_name(bkm.name)
    page.get_by_role("button", name="Continue").click()

    # The postcode named the council, so the council question is skipped.
    answer(page, check_accessibility, "What made you think about adopting with us?", "source")
    page.get_by_role("radio", name="National Adoption Week").check()
    page.get_by_role("button", name="Continue").click()

    answer(page, check_accessibility, "Your age", "first equality question")
    expect(page.locator(".govuk-caption-l")).to_have_text("About you (optional)")
    page.get_by_role("link", name="Skip the questions about you").click()

    expect(page).to_have_url(re.compile(r"/adopt/register/check/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before you send them")
    check_accessibility(page, "front door: check your answers")
    rows = page.locator(".govuk-summary-list__row")
    for label, value in [
        ("Name", "Robin Frontdoor"),
        ("Adopting", "With a partner (Kit Frontdoor)"),
        ("Children living with you", "0"),
        ("E-mail address", "robin.frontdoor@example.org"),
        ("Postcode", "L1 0AA"),
        ("Agency", aim.name),
        ("Council area", "Liverpool"),
        ("What brought you", "National Adoption Week"),
        ("Your age", "Not answered"),
    ]:
        row = rows.filter(has=page.locator(".govuk-summary-list__key", has_text=re.compile(f"^{label}$")))
        expect(row.locator(".govuk-summary-list__value")).to_have_text(value)
    assert not Enquiry.objects.exists()  # nothing is written before the family sends it
    page.get_by_role("button", name="Send my enquiry").click()

    expect(page).to_have_url(re.compile(r"/adopt/register/done/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enquiry sent")
    expect(page.locator(".govuk-panel__body")).to_have_text(f"{aim.name} will be in touch")
    check_accessibility(page, "front door: enquiry sent")

    enquiry = Enquiry.objects.select_related("household").get()
    household = enquiry.household
    assert (household.agency, household.home_council.name, household.stage) == (aim, "Liverpool", "enquiry")
    assert enquiry.monitoring == {}  # skipped: nothing kept
    (confirmation,) = [m for m in mail.outbox if m.to == ["robin.frontdoor@example.org"]]
    assert household.reference in confirmation.body

    # The chosen agency's worker finds the enquiry in the households list, then on its page.
    worker = other_tab()
    sign_in(worker, region["aim_assessor"])
    worker.goto("/households/")
    table = worker.get_by_role("table", name="Households you may see")
    expect(table.get_by_role("row").filter(has_text=household.reference)).to_contain_text("Enquiry")
    check_accessibility(worker, "households list with the new enquiry")
    table.get_by_role("link", name=household.reference).click()
    expect(worker).to_have_url(re.compile(rf"/households/{household.pk}/$"))
    panel = worker.locator("section#families")
    expect(panel.get_by_role("heading", level=2)).to_have_text("The family's own account")
    front_door_row = panel.locator(".govuk-summary-list__row", has_text="Front door")
    expect(front_door_row).to_contain_text(f"Enquired {long_date(today())}")
    expect(front_door_row).to_contain_text("National Adoption Week")
    expect(panel.locator(".govuk-summary-list__row", has_text="Accounts")).to_contain_text("1 active")
    check_accessibility(worker, "household page of the new enquiry")

    # The other agency's worker neither lists it nor opens it.
    outsider = other_tab()
    sign_in(outsider, region["bkm_assessor"])
    outsider.goto("/households/")
    expect(outsider.get_by_role("table", name="Households you may see")).not_to_contain_text(household.reference)
    check_accessibility(outsider, "households list of the other agency")
    response = outsider.goto(f"/households/{household.pk}/")
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(outsider.locator("main")).not_to_contain_text(household.reference)
    expect(outsider.locator("main")).not_to_contain_text("Frontdoor")
    check_accessibility(outsider, "another agency's enquiry: 404")


@pytest.fixture
def approved_family(transactional_db):
    """An approved AIM household with its own account, and a waiting Knowsley child of AIM whose
    profile Knowsley agreed to publish."""
    aim = builders.agency("aim", councils=("Knowsley", "Liverpool"), host="Knowsley")
    account = make_account(builders.household(aim))
    child = builders.child(aim, "Knowsley", first_name="Dee", last_name="Profiledchild")
    publisher = builders.user(Role.SOCIAL_WORKER, aim, "Knowsley")
    profile = services.publish_profile(child, "Loves dinosaurs and the park", by=publisher)
    return {
        "agency": aim,
        "account": account,
        "child": child,
        "profile": profile,
        "finder": builders.user(Role.FAMILY_FINDER, aim, "Knowsley"),
    }


def test_adopter_expresses_interest_and_reads_the_family_finders_decline(
    page, approved_family, other_tab, check_accessibility
):
    account, child, profile = approved_family["account"], approved_family["child"], approved_family["profile"]
    adopter_signs_in(page, account, check_accessibility)
    check_accessibility(page, "adopter's journey")

    # The profile, without the child's name or reference.
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Children's profiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children waiting for a family")
    card = page.locator(".govuk-summary-card").filter(has_text=f"Profile {profile.code}")
    expect(card).to_have_count(1)
    expect(card.locator(".govuk-summary-list__row", has_text="Ages")).to_contain_text("4")
    expect(page.locator("main")).not_to_contain_text(child.first_name)
    expect(page.locator("main")).not_to_contain_text(child.reference)
    check_accessibility(page, "children's profiles")
    card.get_by_role("link", name=f"Read more about profile {profile.code}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Profile {profile.code}")
    expect(page.get_by_text("Loves dinosaurs and the park")).to_be_visible()
    check_accessibility(page, "a child's profile")

    page.get_by_label("Anything you would like the child's worker to know (optional)").fill("We live near a big park")
    page.get_by_role("button", name="Send my interest").click()
    expect(page).to_have_url(re.compile(r"/adopt/account/interests/$"))
    expect(page.get_by_role("alert")).to_contain_text("Your interest is sent to the child's family finder")
    row = (
        page.get_by_role("table", name="Your interests and where each stands")
        .get_by_role("row")
        .filter(has_text=f"Profile {profile.code}")
    )
    expect(row).to_contain_text(long_date(today()))
    expect(row).to_contain_text("Open: the workers are considering it")
    check_accessibility(page, "your interests, open")

    interest = Interest.objects.get()
    assert (interest.child, interest.household, interest.recorded_by) == (child, account.household, None)
    assert interest.note == "We live near a big park"

    # The child's family finder declines it with a reason, on the staff page for closing an interest.
    finder = other_tab()
    sign_in(finder, approved_family["finder"])
    finder.goto(f"/matching/interests/{interest.pk}/close/")
    expect(finder.get_by_role("heading", level=1)).to_have_text("Close an expression of interest")
    check_accessibility(finder, "close an interest")
    closing = finder.get_by_role("group", name="Who is closing it?")
    expect(closing.get_by_role("radio", name="Declined by the child's family finder")).to_be_checked()
    enter_date(finder, "Date", today())
    reason = "Another family's approval fits her needs better"
    finder.get_by_label("Reason").fill(reason)
    finder.get_by_role("button", name="Close the interest").click()
    expect(finder).to_have_url(re.compile(rf"/children/{child.pk}/matching/$"))
    expect(finder.get_by_role("alert")).to_contain_text("Interest closed: both workers can read the reason")

    # The family reads the outcome and the reason.
    page.reload()
    row = (
        page.get_by_role("table", name="Your interests and where each stands")
        .get_by_role("row")
        .filter(has_text=f"Profile {profile.code}")
    )
    expect(row).to_contain_text(f"Declined by the child's family finder, {long_date(today())}: {reason}")
    expect(row).not_to_contain_text("Open")
    check_accessibility(page, "your interests, declined")


def test_an_adopter_reaches_no_staff_page_api_or_other_familys_request(page, approved_family, check_accessibility):
    aim, account, child = approved_family["agency"], approved_family["account"], approved_family["child"]
    other = make_account(builders.household(aim, "Liverpool"), email="other.family@example.org")
    team_manager = builders.user(Role.TEAM_MANAGER, aim, "Knowsley")
    theirs = services.request_document(other.household, "Their pay slip", "", None, by=team_manager)
    ours = services.request_document(account.household, "Our pay slip", "", None, by=team_manager)
    adopter_signs_in(page, account)

    # Staff pages send the adopter to the staff sign-in, with nothing of the records.
    for path in ("/households/", "/children/"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")
        for secret in (account.household.reference, other.household.reference, child.reference):
            expect(page.locator("body")).not_to_contain_text(secret)
    check_accessibility(page, "staff sign-in, reached by an adopter")

    response = page.goto("/api/children/")
    assert response.status in (401, 403)
    assert child.reference not in response.text() and "Profiledchild" not in response.text()

    # Their own request opens; another family's answers 404 and says nothing of it.
    response = page.goto(f"/adopt/account/documents/{ours.pk}/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Our pay slip")
    check_accessibility(page, "upload for our own request")
    response = page.goto(f"/adopt/account/documents/{theirs.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("body")).not_to_contain_text("Their pay slip")
    expect(page.locator("body")).not_to_contain_text(other.household.reference)
    check_accessibility(page, "another family's request: 404")
