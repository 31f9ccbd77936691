"""`openraa bench reporting`: how long an SSDA903 import takes at a council's full volume.

It builds a throwaway database (never the user's) with one agency, writes a synthetic return of
--episodes episodes (about 3.5 per child, so 100,000 episodes are some 28,000 children with an
adoption plan) in the DfE CSV layout, imports it as `openraa import_ssda903` does, and imports it a
second time (nothing changes then). Target: 100,000 episodes within 60 seconds. It then times the
scorecard over the imported records.

Last, a council's history: six collection years of returns (2019-20 to 2024-25) from the synthetic
generator (openraa/interchange/ssda903/synthetic.py: whole periods of care spread over the years,
--history-children children with an adoption plan, by default one for every 50 episodes of the
single return, and half as many without), imported in one run (`import_ssda903 DIR ...`), oldest first, into a second
council, as a council joining the system would; timed per year and in all, with children and
episodes per second. `--history-children 0` leaves it out.

The import timings are `time_import(...)` and `time_history(...)`, for other reporting benchmarks to call.
"""

from __future__ import annotations

import random
import tempfile
import time
import warnings
from argparse import ArgumentParser
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from openraa.benchmarks import pages
from openraa.benchmarks.scorecard import scorecard_lines, time_scorecard
from openraa.common.text import table
from openraa.demo import generator
from openraa.interchange import services
from openraa.interchange.ssda903 import codes, synthetic, writing
from openraa.partnership.models import Council

TARGET_SECONDS = 60
SEED = 903
EPISODES_PER_HISTORY_CHILD = 50  # the history's size follows --episodes: 2,000 children for 100,000 episodes


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--episodes", type=int, default=100_000, help="Episodes in the synthetic return (default %(default)s)"
    )
    parser.add_argument(
        "--history-children",
        type=int,
        help="Children with an adoption plan in the six years of returns imported in one run "
        "(default one for every 50 episodes: 2,000 for 100,000; 0 leaves it out)",
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Load into the current database instead of a throwaway one (for the test suite only)",
    )


def synthetic_children(episodes: int, rng: random.Random, today: date) -> list[writing.ExportChild]:
    """Children with adoption plans at every stage, until their episodes reach `episodes`."""
    children, total, number = [], 0, 0
    while total < episodes:
        number += 1
        entered = today - timedelta(days=rng.randint(200, 2400))
        born = entered - timedelta(days=rng.randint(0, 365 * 6))
        dates: dict[str, date | None] = {"entered_care_on": entered}
        chain = (
            ("should_be_placed_on", (30, 300)),
            ("placement_order_on", (30, 240)),
            ("matched_on", (30, 400)),
            ("placed_on", (7, 42)),
            ("adoption_order_on", (100, 400)),
        )
        stop = rng.choices(range(1, len(chain) + 1), weights=(10, 25, 5, 25, 35))[0]
        current = entered
        for name, (low, high) in chain[:stop]:
            current += timedelta(days=rng.randint(low, high))
            if current > today:
                break
            dates[name] = current
        early = "placement_order_on" in dates and rng.random() < 0.1
        ended: dict[str, Any] = {}  # the plan_ended_* keyword arguments of ExportChild, when the plan ends
        if "adoption_order_on" not in dates and "placement_order_on" in dates and rng.random() < 0.1:
            last = max(d for d in dates.values() if d)
            if last + timedelta(days=30) <= today:
                ended = {
                    "plan_ended_on": last + timedelta(days=30),
                    "plan_ended_reason": "disruption" if "placed_on" in dates else "order_revoked",
                    "plan_ended_code": "RD4" if "placed_on" in dates else "",
                }
        child = writing.ExportChild(
            child=f"B{number:07d}",
            sex=rng.choice("12"),
            date_of_birth=born,
            ethnicity=rng.choice(("WBRI", "WBRI", "WBRI", "MWBC", "WOTH", "BAFR", "AOTH")),
            should_be_placed_on=dates.get("should_be_placed_on"),
            entered_care_on=entered,
            placement_order_on=dates.get("placement_order_on"),
            # early permanence with the carers who go on to adopt (drawn here, so the seed gives the same return)
            early_permanence_on=(early_on := entered + timedelta(days=rng.randint(0, 20)) if early else None),
            fostered_by_adopters_from=early_on,
            matched_on=dates.get("matched_on"),
            placed_on=dates.get("placed_on"),
            adoption_order_on=dates.get("adoption_order_on"),
            adopter_sexes=("1", "2") if rng.random() < 0.7 else ("2",),
            **ended,
        )
        if not child.should_be_placed_on:
            continue
        children.append(child)
        total += len(_with_moves(writing.episodes_for(child, today), _moves(child), today))
    return children


