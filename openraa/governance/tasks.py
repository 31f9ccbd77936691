"""Governance reminders as a scheduled job: cron enqueues it (`openraa governance_reminders --email
--enqueue`) and `openraa db_worker` runs it."""

from datetime import date

from django_tasks import task

from openraa.governance.reminders import all_agencies, email_reminders


@task()
def governance_reminders(on: str, agency: str | None = None) -> list[str]:
    """`on` is the day cron enqueued it (ISO); `agency` an agency's code, or every agency."""
    return email_reminders(all_agencies(agency), date.fromisoformat(on))
