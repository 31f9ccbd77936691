"""`openraa governance_reminders`: agreements expiring or expired and documents due for review, per
agency; printed, or e-mailed to each agency's administrators with --email."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.governance.reminders import SCHEDULE, all_agencies, email_reminders, lines
from openraa.governance.selectors import reminders_for_agency
from openraa.governance.tasks import governance_reminders


class Command(BaseCommand):
    help = (
        "List each agency's agreements expiring within their reminder window or expired, and the documents "
        "due for review or overdue. With --email, send the list to the agency's administrators instead (no "
        "e-mail when there is nothing to remind); with --enqueue too, the worker (`openraa db_worker`) sends "
        f"it. Run it weekly from cron: '{SCHEDULE}'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Only this agency (its code, like aim)")
        parser.add_argument("--date", type=date.fromisoformat, help="Remind as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--email", action="store_true", help="E-mail the agency's administrators")
        parser.add_argument("--enqueue", action="store_true", help="With --email: queue it for the worker and return")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        agencies = all_agencies(options["agency"])
        if options["agency"] and not agencies:
            raise CommandError(f"No agency with the code {options['agency']!r}")
        if options["enqueue"]:
            if not options["email"]:
                raise CommandError("--enqueue queues the e-mails: give it with --email")
            result = governance_reminders.enqueue(today.isoformat(), options["agency"])
            self.stdout.write(f"Queued the governance reminders for {today.isoformat()} (job {result.id}).")
            return
        if options["email"]:
            self.stdout.write("\n".join(email_reminders(agencies, today)))
            return
        for agency in agencies:
            reminders = reminders_for_agency(agency, today)
            self.stdout.write(
                f"{agency.name} on {today:%d/%m/%Y}: {len(reminders)} reminder{'' if len(reminders) == 1 else 's'}"
            )
            self.stdout.write("\n".join(f"  {line}" for line in lines(reminders)))
