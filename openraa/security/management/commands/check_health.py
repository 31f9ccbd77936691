"""`openraa check_health`: for cron or a monitoring agent. Exits 0 and prints OK when all is well;
otherwise prints each problem and exits 1 (openraa/security/health.py says what is checked)."""

import json
import sys

from django.core.management import BaseCommand

from openraa.security import health


class Command(BaseCommand):
    help = "Check the database, the background jobs and the backups; exit 1 and name each problem if any."

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed-hours",
            type=int,
            default=health.FAILED_HOURS,
            help=f"report jobs that failed within this many hours (default {health.FAILED_HOURS})",
        )
        parser.add_argument(
            "--queue-minutes",
            type=int,
            default=health.QUEUE_MINUTES,
            help=f"report jobs ready to run for longer than this (default {health.QUEUE_MINUTES})",
        )
        parser.add_argument(
            "--backup-hours",
            type=int,
            default=None,
            help="report a last backup older than this (default OPENRAA_BACKUP_MAX_AGE_HOURS, 26)",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result as JSON")

    def handle(self, *args, failed_hours, queue_minutes, backup_hours, as_json, **options):
        result = health.check(failed_hours=failed_hours, queue_minutes=queue_minutes, backup_hours=backup_hours)
        if as_json:
            self.stdout.write(json.dumps(result.as_json()))
        elif result.ok:
            self.stdout.write("OK")
        else:
            for problem in result.problems:
                self.stdout.write(f"PROBLEM: {problem}")
        if not result.ok:
            sys.exit(1)
