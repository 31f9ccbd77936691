"""`openraa bench pages`: how fast the record's main pages are with a realistic volume of records,
and whether their number of SQL queries stays the same as the rows grow (no N+1).

It builds a throwaway database (never the user's), loads one agency with --children children and
--households households through the demo generator, and a second agency a tenth of the size, then
requests each page through Django's test client as a signed-in team manager: the whole stack
(middleware, policy, view, template) without a network hop.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import statistics
import tempfile
import time
import warnings
from argparse import ArgumentParser
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openraa.children.models import Child
from openraa.children.services import save_child
from openraa.common.text import table
from openraa.demo import generator
from openraa.households.models import Household
from openraa.households.services import save_household
from openraa.matching import selectors
from openraa.people.roles import Role

TARGET_MS = 100  # issue 18: every page p95 <= 100 ms at 10,000 children and 10,000 households
# Issue 21: family finding across the region (every waiting unit against every household, the
# region-wide optimum, reach and sufficiency) within 2 s at 10,000 x 10,000, its first request too.
REGIONAL_TARGET_MS = 2000
WARM_UP_RUNS = 2
SEED = 2016


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--children", type=int, default=10_000, help="Children in the measured agency (default %(default)s)"
    )
    parser.add_argument(
        "--households", type=int, default=10_000, help="Households in the measured agency (default %(default)s)"
    )
    parser.add_argument("--runs", type=int, default=20, help="Timed requests per page, after 2 warm-up requests")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Load into the current database instead of a throwaway one. For the test suite, "
        "whose test database is already throwaway and rolled back; never on real data.",
    )


@dataclass
class Page:
    name: str
    path: str


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    """Load, measure, and return the results as plain data (what --json prints)."""
    children, households, runs = options["children"], options["households"], max(1, options["runs"])
    # Static files are served from the app folders (WHITENOISE_USE_FINDERS); no collectstatic needed.
    warnings.filterwarnings("ignore", message="No directory at")
    with (
        _current_database() if options["in_place"] else _throwaway_database() as connection,
        override_settings(DEBUG=False),
    ):  # as in production: no query log, no debug templates
        big, small, load_seconds = load_agencies(connection, children, households, log)
        log(f"Loaded in {load_seconds:.1f} s. Measuring {runs} runs per page...")

        manager = _team_manager(big)
        child = _child_with_everything(big.agency, manager)
        household = _household_with_everything(big.agency, manager)
        client = _client_for(manager)
        pages = [
            Page("children_list", "/children/"),
            Page("child_detail", f"/children/{child.pk}/"),
            Page("households_list", "/households/"),
            Page("household_detail", f"/households/{household.pk}/"),
        ]
        results = {page.name: _measure(connection, client, page.path, runs) for page in pages}
        regional = _measure_regional(manager, client, runs)

        # The same list pages for an agency a tenth of the size, and for a single row: with no N+1
        # the number of queries is the same however many rows there are.
        small_client = _client_for(_team_manager(small))
        comparison = {}
        for name, path, single in (
            ("children_list", "/children/", f"/children/?q=C-{child.pk:06d}"),
            ("households_list", "/households/", f"/households/?q=H-{household.pk:06d}"),
        ):
            counts = {
                "full": results[name]["queries"],
                "tenth": _queries(connection, small_client, path)[0],
                "single_row": _queries(connection, client, single)[0],
            }
            comparison[name] = {**counts, "equal": len(set(counts.values())) == 1}
        comparison["equal"] = all(c["equal"] for c in comparison.values())
        database = {"vendor": connection.vendor, "version": _version(connection)}

    return {
        "area": "pages",
        "database": database,
        "sizes": {
            "children": big.counts.children,
            "households": big.counts.households,
            "tenth_children": small.counts.children,
            "tenth_households": small.counts.households,
        },
        "load_seconds": round(load_seconds, 1),
        "runs": runs,
        "warm_up_runs": WARM_UP_RUNS,
        "target_ms": TARGET_MS,
        "pages": results,
        "regional": regional,
        "query_counts": comparison,
    }


def render(result: dict[str, Any]) -> str:
    sizes, db = result["sizes"], result["database"]
    lines = [
        f"Database: {db['vendor']} {db['version']}",
        f"Measured agency: {sizes['children']} children, {sizes['households']} households "
        f"(loaded in {result['load_seconds']} s); comparison agency: {sizes['tenth_children']} children, "
        f"{sizes['tenth_households']} households",
        f"{result['runs']} timed runs per page after {result['warm_up_runs']} warm-up runs; "
        f"target {result['target_ms']} ms at the 95th percentile",
        "",
    ]
    lines += page_table(result["pages"])
    regional = result["regional"]
    lines += [
        "",
        f"Family finding across the region ({regional['path']}): first request {regional['first_ms']:.0f} ms "
        f"(the household pool encoded then), median {regional['median_ms']:.0f} ms, p95 {regional['p95_ms']:.0f} ms; "
        f"{regional['units']} waiting units, {regional['households']} households; target {regional['target_ms']} ms: "
        + ("within" if regional["within_target"] else "NOT within"),
    ]
    lines += ["", "Queries per list page as rows grow (the same count means no N+1):"]
    header = ("Page", "Full size", "A tenth", "One row", "Equal")
    rows = [
        (name, str(c["full"]), str(c["tenth"]), str(c["single_row"]), "yes" if c["equal"] else "NO")
        for name, c in result["query_counts"].items()
        if name != "equal"
    ]
    lines += table(header, rows)
    for name, page in result["pages"].items():
        for repeated in page.get("repeated_queries", []):
            lines.append(f"  {name}: {repeated['times']}x {repeated['sql'][:160]}")
    return "\n".join(lines)


def load_agencies(connection, children: int, households: int, log) -> tuple[Any, Any, float]:
    """The measured agency (--children, --households) and one a tenth of its size, loaded through
    the demo generator, and the seconds the loading took."""
    log(f"Loading {children} children and {households} households into a throwaway {connection.vendor} database...")
    started = time.perf_counter()
    big = generator.load_agency(
        generator.AGENCIES["aim"],
        children=children,
        households=households,
        rng=generator.agency_rng(SEED, "aim"),
        password="bench-only-password",
        check_foreign_keys=False,
    )
    small = generator.load_agency(
        generator.AGENCIES["bkm"],
        children=max(children // 10, generator.MIN_CHILDREN),
        households=max(households // 10, generator.MIN_HOUSEHOLDS),
        rng=generator.agency_rng(SEED, "bkm"),
        password="bench-only-password",
        check_foreign_keys=False,
    )
    return big, small, time.perf_counter() - started


def page_table(measured: dict[str, dict[str, Any]]) -> list[str]:
    """The timings of each page measured, one row a page."""
    header = ("Page", "Path", "Median ms", "p95 ms", "Queries", "Within target")
    rows = [
        (
            name,
            page["path"],
            f"{page['median_ms']:.1f}",
            f"{page['p95_ms']:.1f}",
            str(page["queries"]),
            "yes" if page["within_target"] else "NO",
        )
        for name, page in measured.items()
    ]
    return table(header, rows)


# --------------------------------------------------------------------------------------------


@contextmanager
def _throwaway_database() -> Iterator:
    """A fresh, migrated database under a name of its own, destroyed afterwards: a temporary file
    for SQLite, a database named for this process on PostgreSQL (so parallel runs and the test
    suite's test_<name> database are left alone)."""
    connection = connections[DEFAULT_DB_ALIAS]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    saved = dict(test_settings)
    folder = None
    if connection.vendor == "sqlite":
        folder = tempfile.mkdtemp(prefix="openraa-bench-")
        test_settings["NAME"] = os.path.join(folder, "bench.sqlite3")
    else:
        test_settings["NAME"] = f"openraa_bench_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
        try:
            yield connection
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    finally:
        test_settings.clear()
        test_settings.update(saved)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _current_database() -> Iterator:
    yield connections[DEFAULT_DB_ALIAS]


def _version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return str(cursor.fetchone()[0])


def _team_manager(loaded):
    return next(user for user in loaded.staff if user.has_role(Role.TEAM_MANAGER))


def _client_for(user) -> Client:
    """Signed in and past the two-factor step (a confirmed TOTP device, its id in the session, as
    after the code page), so the pages are measured, not the redirect to the code page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _child_with_everything(agency, by):
    """A child with needs, brothers or sisters, allocated workers and a household, and a few
    changes in its history, as a child's page in daily use would have."""
    child = (
        Child.objects.filter(agency=agency, sibling_group__isnull=False, household__isnull=False)
        .annotate(n_needs=Count("needs", distinct=True), n_workers=Count("allocated_workers", distinct=True))
        .filter(n_needs__gte=2, n_workers__gte=1)
        .order_by("-n_workers", "-n_needs", "id")
        .first()
    )
    if child is None:
        raise RuntimeError("No child with needs, siblings, workers and a household was generated")
    for surname in ("Checked", "Corrected"):
        child.birth_father_name = f"{child.birth_father_name.split(' ')[0] or 'Unknown'} {surname}"
        child._history_user = by
        save_child(child, expected_version=child.version)
    return child


def _household_with_everything(agency, by):
    """A household with applicants, capabilities and children, with a change in its history."""
    household = (
        Household.objects.filter(agency=agency, children__isnull=False, capabilities__isnull=False)
        .distinct()
        .order_by("id")
        .first()
    )
    if household is None:
        raise RuntimeError("No household with children and capabilities was generated")
    household.sibling_group_open = not household.sibling_group_open
    household._history_user = by
    save_household(household, expected_version=household.version)
    return household


def _measure(connection, client: Client, path: str, runs: int) -> dict[str, Any]:
    for _ in range(WARM_UP_RUNS):
        _get(client, path)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, path)
        timings.append((time.perf_counter() - started) * 1000)
    queries, repeated = _queries(connection, client, path)
    median, p95 = statistics.median(timings), _percentile(timings, 95)
    result = {
        "path": path,
        "median_ms": round(median, 1),
        "p95_ms": round(p95, 1),
        "queries": queries,
        "within_target": p95 <= TARGET_MS,
    }
    if repeated:
        result["repeated_queries"] = repeated
    return result


