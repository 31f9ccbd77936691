"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

One browser for the session, a fresh context (cookies, storage) for every test. When
/usr/bin/chromium is missing the tests skip, unless OPENRAA_REQUIRE_BROWSER=1 (CI), when they fail.
Every page a test looks at goes through axe-core: no "serious" or "critical" violation may pass.
"""

import os
from pathlib import Path

import pytest

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
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """check_accessibility(page, label): run axe-core on the page as it is now and fail on any
    serious or critical violation, listing each rule, where it failed and how to fix it."""

    def check(page, label: str) -> None:
        page.wait_for_load_state("load")
        results = axe.run(page, options={"resultTypes": ["violations", "incomplete"]})
        import json, sys
        with open("/tmp/axe_all.jsonl", "a") as f:
            f.write(json.dumps({"label": label, "url": page.url, "violations": [{"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]], "summary": [n.get("failureSummary") for n in v["nodes"]][:3]} for v in results.response["violations"]], "incomplete": [{"id": v["id"], "impact": v["impact"], "help": v["help"], "n": len(v["nodes"]), "targets": [n["target"] for n in v["nodes"]][:5], "msg": [ (n.get("any") or n.get("all") or n.get("none") or [{}])[0].get("message") for n in v["nodes"]][:3]} for v in results.response.get("incomplete", [])]}) + "\n")
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            lines = [f"axe-core found {len(blocking)} serious or critical violation(s) on {label} ({page.url}):"]
            for violation in blocking:
                lines.append(f"- {violation['id']} [{violation['impact']}]: {violation['help']} ({violation['helpUrl']})")
                for node in violation["nodes"]:
                    lines.append(f"    target {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
            pytest.fail("\n".join(lines), pytrace=False)
        AXE_CHECKED.append(f"{label} ({page.url})")

    return check


def pytest_terminal_summary(terminalreporter):
    if AXE_CHECKED:
        terminalreporter.write_line(f"axe-core checked {len(AXE_CHECKED)} page views with no serious or critical violation")
