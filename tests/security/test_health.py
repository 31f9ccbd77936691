"""`openraa check_health` and the administrators' Operations page: failed and stuck background jobs
(django-tasks-db's own records), the last backup, the database."""

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from openraa.people.roles import Role
from openraa.security import health
from openraa.security.models import BackupRun
from tests import builders


def _job(status, *, enqueued_ago=timedelta(0), finished_ago=None, run_after=None, task="openraa.drift.tasks.digest"):
    now = timezone.now()
    job = DBTaskResult.objects.create(
        id=uuid.uuid4(),
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=task,
        backend_name="default",
        run_after=run_after or get_date_max(),
        finished_at=None if finished_ago is None else now - finished_ago,
        exception_class_path="smtplib.SMTPServerDisconnected" if status == TaskResultStatus.FAILED else "",
        traceback="Traceback: synthetic child Zebediah" if status == TaskResultStatus.FAILED else "",
    )
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=now - enqueued_ago)  # auto_now_add otherwise
    return job


def _backup(ago=timedelta(hours=1), encrypted=True):
    return BackupRun.objects.create(
        finished_at=timezone.now() - ago, name="/backups/openraa.age", size=1000, files=0, encrypted=encrypted
    )


def _check(*args):
    out = StringIO()
    try:
        call_command("check_health", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_ok_with_a_recent_backup_and_no_failed_or_waiting_job():
    _backup()
    _job(TaskResultStatus.SUCCESSFUL, finished_ago=timedelta(hours=1))
    _job(TaskResultStatus.READY, enqueued_ago=timedelta(minutes=5))  # just queued: the worker will come to it
    _job(TaskResultStatus.FAILED, finished_ago=timedelta(hours=30))  # before the window
    assert _check() == (0, "OK\n")


@pytest.mark.django_db
def test_failed_and_waiting_jobs_and_a_stale_backup_are_each_named_and_exit_1():
    _backup(ago=timedelta(hours=27))
    _job(TaskResultStatus.FAILED, finished_ago=timedelta(hours=2), task="openraa.governance.tasks.remind")
    _job(TaskResultStatus.READY, enqueued_ago=timedelta(hours=2))
    _job(TaskResultStatus.READY, run_after=timezone.now() - timedelta(hours=1))
    _job(TaskResultStatus.READY, run_after=timezone.now() + timedelta(hours=5))  # scheduled for later: not waiting
    code, out = _check()
    assert code == 1
    problems = out.splitlines()
    assert len(problems) == 3 and all(line.startswith("PROBLEM: ") for line in problems)
    assert "1 background job failed in the last 24 hours: openraa.governance.tasks.remind" in out
    assert "2 background jobs waiting more than 30 minutes" in out
    assert "more than 26 hours ago" in out
    assert "Zebediah" not in out  # a traceback may name a child: never printed

    code, out = _check("--json", "--backup-hours", "48", "--failed-hours", "1", "--queue-minutes", "180")
    result = json.loads(out)
    assert code == 0 and result["ok"] and result["problems"] == [] and result["last_backup"]["encrypted"]


@pytest.mark.django_db
def test_no_backup_or_an_unencrypted_one_is_a_problem():
    assert _check() == (1, "PROBLEM: No backup has been taken on this server (`openraa backup`).\n")
    _backup(encrypted=False)
    code, out = _check("--json")
    assert code == 1 and json.loads(out)["problems"] == ["The last backup was written unencrypted (--unencrypted)."]


@pytest.mark.django_db
def test_an_unreachable_database_is_reported(monkeypatch):
    class Down:
        def ensure_connection(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(health, "connection", Down())
    code, out = _check()
    assert code == 1 and out == "PROBLEM: The database cannot be reached (OperationalError).\n"


@pytest.mark.django_db
def test_administrators_see_failed_jobs_and_the_last_backup_others_do_not(client_for):
    aim = builders.agency("aim")
    admin = builders.user(Role.ADMINISTRATOR, aim)
    _backup()
    _job(TaskResultStatus.FAILED, finished_ago=timedelta(hours=2), task="openraa.governance.tasks.remind")
    page = client_for(admin).get("/audit/operations/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "openraa.governance.tasks.remind" in text and "SMTPServerDisconnected" in text
    assert "/backups/openraa.age" in text and "1 problem" in text
    assert "Zebediah" not in text
    assert 'href="/audit/operations/"' in client_for(admin).get("/audit/").content.decode()
    worker = builders.user(Role.SOCIAL_WORKER, aim)
    assert client_for(worker).get("/audit/operations/").status_code == 403
