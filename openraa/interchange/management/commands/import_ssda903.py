"""`openraa import_ssda903 DIR --council CODE --year YYYY [--report FILE]`: import a council's
SSDA903 return (its CSV tables, recognised by their columns, or the XML form) from a folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from openraa.interchange import services
from openraa.interchange.ssda903 import codes


class Command(BaseCommand):
    help = "Import a council's SSDA903 return: children with an adoption plan and their milestones."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, metavar="DIR", help="Folder holding the return's .csv files or its .xml file")
        parser.add_argument("--council", required=True, help="The council's ONS code (E08000011) or name")
        parser.add_argument("--year", required=True,
                            help="The collection year, by the year it ends on 31 March: 2025 or 2024-25")
        parser.add_argument("--report", type=Path, help="Write the reason report (CSV) here as well")

    def handle(self, *args, **options):
        folder: Path = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        try:
            year = codes.parse_year(options["year"]).end
            council = services.find_council(options["council"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xml"))
        if not paths:
            raise CommandError(f"No .csv or .xml file in {folder}")
        files = [(p.name, p.read_bytes()) for p in paths]
        quiet = options["verbosity"] == 0
        bar = tqdm(unit="child", desc=f"{council} {year - 1}-{year % 100:02d}", disable=quiet, file=self.stderr._out)
        try:
            result = services.import_return(files, council, year, progress=bar.update,
                                            total=lambda n: setattr(bar, "total", n) or bar.refresh())
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        run = result.run
        if options["report"]:
            options["report"].write_text(result.report_csv(), encoding="utf-8")
        if result.refused:
            for line in result.lines:
                self.stderr.write(f"{line.file}: {line.reason}")
            raise CommandError("Nothing was imported: a file is not an SSDA903 table")
        self.stdout.write(
            f"{run.rows} rows, {run.children} children: {run.created} added, {run.updated} brought up to date, "
            f"{run.unchanged} already up to date, {run.skipped} skipped (no adoption plan), {run.rejected} rejected."
        )
        if run.rejected or run.skipped:
            where = options["report"] or "the report of import run " + str(run.pk)
            self.stdout.write(f"Reasons: {where}")
