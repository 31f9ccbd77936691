"""`openraa import_recharges FILE --agency bkm --year 2019-20`: record the quarterly staffing recharges
in a CSV file (council ONS code, quarter 1-4, amount, optional budget line). Each row is checked on
its own: rows that pass are recorded (one transaction each), rows that do not are refused with
their reasons. Exits with status 1 when any row was refused."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.common import years
from openraa.finance.selectors import year_for_command
from openraa.finance.services import import_recharges


class Command(BaseCommand):
    help = "Import quarterly staffing recharges from a CSV file; bad rows are refused row by row with reasons."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV with a header row: council,quarter,amount[,line]")
        parser.add_argument("--agency", required=True, help="The agency's code, like bkm")
        parser.add_argument("--year", required=True, type=years.argument, help=years.HELP)

    def handle(self, *args, **options):
        year = year_for_command(options["agency"], options["year"], ": load or add it first")
        try:
            text = options["file"].read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"No file {options['file']}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{options['file']} is not UTF-8 text: save it as CSV (UTF-8)") from None
        report = import_recharges(year, text, source=options["file"].name)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"{len(report.recorded)} recorded, {len(report.refused)} refused.")
        if report.refused:
            raise CommandError(
                f"{len(report.refused)} row{'s' if len(report.refused) != 1 else ''} refused: "
                "correct them and import the file again (rows already recorded are refused as duplicates)",
                returncode=1,
            )
