"""`openraa restore IN --identity KEY`: load a backup written by `openraa backup` into an empty database.

Run `openraa migrate` first. The archive is decrypted and checked whole before anything changes: a
wrong key or an archive that was altered or cut short is refused with the database untouched. The
records load in one transaction (all or nothing), then the stored files go back into the storage
inside it (a file that cannot be written undoes the records too). A database that already holds
users, or a storage that already holds a file of the backup, is refused unless --replace is given,
which empties the database first and replaces those files. Backups from before the archive format
(.xml, .xml.gz fixtures) still restore."""

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from openraa.common.loading import restoring
from openraa.security import backups


class Command(BaseCommand):
    help = "Restore a backup written by `openraa backup` into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("infile", help="the backup file")
        parser.add_argument("--identity", metavar="KEY", help="the private key file (from `openraa backup_key`)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete every record in the database first, and replace stored files of the same name (cannot be undone)",
        )

    def handle(self, *args, infile, identity, replace, **options):
        try:
            keys = backups.identities(Path(identity)) if identity else None
            backup = backups.read(Path(infile), keys)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        try:
            self._restore(backup, replace)
        finally:
            shutil.rmtree(backup.folder, ignore_errors=True)  # the decrypted copy
        note = "" if backup.encrypted else " (an unencrypted backup)"
        self.stdout.write(f"Restored from {infile}{note}: the records and {len(backup.files)} stored files")

    def _restore(self, backup: backups.Read, replace: bool) -> None:
        storage = backups.default_storage()
        if not replace:
            if get_user_model().objects.exists():
                raise CommandError(
                    "The database is not empty. Restore into an empty database, "
                    "or give --replace to delete everything in it first."
                )
            clashing = [name for name in backup.files if storage.exists(name)]
            if clashing:
                raise CommandError(
                    f"The file storage already holds {len(clashing)} of the backup's files (e.g. {clashing[0]}). "
                    "Restore into an empty storage, or give --replace to replace them."
                )
        # The backup holds the history rows; loading must not write new ones for what it loads.
        with override_settings(SIMPLE_HISTORY_ENABLED=False), restoring(), transaction.atomic():
            if replace:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(backup.fixture), verbosity=0)
            try:
                backups.restore_files(backup, storage)
            except (backups.BackupError, OSError) as error:
                raise CommandError(f"Restoring the stored files failed, so nothing was restored: {error}") from error