def _measure_regional(user, client: Client, runs: int) -> dict[str, Any]:
    """The regional page's first request (no household pool cached in this process yet: the pool
    cache is emptied, as after any record changes) and its later ones."""
    path = "/matching/"
    selectors._POOLS.clear()
    started = time.perf_counter()
    _get(client, path)
    first = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(max(1, runs // 4)):
        started = time.perf_counter()
        _get(client, path)
        timings.append((time.perf_counter() - started) * 1000)
    p95 = _percentile(timings, 95)
    data = selectors.regional(user, timezone.localdate())  # the sizes measured (not timed)
    return {
        "path": path,
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "units": len(data["rows"]),
        "households": len(next(iter(selectors._POOLS.values()))),
        "target_ms": REGIONAL_TARGET_MS,
        "within_target": max(first, p95) <= REGIONAL_TARGET_MS,
    }


def _get(client: Client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return response


def _queries(connection, client: Client, path: str) -> tuple[int, list[dict[str, Any]]]:
    """How many queries one request makes, and any statement it runs more than once (with the
    literal values taken out): the signature of an N+1."""
    with CaptureQueriesContext(connection) as captured:
        _get(client, path)
    shapes = Counter(_shape(q["sql"]) for q in captured.captured_queries if not _TRANSACTION.match(q["sql"]))
    repeated = [{"sql": sql, "times": n} for sql, n in shapes.most_common() if n > 1]
    return len(captured), repeated


_TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


def _shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    return re.sub(r"\b\d+(\.\d+)?\b", "?", sql)


def _percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile: the smallest value at least `percent`% of the runs do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]
