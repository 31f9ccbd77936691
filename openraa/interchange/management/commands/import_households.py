"""`openraa import_households FILE --agency aim [--dry-run]`: a council's households and their
applicants from its system's CSV or XLSX export, with a reconciliation (rows read, households to
create by stage, already here, refused) and row-by-row reasons; nothing is imported while any row
has a problem, and a household already held (an earlier run of the same file) is not imported again."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.households import moving_in as template
from openraa.interchange import moving_in


class Command(BaseCommand):
    help = "Import households and their applicants from a CSV or XLSX file (" + ", ".join(template.COLUMNS) + ")"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's short code, e.g. aim")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be done")

    def handle(self, *args, file: Path, agency: str, dry_run: bool, **options):
        found, table, problems = moving_in.agency_and_table(file, agency)
        households: list[template.NewHousehold] = []
        present: list[template.Present] = []
        if not problems:
            households, problems, present = moving_in.read_households(found, table)
        for line in moving_in.reconciliation("Households", [h.row for h in households], present, problems, True):
            self.stdout.write(line)
        self.stdout.write(f"  with {sum(len(h.applicants) for h in households)} applicant(s), by stage:")
        for stage, count in sorted(Counter(h.stage for h in households).items()):
            self.stdout.write(f"    {stage.label}: {count}")
        if problems:
            for problem in problems:
                self.stderr.write(f"Line {problem.row}: {problem.reason}")
            raise CommandError(f"Nothing was imported: {len(problems)} problem(s) in {file}")
        if dry_run:
            for h in households:
                names = " and ".join(f"{a.first_name} {a.last_name}" for a in h.applicants)
                self.stdout.write(f"Line {h.row}: would create {h.reference} ({names}), {h.stage.label}")
            return
        created = moving_in.import_households(found, table, by=None)
        for reference, household in created:
            self.stdout.write(f"{reference} is {household.reference}")
        self.stdout.write(f"Created {len(created)} household(s) of {found}")
