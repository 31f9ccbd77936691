"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) for every test. When
/usr/bin/chromium is missing the tests skip, unless OPENRAA_REQUIRE_BROWSER=1 (CI), when they fail.
Every page a test looks at goes through axe-core: no "serious" or "critical" violation may pass.
"""

import os
from pathlib import Path

import pytest

from tests.browser.helpers import open_tab

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it
# (builders, assertions on the database) are ordinary synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# "Needs review" results that are certain failures on server-rendered pages (see check_accessibility).
DECIDABLE_REVIEWS = {"aria-valid-attr-value"}

# Every page checked with axe in this session, as "label (url)": a summary is printed at the end.
AXE_CHECKED: list[str] = []


def _unavailable(reason: str):
    if os.environ.get("OPENRAA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"OPENRAA_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev extra not installed
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser context per test, pointed at the live server."""
    tab = open_tab(browser, live_server.url)
    yield tab
    tab.context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """check_accessibility(page, label): run axe-core on the page as it is now and fail on any
    serious or critical violation, listing each rule, where it failed and how to fix it.

    axe reports an aria-describedby that points at a missing id as "needs review" (the id could be
    added later by script). These pages are rendered on the server, so such a result is a broken
    hint or error association and fails too."""

    def check(page, label: str) -> None:
        page.wait_for_load_state("load")
        # axe on a page without GOV.UK Frontend's styles and scripts proves nothing about contrast,
        # focus or the components' behaviour.
        assert not page.failed_assets, f"assets failed to load on {label}: {page.failed_assets}"
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), (
            f"GOV.UK Frontend's JavaScript did not start on {label}"
        )
        results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
        blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        blocking += [v for v in results.get("incomplete", []) if v["id"] in DECIDABLE_REVIEWS]
        if blocking:
            lines = [f"axe-core found {len(blocking)} serious or critical problem(s) on {label} ({page.url}):"]
            for violation in blocking:
                lines.append(
                    f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})"
                )
                for node in violation["nodes"]:
                    summary = node.get("failureSummary") or "; ".join(
                        item["message"] for item in node.get("any", []) + node.get("all", []) + node.get("none", [])
                    )
                    lines.append(f"    target {', '.join(map(str, node['target']))}: {summary}")
            pytest.fail("\n".join(lines), pytrace=False)
        AXE_CHECKED.append(f"{label} ({page.url})")

    return check


def pytest_terminal_summary(terminalreporter):
    if AXE_CHECKED:
        terminalreporter.write_line(
            f"axe-core checked {len(AXE_CHECKED)} page views with no serious or critical violation"
        )
