"""`openraa export_ssda903 --council CODE --year YYYY OUT_DIR`: the adoption-relevant SSDA903 tables
(header.csv, episodes.csv, ad1.csv, placed_for_adoption.csv) for a council's collection year, in
the DfE layout, with openraa-export.json beside them: children left out and why, and the values
OpenRAA does not hold."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.interchange import services
from openraa.interchange.ssda903 import codes


class Command(BaseCommand):
    help = "Export a council's adoption tables of the SSDA903 return for a collection year."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's ONS code (E08000011) or name")
        parser.add_argument("--year", required=True,
                            help="The collection year, by the year it ends on 31 March: 2025 or 2024-25")
        parser.add_argument("folder", type=Path, metavar="OUT_DIR")

    def handle(self, *args, **options):
        try:
            year = codes.parse_year(options["year"])
            council = services.find_council(options["council"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = services.export_return(council, year, options["folder"])
        tables = result.tables
        self.stdout.write(
            f"{council} {year - 1}-{year % 100:02d}: {len(tables.header)} children, {len(tables.episodes)} episodes, "
            f"{len(tables.ad1)} adopted (AD1), {len(tables.placed_adoption)} decisions (PlacedAdoption); "
            f"{len(tables.left_out)} children left out. Written to {options['folder']}"
        )
