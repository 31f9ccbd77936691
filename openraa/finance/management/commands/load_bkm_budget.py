"""`openraa load_bkm_budget`: load the Bexley, Kent and Medway 2019-20 budget table from the council
paper (fixtures/bkm_budget_2019-20.json) into the agency `bkm`; with --demo-actuals, also year 1
(2020-21) rolled forward with a synthetic pay award and interagency budget, and synthetic actuals for
its first six months. Safe to run again."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.finance.loading import (
    BKM_BUDGET,
    BKM_YEAR_ONE,
    LoadError,
    load_budget_paper,
    load_demo_actuals,
    load_year_one,
)
from openraa.finance.models import FinancialYear


class Command(BaseCommand):
    help = "Load the Bexley, Kent and Medway 2019-20 budget (as the council paper printed it) into the agency bkm."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=BKM_BUDGET, help="Another budget paper fixture to load")
        parser.add_argument("--agency", help="Load into this agency instead of the one the file names")
        parser.add_argument(
            "--demo-actuals",
            action="store_true",
            help="Also roll 2019-20 forward into year 1 (2020-21) with a synthetic pay award and interagency "
            "budget, and add synthetic recharges, costs and support fund income to year 1",
        )
        parser.add_argument(
            "--year-one", type=Path, default=BKM_YEAR_ONE, help="The year 1 fixture (with --demo-actuals)"
        )

    def handle(self, *args, **options):
        try:
            loaded = load_budget_paper(options["file"], options["agency"])
        except (LoadError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(loaded.message)
        if options["demo_actuals"]:
            # 2019-20 is each council's budget to be transferred (the agency began on 1 April 2020):
            # the synthetic actuals go in year 1, never in a year before the agency existed.
            try:
                year_one = load_year_one(options["year_one"], options["agency"])
            except (LoadError, FileNotFoundError) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(year_one.message)
            year = year_one.year or FinancialYear.objects.get(
                agency__code=options["agency"] or "bkm", start_year=loaded_start(options["year_one"])
            )
            self.stdout.write(load_demo_actuals(year))


def loaded_start(path: Path) -> int:
    return int(json.loads(path.read_text(encoding="utf-8"))["year"])
