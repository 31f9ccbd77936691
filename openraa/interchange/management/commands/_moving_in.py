"""The shape every moving-in command shares (import_support_cases, import_letterbox): read and check
the whole file, print the reconciliation and every problem by its line, write nothing while any row
has a problem or on --dry-run, and leave the rows already held alone."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openraa.interchange import moving_in


class MovingInCommand(BaseCommand):
    noun = "Records"  # "Support cases", for the reconciliation

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's short code, e.g. aim")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be done")

    def read(self, agency, table):  # -> (new rows, problems, present)
        raise NotImplementedError

    def write(self, agency, table) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def describe(self, new) -> str:
        raise NotImplementedError

    def handle(self, *args, file: Path, agency: str, dry_run: bool, **options):
        found, table, problems = moving_in.agency_and_table(file, agency)
        new, present = [], []
        if not problems:
            new, problems, present = self.read(found, table)
        for line in moving_in.reconciliation(self.noun, [n.row for n in new], present, problems, True):
            self.stdout.write(line)
        if problems:
            for problem in problems:
                self.stderr.write(f"Line {problem.row}: {problem.reason}")
            raise CommandError(f"Nothing was imported: {len(problems)} problem(s) in {file}")
        if dry_run:
            for row in new:
                self.stdout.write(f"Line {row.row}: would create {row.reference} ({self.describe(row)})")
            return
        created = self.write(found, table)
        for reference, record in created:
            self.stdout.write(f"{reference} is {record.reference}")
        self.stdout.write(f"Created {len(created)} {self.noun.lower()} of {found}")
