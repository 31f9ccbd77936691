"""`openraa serve`: the container's entry point. Migrates the database, then becomes gunicorn.

gunicorn replaces this process (exec), so it receives the container's stop signal itself and
finishes the requests in flight. With several app servers, migrate once per release
(`openraa migrate`) and start each with `--no-migrate`: two servers migrating at once would race."""

import os
import shlex
import sys

from django.core.management import BaseCommand, call_command
from django.db import connections


def gunicorn_command() -> list[str]:
    """gunicorn under this interpreter, configured by openraa/gunicorn_config.py."""
    return [sys.executable, "-m", "gunicorn", "--config", "python:openraa.gunicorn_config"]


class Command(BaseCommand):
    help = "Migrate the database, then run OpenRAA under gunicorn (configured by the environment)."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="start without migrating (several app servers)")
        parser.add_argument("--print-command", action="store_true", help="print the gunicorn command and stop")

    def handle(self, *args, no_migrate, print_command, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout)
        command = gunicorn_command()
        if print_command:
            self.stdout.write(shlex.join(command))
            return
        connections.close_all()  # gunicorn's workers open their own
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)
