"""`openraa scorecard --agency aim [--council E08000011] [--year 2025] [--json]`: the adoption
scorecard (A10, A1, A2 per year and over 3 years against the thresholds), the year's activity and
the timeliness breakdowns, from the same module as the pages. Counts only: no child or household
is named. The command is for the server's administrators, who can read the database itself, so it
prints every count exactly; `--suppress` prints it as the board sees it. `--save` keeps the given A1/A10 thresholds as the agency's (A2 and the waiting limits are
its timescale targets)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from openraa.partnership.models import Agency, Council
from openraa.performance import scorecard as sc
from openraa.performance.disclosure import NOBODY
from openraa.performance.present import ScorecardOutput, publish, text_table
from openraa.performance.selectors import offered_years, records, scorecard_of, thresholds_for, with_thresholds


def _year(value: str) -> int:
    try:
        year = int(value.split("-")[0])
    except ValueError:
        raise CommandError(f"--year: give a year like 2025 or 2025-26, not {value!r}") from None
    if not 1990 <= year <= 2100:
        raise CommandError(f"--year: {value!r} is out of range")
    return year


class Command(BaseCommand):
    help = ("Print the adoption scorecard of an agency (and one council): A10, A1 and A2 per financial year and "
            "over 3 years against the thresholds, the year's activity and timeliness by characteristic.")

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="The agency's code, like aim")
        parser.add_argument("--council", help="ONS code or name of one member council: its figures and breakdowns")
        parser.add_argument("--year", help="Financial year: 2025 or 2025-26 is April 2025 to March 2026 "
                                           "(default: the year running on --date)")
        parser.add_argument("--date", type=date.fromisoformat, help="Count as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--json", action="store_true", help="Print one JSON object instead of tables")
        parser.add_argument("--a1-threshold", type=int, help="A1 threshold in days (default the agency's, else 426)")
        parser.add_argument("--a10-threshold", type=int, help="A10 threshold in days (default the agency's, else 426)")
        parser.add_argument("--a2-threshold", type=int, help="A2 threshold in days (default the agency's, else 121)")
        parser.add_argument("--save", action="store_true", help="Keep the given thresholds as the agency's")
        parser.add_argument("--suppress", action="store_true",
                            help="Print it as the board sees it: small numbers suppressed for every council")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}")
        as_of = options["date"] or timezone.localdate()
        year = _year(options["year"]) if options["year"] else sc.default_year(as_of)
        thresholds = with_thresholds(thresholds_for(agency), a1_days=options["a1_threshold"],
                                     a10_days=options["a10_threshold"], a2_days=options["a2_threshold"])
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
                raise CommandError("--suppress gives the board's view: the agency's breakdowns, not a council's")
            output = ScorecardOutput(card, disclosure=self.as_the_board(agency, card, thresholds, as_of))
        else:  # the server's administrator reads the database itself: nothing to hide from them
            output = ScorecardOutput(card, suppress=False, breakdown_group=code)
        if options["json"]:
            data = output.api_dict()
            if code:
                data["groups"] = [g for g in data["groups"] if g["council"] in (code, None)]
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(f"{agency.name}: adoption scorecard {card.year.label} (3 years {card.window.label}), "
                          f"as of {card.as_of.isoformat()}\n")
        for table in output.tables():
            if code and not table.key.startswith("breakdown"):
                table.rows = [r for r in table.rows if r.header in (card.group(code).name, "All councils")
                              or table.key.startswith("activity")]
                if table.key.startswith("activity"):
                    keep = [i for i, g in enumerate(card.groups) if g.code in (code, sc.AGENCY)]
                    table.columns = [table.columns[0], *(table.columns[i + 1] for i in keep)]
                    for row in table.rows:
                        row.cells = [row.cells[i] for i in keep]
            self.stdout.write(text_table(table) + "\n\n")
        for note in output.notes():
            self.stdout.write(f"Note: {note}\n")

    def as_the_board(self, agency: Agency, card: sc.Scorecard, thresholds: sc.Thresholds, as_of: date):
        """The same suppression as the board's pages: every year they offer and the pack together."""
        loaded = records(agency)
        years = sorted(set(offered_years(as_of)) | {sc.year_of(card.year.start)})
        cards = [scorecard_of(agency, year=y, as_of=as_of, thresholds=thresholds, loaded=loaded) for y in years]
        cards = [card if c.year == card.year else c for c in cards]
        board = sc.compute_board(loaded.children, loaded.households, as_of=as_of, councils=loaded.councils)
        return publish(cards, board, NOBODY)

    def save(self, agency: Agency, thresholds: sc.Thresholds) -> None:
        from openraa.journeys.models import AgencyTargets
        from openraa.performance.models import ScorecardThresholds

        own, _ = ScorecardThresholds.objects.get_or_create(agency=agency)
        own.a1_days, own.a10_days = thresholds.a1_days, thresholds.a10_days
        own.full_clean()
        own.save()
        targets, _ = AgencyTargets.objects.get_or_create(agency=agency)
        if targets.order_to_match_days != thresholds.a2_days:
            targets.order_to_match_days = thresholds.a2_days
            targets.full_clean()
            targets.save()
        self.stderr.write(f"Saved the thresholds of {agency.name}: A1 {thresholds.a1_days}, A10 {thresholds.a10_days}, "
                          f"A2 {thresholds.a2_days} days.")
