"""The drift digest as a scheduled job: cron enqueues it (`openraa drift_digest --enqueue`) and
`openraa db_worker` runs it."""

from datetime import date

from django_tasks import task

from openraa.drift.digest import send_digests


@task()
def drift_digest(on: str) -> list[str]:
    """`on` is the day cron enqueued it (ISO), so a worker that runs it late still counts that morning."""
    return send_digests(date.fromisoformat(on))
