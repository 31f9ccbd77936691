"""What a person does on every page: open their own browser, sign in and out, fill a GOV.UK date, read an
error summary."""

import re
from datetime import date

from playwright.sync_api import expect

from tests import builders


def open_tab(browser, base_url: str):
    """A tab in a context of its own (its own cookies: another person's browser), pointed at base_url."""
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.failed_assets = []  # stylesheets, scripts, fonts the server could not serve
    tab.on(
        "response",
        lambda response: (
            tab.failed_assets.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    return tab


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


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/$"))


def date_boxes(page, legend: str):
    """The day, month and year boxes of the GOV.UK date input whose fieldset has this legend."""
    group = page.get_by_role("group", name=legend, exact=True)
    return group.get_by_label("Day"), group.get_by_label("Month"), group.get_by_label("Year")


def enter_date(page, legend: str, when: date | tuple | None) -> None:
    """Type a date (or a (day, month, year) tuple, for dates that do not exist) into the boxes."""
    if when is None:
        parts = ("", "", "")
    elif isinstance(when, date):
        parts = (when.day, when.month, when.year)
    else:
        parts = when
    for box, value in zip(date_boxes(page, legend), parts):
        box.fill(str(value))


def long_date(when: date) -> str:
    """A date as the pages write it in full: 2 October 2023."""
    return f"{when.day} {when:%B %Y}"


def short_date(when: date) -> str:
    """A date as the tables write it: 2 Oct 2023."""
    return f"{when.day} {when:%b %Y}"


def error_summary(page, title_start: str):
    """The GOV.UK error summary, checked the way GOV.UK asks: its heading, the page title starting
    "Error:", and focus moved to it when the page loads."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(f"^Error: {re.escape(title_start)}"))
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    return summary
