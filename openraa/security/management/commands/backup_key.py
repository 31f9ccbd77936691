"""`openraa backup_key KEY`: a new age key pair for the backups. Run it on the machine that will
restore (or an administrator's), not on the server: the server needs only the public key."""

import os
from pathlib import Path

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from openraa.security import backups


class Command(BaseCommand):
    help = "Make a key pair for encrypted backups: the private key into KEY, the public key printed."

    def add_arguments(self, parser):
        parser.add_argument("key", help="file to write the private key to (refused if it exists)")

    def handle(self, *args, key, **options):
        path = Path(key)
        secret, public = backups.new_key_pair()
        text = f"# created: {timezone.now():%Y-%m-%dT%H:%M:%SZ}\n# public key: {public}\n{secret}\n"
        try:
            # O_EXCL: never overwrite a key that older backups may need; 0600: the owner alone reads it.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} exists: a key that opens older backups is never overwritten.") from None
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        with os.fdopen(descriptor, "w") as file:
            file.write(text)
        self.stdout.write(
            f"Private key written to {path}. Keep it OFF the server, in two safe places (a password manager, "
            "a sealed envelope in the safe): without it no backup can be restored, and whoever has it can read "
            "every backup.\n"
            f"Put the public key on the server: OPENRAA_BACKUP_RECIPIENT={public}\n"
            f"Restore with: openraa restore BACKUP --identity {path}"
        )
