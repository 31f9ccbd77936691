"""`openraa bench simulate`: the simulation on the demo region. Loads the demo agency (Adoption in
Merseyside, at its demo size) into a throwaway database, fits the simulation's parameters from its
records, runs every policy on the same arrivals over --replications replications and prints each
policy's mean days from placement order to match with its 95% confidence interval, and the
reduction the regional engine gives against each council alone (overall and for hard-to-place
children). Target: the whole default run within 60 s on a 2-core machine."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from openraa.benchmarks.pages import _current_database, _throwaway_database
from openraa.demo import generator
from openraa.simulation import fit, model, report

SEED = 2016
AS_OF = date(2025, 3, 31)  # a fixed day, so the demo records (and the figures) do not move with the calendar
TARGET_SECONDS = 60


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--agency", default="aim", help="Demo agency to load (default %(default)s)")
    parser.add_argument("--years", type=float, default=5.0, help="Horizon in years (default %(default)s)")
    parser.add_argument("--replications", type=int, default=50, help="Replications (default %(default)s)")
    parser.add_argument("--seed", type=int, default=SEED, help="Simulation seed (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="Processes (default %(default)s)")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Load into the current database (for the test suite's throwaway database only)",
    )


def run(options: dict[str, Any], log=lambda message: None) -> dict[str, Any]:
    started = time.perf_counter()
    spec = generator.AGENCIES[options["agency"]]
    with _current_database() if options["in_place"] else _throwaway_database():
        log(f"Loading the demo agency {spec.name} into a throwaway database...")
        loaded = generator.load_agency(
            spec,
            children=spec.children,
            households=spec.households,
            rng=generator.agency_rng(SEED, spec.code),
            password="bench-only-password",
            as_of=AS_OF,
            check_foreign_keys=False,
        )
        load_seconds = time.perf_counter() - started
        params = fit.fit(
            loaded.agency, AS_OF, years=options["years"], replications=options["replications"], seed=options["seed"]
        )
    log(f"Loaded and fitted in {load_seconds:.1f} s: {params.source}. Simulating...")
    result = model.run(params, workers=max(1, options["workers"]))
    total = time.perf_counter() - started
    document = report.as_dict(result)
    document["load_seconds"] = round(load_seconds, 2)
    document["simulation_seconds"] = round(result.seconds, 2)
    document["total_seconds"] = round(total, 2)
    document["target_seconds"] = TARGET_SECONDS
    document["text"] = report.render(result)
    return document


def render(result: dict[str, Any]) -> str:
    return (
        f"{result['text']}\nLoad and fit {result['load_seconds']:.1f} s, simulation {result['simulation_seconds']:.1f} s, "
        f"total {result['total_seconds']:.1f} s (target {result['target_seconds']} s)"
    )
