"""`openraa restore IN.xml.gz`: load a backup written by `openraa backup` into an empty database.

Run `openraa migrate` first. The restore is one transaction: it all loads or nothing does. A
database that already holds users is refused unless --replace is given, which empties it first."""

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from openraa.common.loading import restoring


class Command(BaseCommand):
    help = "Restore a backup written by `openraa backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("infile", help="backup file (.xml or .xml.gz)")
        parser.add_argument(
            "--replace", action="store_true", help="delete everything in the database first (cannot be undone)"
        )

    def handle(self, *args, infile, replace, **options):
        if get_user_model().objects.exists():
            if not replace:
                raise CommandError(
                    "The database is not empty. Restore into an empty database, "
                    "or give --replace to delete everything in it first."
                )
            call_command("flush", interactive=False, verbosity=0)
        # The backup holds the history rows; loading must not write new ones for what it loads.
        with override_settings(SIMPLE_HISTORY_ENABLED=False), restoring(), transaction.atomic():
            call_command("loaddata", infile, verbosity=0)
        self.stdout.write(f"Restored from {infile}")
