"""`openraa backup OUT.xml.gz`: every record of every app, history and audit tables included.

A Django fixture (dumpdata) rather than pg_dump or sqlite3's .backup: the same command and file
work for SQLite and PostgreSQL, need no database client binaries, and a backup taken from the
embedded SQLite database restores into PostgreSQL (and back). XML, not JSON: Django's JSON
encoder cuts timestamps to milliseconds, and an audit log must keep them exactly. Restore into a database migrated to
the same version of OpenRAA. Content types, permissions, sessions, sign-in attempt counters and the
worker's queued jobs are left out: migrate recreates the first two, and the others are short-lived
(cron enqueues the jobs again)."""

from django.core.management import BaseCommand, call_command

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "django_tasks_database"]


class Command(BaseCommand):
    help = "Write every record, with history and the audit log, to a Django XML fixture (.xml or .xml.gz)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="file to write, e.g. openraa-2026-11-25.xml.gz")

    def handle(self, *args, out, **options):
        if not (out.endswith((".xml", ".xml.gz"))):
            out += ".xml.gz"
        call_command(
            "dumpdata",
            format="xml",
            natural_foreign=True,
            exclude=EXCLUDED,
            output=out,
            verbosity=0,
        )
        self.stdout.write(f"Backed up to {out}")
