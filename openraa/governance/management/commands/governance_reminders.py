"""`openraa governance_reminders`: agreements expiring or expired and documents due for review, per
agency; printed, or e-mailed to each agency's administrators with --email."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openraa.governance.selectors import Reminder, reminders_for_agency
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.people.roles import Role

SCHEDULE = "0 7 * * 1 openraa governance_reminders --email"


class Command(BaseCommand):
    help = (
        "List each agency's agreements expiring within their reminder window or expired, and the documents "
        "due for review or overdue. With --email, send the list to the agency's administrators instead (no "
        f"e-mail when there is nothing to remind). Run it weekly from cron: '{SCHEDULE}'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="Only this agency (its code, like aim)")
        parser.add_argument("--date", type=date.fromisoformat, help="Remind as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--email", action="store_true", help="E-mail the agency's administrators")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        agencies = Agency.objects.all()
        if options["agency"]:
            agencies = agencies.filter(code=options["agency"])
            if not agencies:
                raise CommandError(f"No agency with the code {options['agency']!r}")
        for agency in agencies:
            reminders = reminders_for_agency(agency, today)
            if not options["email"]:
                self.stdout.write(
                    f"{agency.name} on {today:%d/%m/%Y}: {len(reminders)} reminder{'' if len(reminders) == 1 else 's'}"
                )
                self.stdout.write("\n".join(f"  {line}" for line in lines(reminders)))
                continue
            if not reminders:
                continue
            addresses = list(
                User.objects.filter(agency=agency, role=Role.ADMINISTRATOR, is_active=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if not addresses:
                self.stdout.write(
                    f"{agency.name}: {len(reminders)} reminders but no administrator has an e-mail address"
                )
                continue
            send_mail(
                f"OpenRAA: {len(reminders)} governance reminder{'' if len(reminders) == 1 else 's'}",
                body(agency, reminders, today),
                settings.DEFAULT_FROM_EMAIL,
                addresses,
                fail_silently=False,
            )
            self.stdout.write(f"{agency.name}: sent {len(reminders)} reminders to {len(addresses)} administrators")


def lines(reminders: list[Reminder]) -> list[str]:
    return [
        f"{r.title} ({r.kind}): {r.status_label.lower()}, {r.date_label.lower()} {r.due_on:%d/%m/%Y}" for r in reminders
    ]


def body(agency: Agency, reminders: list[Reminder], today: date) -> str:
    site = settings.OPENRAA_SITE_URL
    listed = [f"- {line}\n  {site}{reminder.url}" for line, reminder in zip(lines(reminders), reminders)]
    return "\n".join([f"On {today:%d/%m/%Y} these governance records of {agency.name} need attention:", "", *listed])
