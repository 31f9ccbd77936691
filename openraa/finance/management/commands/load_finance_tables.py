"""`openraa load_finance_tables`: add rows added to fixtures/fee_rates.json (interagency fee rates and
fair-access limits) since the database was created, and correct changed figures."""

from django.core.management.base import BaseCommand

from openraa.finance.loading import load_reference_tables
from openraa.finance.models import FairAccessLimit, FeeRate


class Command(BaseCommand):
    help = "Load the national interagency fee tables and support fund fair-access limits from the fixture."

    def handle(self, *args, **options):
        added, corrected = load_reference_tables(FeeRate, FairAccessLimit)
        self.stdout.write(f"Fee tables and fair-access limits: {added} added, {corrected} corrected.")
