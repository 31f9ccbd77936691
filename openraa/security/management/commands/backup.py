"""`openraa backup OUT`: one encrypted archive with every record (history and the audit log included)
and every stored file (openraa/security/backups.py).

The records are a Django fixture (dumpdata) rather than pg_dump or sqlite3's .backup: the same
command and file work for SQLite and PostgreSQL, need no database client binaries, and a backup
taken from the embedded SQLite database restores into PostgreSQL (and back). XML, not JSON: Django's
JSON encoder cuts timestamps to milliseconds, and an audit log must keep them exactly. Restore into
a database migrated to the same version of OpenRAA."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from openraa.security import backups
from openraa.security.models import BackupRun


class Command(BaseCommand):
    help = "Write every record, with history and the audit log, and every stored file to one encrypted archive."

    def add_arguments(self, parser):
        parser.add_argument("out", help="file to write, e.g. openraa-2026-11-25.age")
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="write the archive unencrypted (a demo or development copy only: it holds every record)",
        )

    def handle(self, *args, out, unencrypted, **options):
        public_key = settings.OPENRAA_BACKUP_RECIPIENT or None
        if public_key is None and not unencrypted:
            raise CommandError(
                "No backup was written: OPENRAA_BACKUP_RECIPIENT is not set, and a backup holds every record. "
                "Make a key pair with `openraa backup_key`, keep the private key off this server and set "
                "OPENRAA_BACKUP_RECIPIENT to the public key; or give --unencrypted for a demo or development copy."
            )
        if unencrypted:
            public_key = None
        try:
            written = backups.write(Path(out), public_key)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        BackupRun.objects.create(
            finished_at=timezone.now(),
            name=str(written.path),
            size=written.size,
            files=written.files,
            encrypted=written.encrypted,
        )
        how = "encrypted" if written.encrypted else "UNENCRYPTED"
        self.stdout.write(f"Backed up to {written.path} ({how}; {written.files} stored files, {written.size:,} bytes)")
