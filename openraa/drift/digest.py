"""The daily drift digest: each worker is e-mailed the overdue timescales of the records allocated to
them (references, timescale, days overdue and a link; never a name). Workers with nothing overdue get
no e-mail; workers without an e-mail address are reported. Run by `openraa drift_digest` or its task."""

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from openraa.children.models import Child
from openraa.common.dates import long_date
from openraa.common.mail import Mail, send
from openraa.drift.selectors import CHILD_CLOSED, DriftItem, drift_overview
from openraa.drift.text import days
from openraa.households.domain import HouseholdStage
from openraa.households.models import Household
from openraa.people.models import User

SCHEDULE = "0 7 * * 1-5 openraa drift_digest --enqueue"
MOST = 50  # items listed in one e-mail; the rest are on the worker's drift page


def send_digests(today: date, *, dry_run: bool = False) -> list[str]:
    """Send each worker with overdue items their digest; the report, line by line."""
    mails, no_address = [], []
    for worker in allocated_workers():
        # The worker's own view: the policy decides, so a worker never hears of a record they
        # may no longer see (a move to another council, a change of role).
        overdue = drift_overview(worker, today, worker=worker).overdue
        if not overdue:
            continue
        if not worker.email:
            no_address.append(f"{worker.username} ({len(overdue)} overdue)")
            continue
        mails.append(Mail(subject(overdue, today), body(worker, overdue, today), [worker.email]))
    report = [f"Would send to {mail.to[0]}: {mail.subject}" for mail in mails] if dry_run else []
    sent = len(mails) if dry_run else send(mails)
    verb = "Would send" if dry_run else "Sent"
    report.append(f"{verb} {sent} digest{'' if sent == 1 else 's'} for {long_date(today)}.")
    if no_address:
        report.append(
            f"Skipped {len(no_address)} worker{'' if len(no_address) == 1 else 's'} with overdue "
            f"items but no e-mail address: {', '.join(no_address)}"
        )
    return report


def allocated_workers():
    """Active staff allocated to at least one open child or household."""
    children = Child.allocated_workers.through.objects.exclude(child__stage__in=CHILD_CLOSED).values("user_id")
    households = Household.allocated_workers.through.objects.exclude(household__stage=HouseholdStage.CLOSED).values(
        "user_id"
    )
    return (
        User.objects.filter(is_active=True, agency__isnull=False)
        .exclude(roles=[])
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