def _moves(child: writing.ExportChild) -> int:
    """How many times the child moved between foster carers before the plan's next step (drawn from
    the child's ID, so counting and writing agree)."""
    return random.Random(child.child).choice((0, 0, 1, 1, 1, 2, 2, 3))


def _with_moves(rows: list[dict], moves: int, today: date) -> list[dict]:
    """Split the first episode by `moves` changes of foster carer (RNE P), as a council's return has them."""
    first = rows[0]
    end = first["DEC"] or today
    span = (end - first["DECOM"]).days
    if moves == 0 or span < 2 * (moves + 1):
        return rows
    days = sorted(random.Random(first["CHILD"]).sample(range(1, span), moves))
    split = []
    for number, offset in enumerate([0, *days]):
        row = dict(first)
        row["DECOM"] = first["DECOM"] + timedelta(days=offset)
        if number:
            row.update(RNE="P", PLACE="U4" if number % 2 else "U6")
        if number < moves:
            row.update(
                DEC=first["DECOM"] + timedelta(days=days[number]), REC=codes.CONTINUING, REASON_PLACE_CHANGE="CARPL"
            )
        split.append(row)
    return [*split, *rows[1:]]


def synthetic_return(episodes: int, seed: int = SEED, today: date | None = None) -> list[tuple[str, bytes]]:
    """A return of `episodes` episodes in the DfE CSV layout (every episode of each child's period
    of care, so the volume does not depend on the year), as (file name, content) pairs."""
    today = today or timezone.localdate()
    children = synthetic_children(episodes, random.Random(seed), today)
    tables = writing.Tables()
    for child in children:
        tables.episodes += _with_moves(writing.episodes_for(child, today), _moves(child), today)
        tables.header.append(
            {
                "CHILD": child.child,
                "SEX": "M" if child.sex == "1" else "F",
                "DOB": child.date_of_birth,
                "ETHNIC": child.ethnicity,
                "UPN": "",
                "MOTHER": "",
                "MC_DOB": None,
            }
        )
        tables.placed_adoption.append(
            {
                "CHILD": child.child,
                "DOB": child.date_of_birth,
                "DATE_PLACED": child.should_be_placed_on,
                "DATE_PLACED_CEASED": child.plan_ended_on,
                "REASON_PLACED_CEASED": "RD4" if child.plan_ended_on else "",
            }
        )
        if child.adoption_order_on:
            tables.ad1.append(
                {
                    "CHILD": child.child,
                    "DOB": child.date_of_birth,
                    "DATE_INT": child.should_be_placed_on,
                    "DATE_MATCH": child.matched_on,
                    "FOSTER_CARE": "1" if child.with_foster_carer else "0",
                    "NB_ADOPTR": str(len(child.adopter_sexes)),
                    "SEX_ADOPTR": "MF" if len(child.adopter_sexes) == 2 else "F1",
                    "LS_ADOPTR": "L11" if len(child.adopter_sexes) == 2 else "L0",
                }
            )
    with tempfile.TemporaryDirectory(prefix="openraa-ssda903-") as folder:
        paths = writing.write_tables(tables, Path(folder))
        return [(p.name, p.read_bytes()) for p in paths]


def time_import(council, files: list[tuple[str, bytes]], year: int, log=lambda message: None) -> dict[str, Any]:
    """Import the files for the council twice (the second import changes nothing) and time both."""
    episodes = next(content.count(b"\n") - 1 for name, content in files if name == codes.FILE_NAMES["Episodes"])
    results = {}
    for attempt in ("first", "again"):
        log(f"Importing {episodes} episodes ({attempt})...")
        started = time.perf_counter()
        result = services.import_return(files, council, year)
        seconds = time.perf_counter() - started
        run = result.run
        results[attempt] = {
            "seconds": round(seconds, 1),
            "episodes_per_second": round(episodes / seconds),
            "rows": run.rows,
            "children": run.children,
            "created": run.created,
            "updated": run.updated,
            "unchanged": run.unchanged,
            "skipped": run.skipped,
            "rejected": run.rejected,
        }
    return {
        "episodes": episodes,
        "target_seconds": TARGET_SECONDS,
        "within_target": results["first"]["seconds"] <= TARGET_SECONDS,
        **results,
    }


def _rows(files: list[tuple[str, bytes]], table: str) -> int:
    return next(content.count(b"\n") - 1 for name, content in files if name == codes.FILE_NAMES[table])


