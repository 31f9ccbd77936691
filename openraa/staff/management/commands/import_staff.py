"""`openraa import_staff --agency aim staff.csv [--dry-run]`: invite a whole staff list, row-by-row
reasons first; nothing is imported while any row has a problem."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openraa.partnership.models import Agency
from openraa.staff import roster, services


class Command(BaseCommand):
    help = "Invite the staff of a CSV list (" + ", ".join(roster.COLUMNS) + ")"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="the agency's short code, e.g. aim")
        parser.add_argument("--dry-run", action="store_true", help="check the file and say what would be done")

    def handle(self, *args, file: Path, agency: str, dry_run: bool, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"No agency with the code {agency!r}")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        starters, problems = services.read_roster(found, text)
        if problems:
            for problem in problems:
                self.stderr.write(f"Line {problem.row}: {problem.reason}")
            raise CommandError(f"Nothing was imported: {len(problems)} problem(s) in {file}")
        if dry_run:
            for s in starters:
                self.stdout.write(
                    f"Would invite {s.first_name} {s.last_name} <{s.email}>: {s.role_labels}, {s.employing_council}"
                )
            return
        people = services.import_roster(found, text, by=None)
        for person in people:
            services.send_invitation(person)
        self.stdout.write(f"Invited {len(people)} staff of {found}")
