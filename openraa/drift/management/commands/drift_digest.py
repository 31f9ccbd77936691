"""`openraa drift_digest`: e-mail each worker the overdue timescales of the records allocated to them."""

from datetime import date

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openraa.children.models import Child
from openraa.drift.selectors import CHILD_CLOSED, DriftItem, drift_overview
from openraa.drift.text import days, long_date
from openraa.households.domain import HouseholdStage
from openraa.households.models import Household
from openraa.people.models import User

SCHEDULE = "0 7 * * 1-5 openraa drift_digest"
MOST = 50  # items listed in one e-mail; the rest are on the worker's drift page


class Command(BaseCommand):
    help = (
        "E-mail each worker a digest of the overdue timescales of the open records allocated to them "
        "(references, timescale, days overdue and a link; never a name). Workers with nothing overdue get no "
        "e-mail; workers without an e-mail address are listed. Run it every working morning from cron: "
        f"'{SCHEDULE}'. The mail goes through EMAIL_BACKEND (the console in the demo, SMTP otherwise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="Count as of this day, YYYY-MM-DD (default today)")
        parser.add_argument("--dry-run", action="store_true", help="Say who would get a digest; send nothing")

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        messages, no_address = [], []
        for worker in allocated_workers():
            # The worker's own view: the policy decides, so a worker never hears of a record they
            # may no longer see (a move to another council, a change of role).
            overdue = drift_overview(worker, today, worker=worker).overdue
            if not overdue:
                continue
            if not worker.email:
                no_address.append(f"{worker.username} ({len(overdue)} overdue)")
                continue
            messages.append(
                (subject(overdue, today), body(worker, overdue, today), settings.DEFAULT_FROM_EMAIL, [worker.email])
            )
        if options["dry_run"]:
            for subject_line, _, _, (address,) in messages:
                self.stdout.write(f"Would send to {address}: {subject_line}")
        elif messages:
            send_mass_mail(messages, fail_silently=False, connection=get_connection())
        verb = "Would send" if options["dry_run"] else "Sent"
        self.stdout.write(f"{verb} {len(messages)} digest{'' if len(messages) == 1 else 's'} for {long_date(today)}.")
        if no_address:
            self.stdout.write(
                f"Skipped {len(no_address)} worker{'' if len(no_address) == 1 else 's'} with overdue "
                f"items but no e-mail address: {', '.join(no_address)}"
            )


def allocated_workers():
    """Active staff allocated to at least one open child or household."""
    children = Child.allocated_workers.through.objects.exclude(child__stage__in=CHILD_CLOSED).values("user_id")
    households = Household.allocated_workers.through.objects.exclude(household__stage=HouseholdStage.CLOSED).values(
        "user_id"
    )
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(role="")
        .filter(Q(pk__in=children) | Q(pk__in=households))
        .select_related("agency")
        .order_by("username")
    )


def subject(overdue: list[DriftItem], today: date) -> str:
    return f"OpenRAA: {len(overdue)} overdue item{'' if len(overdue) == 1 else 's'} on {long_date(today)}"


def body(worker: User, overdue: list[DriftItem], today: date) -> str:
    site = settings.OPENRAA_SITE_URL
    lines = [
        f"Hello {worker.first_name or worker.username},",
        "",
        f"On {long_date(today)} these timescales of records allocated to you are overdue, most overdue first:",
        "",
    ]
    for item in overdue[:MOST]:
        lines += [
            f"{item.reference}: {item.timescale_label}",
            f"  due {long_date(item.due_on)}, {days(item.days_overdue)} overdue",
            f"  {site}{item.url}",
            "",
        ]
    if len(overdue) > MOST:
        lines += [f"and {len(overdue) - MOST} more, all on your drift page.", ""]
    lines += [
        f"These and the items due soon are on your drift page: {site}{reverse('drift:mine')}",
        "",
        "This e-mail gives references only. Sign in to OpenRAA to see the record.",
    ]
    return "\n".join(lines)
