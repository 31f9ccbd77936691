"""`openraa bench <area> [--json]`: performance checks. Each area is a module with
add_arguments(parser), run(options, log) -> dict and render(dict) -> str; register it in AREAS."""

import json
from dataclasses import dataclass
from types import ModuleType

from django.core.management.base import BaseCommand

from openraa.benchmarks import drift, load, matching, pages, profile, reporting
from openraa.benchmarks import simulation as simulate


@dataclass(frozen=True)
class Area:
    help: str
    module: ModuleType


AREAS: dict[str, Area] = {
    "pages": Area("Page times and query counts with 10,000 children and 10,000 households", pages),
    "drift": Area("Drift page times and query counts with 10,000 children and 10,000 households", drift),
    "matching": Area("Matching engine: shortlist, regional and national assignment on generated data", matching),
    "reporting": Area(
        "SSDA903 import time for 100,000 episodes, the scorecard after it, and a council's six "
        "years of returns imported year by year",
        reporting,
    ),
    "load": Area("The app under gunicorn on PostgreSQL: 50 concurrent staff for 2 minutes, p50/p95/p99", load),
    "profile": Area("Where each flow of the load mix spends its CPU (pyinstrument), with query counts", profile),
    "simulate": Area("Agency simulation on the demo region: policies compared on the same arrivals", simulate),
}


class Command(BaseCommand):
    help = "Run a benchmark area against a throwaway database: " + ", ".join(AREAS)

    def add_arguments(self, parser):
        areas = parser.add_subparsers(dest="area", required=True, metavar="area")
        for name, area in AREAS.items():
            sub = areas.add_parser(name, help=area.help, description=area.module.__doc__)
            sub.add_argument("--json", action="store_true", help="Print one JSON object instead of a table")
            area.module.add_arguments(sub)

    def handle(self, *args, **options):
        area = AREAS[options["area"]]
        quiet = options["json"] or options["verbosity"] == 0
        result = area.module.run(options, log=(lambda message: None) if quiet else self.stderr.write)
        self.stdout.write(json.dumps(result, indent=2) if options["json"] else area.module.render(result))
