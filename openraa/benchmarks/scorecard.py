"""How long the scorecard takes: reading an agency's records (two queries) and computing the
scorecard and the board's figures from them, the work behind every performance page and file.

`time_scorecard(agency)` measures it on records already in the database (the `openraa bench`
reporting area calls it after importing SSDA903 episodes). This module is also a bench area
(add_arguments / run / render): it loads one agency through the demo generator into a throwaway
database and measures there. Target: 2 seconds for the scorecard over 100,000 SSDA903 episodes.
"""

from __future__ import annotations

import statistics
import time
import warnings
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from openraa.benchmarks import pages
from openraa.common.years import FinancialYear
from openraa.demo import generator
from openraa.performance import scorecard as sc
from openraa.performance.present import BoardOutput
from openraa.performance.selectors import records, thresholds_for

TARGET_SECONDS = 2.0


def time_scorecard(agency, *, as_of: date | None = None, runs: int = 5) -> dict[str, Any]:
    """Median and worst seconds of: the read (records), the scorecard, the board's figures, and
    all three together, over `runs` runs after one warm-up."""
    as_of = as_of or timezone.localdate()
    thresholds = thresholds_for(agency)
    timings: dict[str, list[float]] = {"read": [], "scorecard": [], "board": [], "tables": [], "total": []}
    loaded = None
    for run in range(runs + 1):
        started = time.perf_counter()
        loaded = records(agency)
        read = time.perf_counter()
        card = sc.compute_scorecard(
            loaded.children,
            loaded.households,
            year=FinancialYear.containing(as_of),
            as_of=as_of,
            thresholds=thresholds,
            councils=loaded.councils,
        )
        scored = time.perf_counter()
        board = sc.compute_board(loaded.children, loaded.households, as_of=as_of, councils=loaded.councils)
        boarded = time.perf_counter()
        BoardOutput(card, board, suppress=True).tables()
        done = time.perf_counter()
        if run:  # the first run warms the caches
            for name, seconds in (
                ("read", read - started),
                ("scorecard", scored - read),
                ("board", boarded - scored),
                ("tables", done - boarded),
                ("total", done - started),
            ):
                timings[name].append(seconds)
    return {
        "children": len(loaded.children),
        "households": len(loaded.households),
        "runs": runs,
        "target_seconds": TARGET_SECONDS,
        "seconds": {
            name: {"median": round(statistics.median(values), 4), "max": round(max(values), 4)}
            for name, values in timings.items()
        },
        "within_target": max(timings["total"]) <= TARGET_SECONDS,
    }


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--children", type=int, default=20_000, help="Children in the agency (default %(default)s)")
    parser.add_argument("--households", type=int, default=10_000, help="Households (default %(default)s)")
    parser.add_argument("--runs", type=int, default=5, help="Timed runs after one warm-up")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Load into the current database instead of a throwaway one (for the test suite only)",
    )


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    warnings.filterwarnings("ignore", message="No directory at")
    database = pages._current_database() if options["in_place"] else pages._throwaway_database()
    with database as connection, override_settings(DEBUG=False):
        log(f"Loading {options['children']} children and {options['households']} households...")
        started = time.perf_counter()
        loaded = generator.load_agency(
            generator.AGENCIES["aim"],
            children=options["children"],
            households=options["households"],
            rng=generator.agency_rng(pages.SEED, "aim"),
            password="bench-only-password",
            check_foreign_keys=False,
        )
        load_seconds = time.perf_counter() - started
        log(f"Loaded in {load_seconds:.1f} s. Timing the scorecard...")
        result = time_scorecard(loaded.agency, runs=max(1, options["runs"]))
        result["database"] = {"vendor": connection.vendor, "version": pages._version(connection)}
    return {"area": "scorecard", "load_seconds": round(load_seconds, 1), **result}


def render(result: dict[str, Any]) -> str:
    lines = [
        f"Database: {result['database']['vendor']} {result['database']['version']}",
        f"{result['children']} children, {result['households']} households; {result['runs']} timed runs; "
        f"target {result['target_seconds']} s",
        "",
    ]
    for name, seconds in result["seconds"].items():
        lines.append(f"{name:<10} median {seconds['median']:.3f} s   max {seconds['max']:.3f} s")
    lines.append("")
    lines.append("Within target" if result["within_target"] else "OVER TARGET")
    return "\n".join(lines)


def scorecard_lines(timing: dict[str, Any]) -> list[str]:
    """The scorecard's timing as lines for another area's report (`openraa bench reporting`)."""
    total = timing["seconds"]["total"]
    parts = ", ".join(f"{name} {s['median']:.3f} s" for name, s in timing["seconds"].items() if name != "total")
    return [
        f"Scorecard over {timing['children']} children and {timing['households']} households: "
        f"median {total['median']:.3f} s, max {total['max']:.3f} s ({parts}); target {timing['target_seconds']} s: "
        f"{'yes' if timing['within_target'] else 'NO'}"
    ]
