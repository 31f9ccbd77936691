"""`openraa load_bkm_budget`: load the Bexley, Kent and Medway 2019-20 budget table from the council
paper (fixtures/bkm_budget_2019-20.json) into the agency `bkm`. Safe to run again."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.finance.loading import BKM_BUDGET, LoadError, load_budget_paper, load_demo_actuals, read_budget_paper
from openraa.finance.models import FinancialYear


class Command(BaseCommand):
    help = "Load the Bexley, Kent and Medway 2019-20 budget (as the council paper printed it) into the agency bkm."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=BKM_BUDGET, help="Another budget paper fixture to load")
        parser.add_argument("--agency", help="Load into this agency instead of the one the file names")
        parser.add_argument(
            "--demo-actuals",
            action="store_true",
            help="Also add synthetic recharges, costs and support fund income for the demo",
        )

    def handle(self, *args, **options):
        try:
            loaded = load_budget_paper(options["file"], options["agency"])
        except (LoadError, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(loaded.message)
        if options["demo_actuals"]:
            year = loaded.year or FinancialYear.objects.get(
                agency__code=options["agency"] or read_budget_paper(options["file"])["agency"],
                start_year=read_budget_paper(options["file"])["year"],
            )
            self.stdout.write(load_demo_actuals(year))
