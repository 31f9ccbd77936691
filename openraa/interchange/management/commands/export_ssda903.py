"""`openraa export_ssda903 --council CODE --year 2024-25 OUT_DIR`: the adoption-relevant SSDA903 tables
(header.csv, episodes.csv, ad1.csv, placed_for_adoption.csv, and dolo.csv from 2026-27) for a
council's collection year, in that year's DfE layout, with openraa-export.json beside them: children
left out and why, and the values OpenRAA does not hold."""

from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.common import years
from openraa.interchange import services


class Command(BaseCommand):
    help = "Export a council's adoption tables of the SSDA903 return for a collection year."

    def add_arguments(self, parser):
        parser.add_argument("--council", required=True, help="The council's ONS code (E08000011) or name")
        parser.add_argument("--year", required=True, type=years.argument, help=f"The collection year: {years.HELP}")
        parser.add_argument("folder", type=Path, metavar="OUT_DIR")

    def handle(self, *args, **options):
        year = options["year"]
        if isinstance(year, str):  # call_command(year=...) hands the text over unparsed
            try:
                year = years.argument(year)
            except ArgumentTypeError as error:
                raise CommandError(str(error)) from error
        try:
            council = services.find_council(options["council"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        result = services.export_return(council, year, options["folder"])
        tables = result.tables
        self.stdout.write(
            f"{council} {year.label}: {len(tables.header)} children, {len(tables.episodes)} episodes, "
            f"{len(tables.ad1)} adopted (AD1), {len(tables.placed_adoption)} decisions (PlacedAdoption); "
            f"{len(tables.left_out)} children left out. Written to {options['folder']}"
        )
