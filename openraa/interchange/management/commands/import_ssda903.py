"""`openraa import_ssda903 DIR [DIR ...] --council CODE [--year Y] [--report FILE] [--json]`: import a
council's SSDA903 returns (their CSV tables, recognised by their columns, or the XML form), one folder
per collection year, in collection-year order so a period of care that began years before is complete.

Each folder's year is `--year` (only with one folder) or the year its name holds ("2024-25",
"ssda903_2025", "2025": a bare year is the year ending in it). `--json` prints, per year, what the
import did and the reconciliation of the return with what OpenRAA holds (the same figures as the
reconciliation page), instead of the sentences."""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from openraa.common import years
from openraa.interchange import services

# "2024-25", "2024/2025" or a bare "2025", not inside a longer number.
_YEAR_IN_NAME = re.compile(r"(?<!\d)\d{4}(?:[-/](?:\d{4}|\d{2}))?(?!\d)")


def year_of_folder(folder: Path) -> years.FinancialYear:
    """The collection year a folder's name holds; refused, naming the folder, when it holds none or several."""
    found = {year for text in _YEAR_IN_NAME.findall(folder.name) if (year := years.parse(text)) is not None}
    if len(found) != 1:
        what = "no collection year" if not found else "more than one collection year"
        raise CommandError(
            f"The name of the folder {folder} holds {what}: name it after its year (2024-25 or "
            "ssda903_2025) or give --year with that one folder"
        )
    return found.pop()


class Command(BaseCommand):
    help = (
        "Import a council's SSDA903 returns (one folder per year): children with an adoption plan and their milestones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folders",
            type=Path,
            nargs="+",
            metavar="DIR",
            help="Folders holding a year's .csv files or its .xml file, one per collection year",
        )
        parser.add_argument("--council", required=True, help="The council's ONS code (E08000011) or name")
        parser.add_argument(
            "--year",
            type=years.argument,
            help=f"With one folder, its collection year: {years.HELP}; otherwise each folder's name gives its year",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="Write the reason report (CSV) here as well; with several "
            "folders, one file per year (the year's label before the suffix)",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print per year what the import did and the reconciliation with the record, as JSON",
        )

    def handle(self, *args, **options):
        folders: list[Path] = [Path(folder) for folder in options["folders"]]
        if isinstance(options["year"], str):  # call_command(year="2025") skips argparse's type
            text, options["year"] = options["year"], years.parse(options["year"])
            if options["year"] is None:
                raise CommandError(years.refusal(text))
        if options["year"] and len(folders) > 1:
            raise CommandError("--year names the year of one folder: with several, each folder's name gives its year")
        for folder in folders:
            if not folder.is_dir():
                raise CommandError(f"{folder} is not a folder")
        by_year: dict[years.FinancialYear, Path] = {}
        for folder in folders:
            year = options["year"] or year_of_folder(folder)
            if year in by_year:
                raise CommandError(f"{by_year[year]} and {folder} are both {year.label}: give one folder per year")
            by_year[year] = folder
        try:
            council = services.find_council(options["council"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        returns = [(year.end, self._files(folder)) for year, folder in sorted(by_year.items(), key=lambda i: i[0].end)]

        quiet = options["verbosity"] == 0 or options["json"]
        bars = []

        def on_year(end: int):
            bar = tqdm(
                unit="child",
                desc=f"{council} {years.FinancialYear.ending_in(end).label}",
                disable=quiet,
                file=self.stderr._out,
            )
            bars.append(bar)
            return bar.update, lambda n: setattr(bar, "total", n) or bar.refresh()

        try:
            results = services.import_history(returns, council, on_year=on_year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars:
                bar.close()
        self._reports(results, options["report"])
        if options["json"]:
            today = timezone.localdate()
            self.stdout.write(json.dumps([services.run_summary(r.run, today) for r in results], indent=1))
        else:
            for result in results:
                self._say(result, options["report"], len(results) > 1)
        refused = [r for r in results if r.refused]
        if refused:
            for result in refused:
                for line in result.lines:
                    self.stderr.write(f"{line.file}: {line.reason}")
            labels = ", ".join(r.run.year_label for r in refused)
            raise CommandError(f"Nothing was imported for {labels}: a file is not an SSDA903 table")

    @staticmethod
    def _files(folder: Path) -> list[tuple[str, bytes]]:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".csv", ".xml"))
        if not paths:
            raise CommandError(f"No .csv or .xml file in {folder}")
        return [(p.name, p.read_bytes()) for p in paths]

    @staticmethod
    def _report_path(report: Path, result, several: bool) -> Path:
        return report.with_name(f"{report.stem}-{result.run.year_label}{report.suffix}") if several else report

    def _reports(self, results, report: Path | None) -> None:
        if report:
            for result in results:
                self._report_path(report, result, len(results) > 1).write_text(result.report_csv(), encoding="utf-8")

    def _say(self, result, report: Path | None, several: bool) -> None:
        run = result.run
        if result.refused:
            return
        self.stdout.write(
            f"{run.council} {run.year_label}: {run.rows} rows, {run.children} children: {run.created} added, "
            f"{run.updated} brought up to date, {run.unchanged} already up to date, {run.skipped} skipped (no "
            f"adoption plan), {run.rejected} rejected; {run.warned} imported with warnings (unusual but real dates)."
        )
        if run.rejected or run.skipped or run.warned:
            where = self._report_path(report, result, several) if report else f"the report of import run {run.pk}"
            self.stdout.write(f"Reasons and warnings: {where}")
