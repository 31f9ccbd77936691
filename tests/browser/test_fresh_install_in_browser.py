"""Going live through a real browser, from an empty database: the first administrator sets up the
agency on the first-run page, signs in and enrols an authenticator app, invites a family finder; she
sets her password from the e-mailed link, enrols her own authenticator and, once her council's SSDA903
return is in, sees its children; the administrator deactivates her and her open session ends.
Two-factor sign-in is on, as in production. axe-core checks every page visited."""

import base64
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from openraa.agency.first_run import setup_code
from openraa.children.models import Child
from openraa.people.models import User
from tests.browser.helpers import open_tab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KNOWSLEY_RETURN = Path(__file__).parents[1] / "fixtures" / "ssda903" / "knowsley-2025"
ADMIN_EMAIL = "pat.head@knowsley.example"
ADMIN_PASSWORD = "a long first passphrase 17"
FINDER_EMAIL = "fran.finder@knowsley.example"
FINDER_PASSWORD = "another long passphrase 42"


@pytest.fixture
def production_like(settings, live_server):
    """Two-factor sign-in on, and e-mailed links that point at this server, as a deployment sets them."""
    settings.OPENRAA_REQUIRE_2FA = True
    settings.OPENRAA_SITE_URL = live_server.url


def _sign_in(page, username: str, password: str, check_accessibility, name: str) -> None:
    """A first sign-in: password, then enrolling an authenticator app, then the home page."""
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # A first sign-in goes to the authenticator enrolment before any page.
    expect(page).to_have_url(re.compile(r"/sign-in/set-up-authenticator/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    check_accessibility(page, f"authenticator enrolment as {name}")
    # What an authenticator app does with the key the page shows for those who cannot scan the QR code.
    key = base64.b32decode(page.locator("code").inner_text().replace(" ", ""))
    page.get_by_label("Security code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text(f"Signed in as {name}")).to_be_visible()


def test_a_fresh_install_goes_live(browser, page, live_server, production_like, check_accessibility):
    # 1. The first administrator sets up the agency with the code `openraa setup_code` prints.
    page.goto("/setup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your agency")
    check_accessibility(page, "first-run page")
    page.get_by_label("Setup code").fill(setup_code())
    page.get_by_label("Agency short code").fill("aim")
    page.get_by_label("Agency name").fill("Adoption in Merseyside")
    page.get_by_role("radio", name="hosted by one council").check()
    page.get_by_label("Member councils").fill("E08000011\nE08000012\nE08000014")
    page.get_by_label("Host council (ONS code)").fill("E08000011")
    page.get_by_label("Your first name").fill("Pat")
    page.get_by_label("Your last name").fill("Head")
    page.get_by_label("Your work e-mail address").fill(ADMIN_EMAIL)
    page.get_by_label("Your employing council (ONS code)").fill("E08000011")
    page.get_by_label("Your password", exact=True).fill(ADMIN_PASSWORD)
    page.get_by_label("Your password again").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Set up the agency").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    expect(page.get_by_role("alert")).to_contain_text("Adoption in Merseyside is set up")
    check_accessibility(page, "sign-in after setup")

    # 2. They sign in and enrol their authenticator app.
    _sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD, check_accessibility, "Pat Head")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption in Merseyside")
    check_accessibility(page, "home as the first administrator")

    # 3. They invite a family finder.
    page.goto("/staff/invite/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a member of staff")
    check_accessibility(page, "invite a member of staff")
    page.get_by_label("First name").fill("Fran")
    page.get_by_label("Last name").fill("Finder")
    page.get_by_label("Work e-mail address").fill(FINDER_EMAIL)
    page.get_by_label("Family finder").check()
    page.get_by_label("Employing council").select_option(label="Knowsley")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text(f"the link went to {FINDER_EMAIL}")
    check_accessibility(page, "the invited person's page")
    finder = User.objects.get(email=FINDER_EMAIL)
    (invitation,) = [message for message in mail.outbox if message.to == [FINDER_EMAIL]]
    link = re.search(rf"{re.escape(live_server.url)}/staff/welcome/\S+/", invitation.body)[0]

    # 4. In her own browser, she sets her password, signs in and enrols her authenticator.
    her = open_tab(browser, live_server.url)
    try:
        her.goto(link)
        expect(her.get_by_role("heading", level=1)).to_have_text("Set your password")
        check_accessibility(her, "set your password")
        her.get_by_label("New password", exact=True).fill(FINDER_PASSWORD)
        her.get_by_label("New password confirmation").fill(FINDER_PASSWORD)
        her.get_by_role("button", name="Set password").click()
        expect(her).to_have_url(re.compile(r"/sign-in/$"))
        expect(her.get_by_role("alert")).to_contain_text("Your password is set")

        her.goto(link)  # an invitation works once
        expect(her.get_by_role("heading", level=1)).to_have_text("This link no longer works")
        check_accessibility(her, "a used invitation link")

        _sign_in(her, FINDER_EMAIL, FINDER_PASSWORD, check_accessibility, "Fran Finder")

        # 5. Knowsley's SSDA903 return is imported on the server; she sees its children.
        call_command("import_ssda903", str(KNOWSLEY_RETURN), council="E08000011", year="2024-25")
        references = [child.reference for child in Child.objects.filter(responsible_council__ons_code="E08000011")]
        assert references
        her.goto("/children/")
        expect(her.get_by_role("heading", level=1)).to_have_text("Children")
        check_accessibility(her, "children list as the family finder")
        table = her.get_by_role("table", name="Children you may see")
        expect(table.get_by_role("row").filter(has_text="Knowsley").first).to_be_visible()
        shown = table.get_by_role("link").all_inner_texts()  # the list leaves out children whose plan ended
        assert shown and set(shown) <= set(references)

        # 6. The administrator deactivates her; her open session ends.
        page.goto(f"/staff/{finder.pk}/deactivate/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Deactivate Fran Finder?")
        check_accessibility(page, "deactivate confirmation")
        page.get_by_role("button", name="Deactivate").click()
        expect(page).to_have_url(re.compile(rf"/staff/{finder.pk}/$"))
        expect(page.get_by_role("alert")).to_contain_text("Fran Finder is deactivated")

        her.reload()
        expect(her).to_have_url(re.compile(r"/sign-in/\?next=/children/$"))
        expect(her.get_by_role("heading", level=1)).to_have_text("Sign in to OpenRAA")
    finally:
        her.context.close()
