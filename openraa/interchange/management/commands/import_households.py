"""`openraa import_households FILE --agency aim [--dry-run]`: a council's households and their
applicants from its system's CSV or XLSX export, with a reconciliation (rows read, households by
stage) and row-by-row reasons; nothing is imported while any row has a problem."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.households import moving_in as template
from openraa.interchange import moving_in
from openraa.partnership.models import Agency


class Command(BaseCommand):
    help = "Import households and their applicants from a CSV or XLSX file (" + ", ".join(template.COLUMNS) + ")"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's short code, e.g. aim")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be done")

    def handle(self, *args, file: Path, agency: str, dry_run: bool, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"No agency with the code {agency!r}")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        table, problems = moving_in.table_of(file.name, data)
        households: list[template.NewHousehold] = []
        if not problems:
            households, problems = moving_in.read_households(found, table)
        refused = {p.row for p in problems if p.row > 1}
        self.stdout.write(f"Rows read: {len(households) + len(refused)}")
        self.stdout.write(f"Households {'to create' if dry_run else 'in the file'}: {len(households)}")
        self.stdout.write(f"  with {sum(len(h.applicants) for h in households)} applicant(s), by stage:")
        for stage, count in sorted(Counter(h.stage for h in households).items()):
            self.stdout.write(f"    {stage.label}: {count}")
        if problems:
            self.stdout.write(f"Rows with problems: {len(refused)}")
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
