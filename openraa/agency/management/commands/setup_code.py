"""`openraa setup_code`: the code the first-run page (/setup/) asks for, shown only to whoever can run
commands on the server."""

from django.core.management.base import BaseCommand

from openraa.agency.first_run import setup_code
from openraa.partnership.models import Agency


class Command(BaseCommand):
    help = "The setup code of the first-run page (/setup/), open while no agency exists"

    def handle(self, *args, **options):
        if Agency.objects.exists():
            self.stdout.write("An agency is set up already: the first-run page is closed.")
            return
        self.stdout.write(f"Setup code: {setup_code()} (open /setup/ on the site)")
