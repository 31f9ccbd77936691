"""What the operators watch: is the database there, have background jobs failed or stuck in the
queue, is the last backup recent. `openraa check_health` prints it for cron and monitoring; the
administrators' *Operations* page shows it. Job outcomes are django-tasks-db's own records (the
worker keeps each run's status, times and error); backups are BackupRun rows.

Nothing here names a person: jobs by their task path, backups by file name. A job's traceback may
hold record details, so it is not shown (the worker's log and the error reports have it)."""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from openraa.security.models import BackupRun

FAILED_HOURS = 24
QUEUE_MINUTES = 30


@dataclass(frozen=True)
class FailedJob:
    task: str  # e.g. openraa.drift.tasks.send_digest
    failed_at: datetime | None
    error: str  # the exception's class only


@dataclass(frozen=True)
class LastBackup:
    finished_at: datetime
    name: str
    size: int
    files: int
    encrypted: bool


@dataclass
class Health:
    problems: list[str] = field(default_factory=list)
    failed_jobs: list[FailedJob] = field(default_factory=list)
    waiting_jobs: int = 0
    last_backup: LastBackup | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "problems": self.problems,
            "failed_jobs": [
                {**asdict(job), "failed_at": job.failed_at.isoformat() if job.failed_at else None}
                for job in self.failed_jobs
            ],
            "waiting_jobs": self.waiting_jobs,
            "last_backup": (
                {**asdict(self.last_backup), "finished_at": self.last_backup.finished_at.isoformat()}
                if self.last_backup
                else None
            ),
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def failed_jobs(since: datetime) -> list[FailedJob]:
    rows = (
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .filter(Q(finished_at__gte=since) | Q(finished_at__isnull=True, enqueued_at__gte=since))
        .order_by("-finished_at")
        .values_list("task_path", "finished_at", "exception_class_path")
    )
    return [FailedJob(task, at, error.rsplit(".", 1)[-1] or "unknown") for task, at, error in rows]


def waiting_jobs(before: datetime) -> int:
    """Jobs ready to run since before that no worker has taken: the worker is down or stuck."""
    due = Q(run_after=get_date_max(), enqueued_at__lt=before) | Q(run_after__lt=before)
    return DBTaskResult.objects.filter(due, status=TaskResultStatus.READY).count()


def last_backup() -> LastBackup | None:
    run = BackupRun.objects.order_by("-finished_at").first()
    if run is None:
        return None
    return LastBackup(run.finished_at, run.name, run.size, run.files, run.encrypted)


def check(
    now: datetime | None = None,
    *,
    failed_hours: int = FAILED_HOURS,
    queue_minutes: int = QUEUE_MINUTES,
    backup_hours: int | None = None,
) -> Health:
    now = now or timezone.now()
    backup_hours = settings.OPENRAA_BACKUP_MAX_AGE_HOURS if backup_hours is None else backup_hours
    health = Health()
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        health.problems.append(f"The database cannot be reached ({type(error).__name__}).")
        return health  # nothing else can be asked
    health.failed_jobs = failed_jobs(now - timedelta(hours=failed_hours))
    if health.failed_jobs:
        tasks = sorted({job.task for job in health.failed_jobs})
        health.problems.append(
            f"{_plural(len(health.failed_jobs), 'background job')} failed in the last {failed_hours} hours: "
            + ", ".join(tasks)
        )
    health.waiting_jobs = waiting_jobs(now - timedelta(minutes=queue_minutes))
    if health.waiting_jobs:
        health.problems.append(
            f"{_plural(health.waiting_jobs, 'background job')} waiting more than {queue_minutes} minutes: "
            "is `openraa db_worker` running?"
        )
    health.last_backup = last_backup()
    if health.last_backup is None:
        health.problems.append("No backup has been taken on this server (`openraa backup`).")
    elif health.last_backup.finished_at < now - timedelta(hours=backup_hours):
        health.problems.append(
            f"The last backup finished at {timezone.localtime(health.last_backup.finished_at):%d/%m/%Y %H:%M}, "
            f"more than {backup_hours} hours ago."
        )
    elif not health.last_backup.encrypted:
        health.problems.append("The last backup was written unencrypted (--unencrypted).")
    return health
