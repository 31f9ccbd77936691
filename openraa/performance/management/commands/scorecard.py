"""`openraa scorecard --agency aim [--council E08000011] [--year 2024-25] [--json]`: the adoption
scorecard (A1-A16 for the year and over the 3 years; A10, A1, A2, A3 per year against the
thresholds), the year's activity and the timeliness breakdowns, from the same module as the pages;
`--json` prints the API's structure (present.as_dict). `--year 2024-25` and `--year 2025` are the
same year (common/years.py). Counts only: no child or household is named. The command is for the
server's administrators, who can read the database itself, so it prints every count exactly;
`--suppress` prints it as the board sees it. `--save` keeps the given A1/A10 thresholds as the
agency's (A2 and the waiting limits are its timescale targets); A3 follows the A1 threshold."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from openraa.common import years
from openraa.common.disclosure import NOBODY
from openraa.common.years import FinancialYear
from openraa.journeys.models import AgencyTargets
from openraa.partnership.models import Agency, Council
from openraa.performance import scorecard as sc
from openraa.performance.models import ScorecardThresholds
from openraa.performance.present import ScorecardOutput, as_dict, publish, text_table
from openraa.performance.selectors import offered_years, records, scorecard_of, thresholds_for, with_thresholds


class Command(BaseCommand):
    help = (
        "Print the adoption scorecard of an agency (and one council): A10, A1 and A2 per financial year and "
        "over 3 years against the thresholds, A3-A16, the year's activity and timeliness by characteristic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, like aim")
        parser.add_argument("--council", help="ONS code or name of one member council: its figures and breakdowns")
        parser.add_argument("--year", type=years.argument, help=f"{years.HELP} (default: the year running on --date)")
        parser.add_argument("--date", type=date.fromisoformat, help="Count as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of tables")
        parser.add_argument(
            "--a1-threshold", type=int, help="A1 threshold in days, which A3 follows (default the agency's, else 426)"
        )
        parser.add_argument("--a10-threshold", type=int, help="A10 threshold in days (default the agency's, else 426)")
        parser.add_argument("--a2-threshold", type=int, help="A2 threshold in days (default the agency's, else 121)")
        parser.add_argument("--save", action="store_true", help="Keep the given thresholds as the agency's")
        parser.add_argument(
            "--suppress",
            action="store_true",
            help="Print it as the board sees it: small numbers suppressed for every council",
        )

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}")
        as_of = options["date"] or timezone.localdate()
        year = options["year"] or FinancialYear.containing(as_of)
        if isinstance(year, str):  # call_command hands keyword options over without the parser's type
            parsed = years.parse(year)
            if parsed is None:
                raise CommandError(f"--year: {years.refusal(year)}")
            year = parsed
        thresholds = with_thresholds(
            thresholds_for(agency),
            a1_days=options["a1_threshold"],
            a10_days=options["a10_threshold"],
            a2_days=options["a2_threshold"],
        )
        if options["save"]:
            self.save(agency, thresholds)
        card = scorecard_of(agency, year=year, as_of=as_of, thresholds=thresholds)
        code = sc.AGENCY
        if options["council"]:
            wanted = options["council"]
            council = Council.objects.filter(Q(ons_code__iexact=wanted) | Q(name__iexact=wanted)).first()
            if council is None or council.ons_code not in {g.code for g in card.councils}:
                raise CommandError(f"{wanted!r} is not a council of {agency.name}")
            code = council.ons_code
        if options["suppress"]:
            if code:
                raise CommandError("--suppress gives the board's view: all councils' breakdowns, not a council's")
            output = ScorecardOutput(card, disclosure=self.as_the_board(agency, card, thresholds, as_of))
        else:  # the server's administrator reads the database itself: nothing to hide from them
            output = ScorecardOutput(card, suppress=False, breakdown_group=code, only=code or None)
        if options["json"]:
            self.stdout.write(json.dumps(as_dict(output), indent=2))
            return
        self.stdout.write(
            f"{agency.name}: adoption scorecard {card.year.label} (3 years {card.window.label}), "
            f"as of {card.as_of.isoformat()}\n"
        )
        for table in output.tables():
            self.stdout.write(text_table(table) + "\n\n")
        for note in output.notes():
            self.stdout.write(f"Note: {note}\n")

    def as_the_board(self, agency: Agency, card: sc.Scorecard, thresholds: sc.Thresholds, as_of: date):
        """The same suppression as the board's pages: every year they offer and the pack together."""
        loaded = records(agency)
        wanted = sorted(set(offered_years(as_of)) | {card.financial_year})
        cards = [
            card
            if y == card.financial_year
            else scorecard_of(agency, year=y, as_of=as_of, thresholds=thresholds, loaded=loaded)
            for y in wanted
        ]
        board = sc.compute_board(loaded.children, loaded.households, as_of=as_of, councils=loaded.councils)
        return publish(cards, board, NOBODY)

    def save(self, agency: Agency, thresholds: sc.Thresholds) -> None:
        own, _ = ScorecardThresholds.objects.get_or_create(agency=agency)
        own.a1_days, own.a10_days = thresholds.a1_days, thresholds.a10_days
        own.full_clean()
        own.save()
        targets, _ = AgencyTargets.objects.get_or_create(agency=agency)
        if targets.order_to_match_days != thresholds.a2_days:
            targets.order_to_match_days = thresholds.a2_days
            targets.full_clean()
            targets.save()
        self.stderr.write(
            f"Saved the thresholds of {agency.name}: A1 {thresholds.a1_days}, A10 {thresholds.a10_days}, "
            f"A2 {thresholds.a2_days} days."
        )