def time_history(council, returns, log=lambda message: None) -> dict[str, Any]:
    """Import a council's returns (synthetic.CouncilReturns) in one run, as `import_ssda903 DIR ...`
    does (oldest first, each year with the episodes of the earlier ones), and time each year."""
    given = [(year, returns.files(year)) for year in returns.years]
    by_end = {year.end: (year, files) for year, files in given}
    marks: list[tuple[Any, float]] = []

    def on_year(end: int):
        year, files = by_end[end]
        log(f"Importing {year.label}: {_rows(files, 'Header')} children, {_rows(files, 'Episodes')} episodes...")
        marks.append((year, time.perf_counter()))
        return None, None

    results = services.import_history([(year.end, files) for year, files in given], council, on_year=on_year)
    finished = time.perf_counter()
    years = []
    for (year, started), (_, ended), result in zip(marks, [*marks[1:], (None, finished)], results):
        files, run = by_end[year.end][1], result.run
        years.append(
            {
                "year": year.label,
                "seconds": round(ended - started, 2),
                "children": _rows(files, "Header"),
                "episodes": _rows(files, "Episodes"),
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
                "skipped": run.skipped,
                "rejected": run.rejected,
            }
        )
    total = finished - marks[0][1] if marks else 0.0
    episodes, children = sum(y["episodes"] for y in years), sum(y["children"] for y in years)
    return {
        "years": years,
        "seconds": round(total, 1),
        "children": len(returns.children),
        "child_years": children,
        "episodes": episodes,
        "children_per_second": round(children / total) if total else None,
        "episodes_per_second": round(episodes / total) if total else None,
    }


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    today = timezone.localdate()
    year = today.year if today.month > 3 else today.year - 1  # the latest year that has ended
    database = pages._current_database() if options["in_place"] else pages._throwaway_database()
    log(f"Writing a synthetic return of {options['episodes']} episodes...")
    files = synthetic_return(options["episodes"], today=today)
    with database as connection, override_settings(DEBUG=False):
        spec = generator.AGENCIES["aim"]
        if not Council.objects.filter(ons_code=spec.councils[0].ons_code).exists():
            generator.create_agency(spec)
        council = Council.objects.get(ons_code=spec.councils[0].ons_code)
        timing = time_import(council, files, year, log)
        log("Timing the scorecard over the imported records...")
        agency = council.agencies.first()
        scorecard = time_scorecard(agency, runs=3) if agency else None
        history = None
        wanted = options.get("history_children")
        size = max(options["episodes"] // EPISODES_PER_HISTORY_CHILD, 10) if wanted is None else wanted
        if size > 0:
            log(f"Writing six years of returns for {size} children with an adoption plan...")
            returns = synthetic.council_returns(SEED, children=size)
            other = Council.objects.get(ons_code=spec.councils[1].ons_code)
            history = time_history(other, returns, log)
        vendor = {"vendor": connection.vendor, "version": pages._version(connection)}
    return {"area": "reporting", "database": vendor, "import": timing, "scorecard": scorecard, "history": history}


def render(result: dict[str, Any]) -> str:
    db, timing = result["database"], result["import"]
    lines = [
        f"Database: {db['vendor']} {db['version']}",
        f"SSDA903 import of {timing['episodes']} episodes; target {timing['target_seconds']} s",
        "",
    ]
    header = ("Import", "Seconds", "Episodes/s", "Children", "Added", "Unchanged", "Rejected", "Within target")
    rows = []
    for attempt, label in (("first", "First import"), ("again", "Same return again")):
        t = timing[attempt]
        within = ("yes" if timing["within_target"] else "NO") if attempt == "first" else ""
        rows.append(
            (
                label,
                f"{t['seconds']:.1f}",
                str(t["episodes_per_second"]),
                str(t["children"]),
                str(t["created"]),
                str(t["unchanged"]),
                str(t["rejected"]),
                within,
            )
        )
    lines += table(header, rows)
    if result.get("scorecard"):
        lines += ["", *scorecard_lines(result["scorecard"])]
    history = result.get("history")
    if history:
        lines += [
            "",
            f"A council's six years of returns imported in one run, oldest first: {history['children']} "
            f"children, {history['child_years']} child-years, {history['episodes']} episode rows in "
            f"{history['seconds']:.1f} s ({history['children_per_second']} children/s, "
            f"{history['episodes_per_second']} episodes/s)",
            "",
        ]
        header = ("Year", "Seconds", "Children", "Episodes", "Added", "Updated", "Unchanged", "Skipped", "Rejected")
        lines += table(
            header,
            [
                (
                    y["year"],
                    f"{y['seconds']:.1f}",
                    *(
                        str(y[k])
                        for k in ("children", "episodes", "created", "updated", "unchanged", "skipped", "rejected")
                    ),
                )
                for y in history["years"]
            ],
        )
    return "\n".join(lines)
