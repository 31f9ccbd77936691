"""`openraa drift_digest`: e-mail each worker the overdue timescales of the records allocated to them."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.drift.digest import SCHEDULE, send_digests
from openraa.drift.tasks import drift_digest


class Command(BaseCommand):
    help = (
        "E-mail each worker a digest of the overdue timescales of the open records allocated to them "
        "(references, timescale, days overdue and a link; never a name). Workers with nothing overdue get no "
        "e-mail; workers without an e-mail address are listed. With --enqueue the worker (`openraa db_worker`) "
        f"sends it instead; run it every working morning from cron: '{SCHEDULE}'. The mail goes through "
        "OPENRAA_EMAIL_BACKEND (the outbox page in the demo, SMTP or GOV.UK Notify otherwise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Count as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--dry-run", action="store_true", help="Say who would get a digest; send nothing")
        parser.add_argument("--enqueue", action="store_true", help="Leave it to the worker: queue it and return")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        if options["enqueue"]:
            if options["dry_run"]:
                raise CommandError("--dry-run runs here and now: give it without --enqueue")
            result = drift_digest.enqueue(today.isoformat())
            self.stdout.write(f"Queued the drift digest for {today.isoformat()} (job {result.id}).")
            return
        self.stdout.write("\n".join(send_digests(today, dry_run=options["dry_run"])))
