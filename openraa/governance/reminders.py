"""Governance reminders by e-mail: each agency's agreements expiring within their reminder window or
expired and documents due for review, sent to each of its administrators (no e-mail when there is
nothing to remind). Run by `openraa governance_reminders --email` or its task."""

from datetime import date

from django.conf import settings

from openraa.common.mail import Mail, send
from openraa.governance.selectors import Reminder, reminders_for_agency
from openraa.partnership.models import Agency
from openraa.people.models import User
from openraa.people.roles import Role

SCHEDULE = "0 7 * * 1 openraa governance_reminders --email --enqueue"


def email_reminders(agencies, today: date) -> list[str]:
    """E-mail each agency's reminders to its administrators; the report, one line per agency reminded."""
    report = []
    for agency in agencies:
        reminders = reminders_for_agency(agency, today)
        if not reminders:
            continue
        addresses = list(
            User.objects.holding(Role.ADMINISTRATOR)
            .filter(agency=agency, is_active=True)
            .exclude(email="")
            .order_by("email")
            .values_list("email", flat=True)
        )
        if not addresses:
            report.append(f"{agency.name}: {len(reminders)} reminders but no administrator has an e-mail address")
            continue
        subject = f"OpenRAA: {len(reminders)} governance reminder{'' if len(reminders) == 1 else 's'}"
        # One message each: administrators do not learn each other's addresses, and Notify takes one address.
        send(Mail(subject, body(agency, reminders, today), [address]) for address in addresses)
        report.append(f"{agency.name}: sent {len(reminders)} reminders to {len(addresses)} administrators")
    return report


def all_agencies(code: str | None = None):
    agencies = Agency.objects.order_by("code")
    return agencies.filter(code=code) if code else agencies


def lines(reminders: list[Reminder]) -> list[str]:
    return [
        f"{r.title} ({r.kind}): {r.status_label.lower()}, {r.date_label.lower()} {r.due_on:%d/%m/%Y}" for r in reminders
    ]


def body(agency: Agency, reminders: list[Reminder], today: date) -> str:
    site = settings.OPENRAA_SITE_URL
    listed = [f"- {line}\n  {site}{reminder.url}" for line, reminder in zip(lines(reminders), reminders)]
    return "\n".join([f"On {today:%d/%m/%Y} these governance records of {agency.name} need attention:", "", *listed])
