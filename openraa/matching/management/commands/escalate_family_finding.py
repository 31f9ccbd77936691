"""Offer children with no viable household in their region, once they have waited their agency's
time, to the agencies that take offers (daily cron line in the README)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.matching import escalation


class Command(BaseCommand):
    help = "Offer children with no viable household in the region to neighbouring agencies that take offers"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to act as of (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("--date must be a date like 2026-12-04") from error
        made = escalation.escalate_everywhere(today)
        self.stdout.write(f"{len(made)} offer{'s' if len(made) != 1 else ''} made")
