"""The one way out for e-mail (openraa/common/mail.py): its backends (GOV.UK Notify with the client
stopped at the HTTP boundary, the demo's outbox), the administrators' page of kept e-mails, and the
scheduled jobs that send the digest and the reminders."""

import ast
import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from notifications_python_client.errors import HTTPError

from openraa.common import mail
from openraa.people.roles import Role
from tests import builders

SERVICE_ID = "7b1c6a34-0000-4000-8000-000000000001"
SECRET = "2f4d1e9a-0000-4000-8000-000000000002"
API_KEY = f"openraa_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "5e0a8c1f-0000-4000-8000-000000000003"
NOTIFY = "openraa.common.mail.NotifyEmailBackend"


def _response(status: int, payload: dict) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(payload).encode()
    return response


@pytest.fixture
def notify(settings):
    """Notify as the backend; every HTTP request the client makes is caught here instead of sent."""
    settings.EMAIL_BACKEND = NOTIFY
    settings.OPENRAA_NOTIFY_API_KEY = API_KEY
    settings.OPENRAA_NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    with mock.patch.object(requests.Session, "request", return_value=_response(201, {"id": "n1"})) as request:
        yield request


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = mail.OUTBOX_BACKEND
    settings.OPENRAA_OUTBOX_DIR = tmp_path / "sent-emails"
    return settings.OPENRAA_OUTBOX_DIR


def test_send_gives_one_message_per_mail_from_the_service_and_skips_a_mail_to_nobody(mailoutbox, settings):
    sent = mail.send([mail.Mail("Subject", "Body", ["a@example.invalid"]), mail.Mail("None", "Body", [])])
    assert sent == 1
    assert [(m.subject, m.to, m.from_email) for m in mailoutbox] == [
        ("Subject", ["a@example.invalid"], settings.DEFAULT_FROM_EMAIL)
    ]


def test_notify_posts_each_recipient_with_the_generic_template_and_subject_and_body(notify):
    sent = mail.send([mail.Mail("OpenRAA: 2 overdue items", "CH-0001: placement order\nline two", ["a@x.invalid"])])
    assert sent == 1
    (method, url), kwargs = notify.call_args
    assert method == "POST" and url == "https://api.notifications.service.gov.uk/v2/notifications/email"
    assert json.loads(kwargs["data"]) == {
        "email_address": "a@x.invalid",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "OpenRAA: 2 overdue items", "body": "CH-0001: placement order\nline two"},
    }
    assert kwargs["headers"]["Authorization"].startswith("Bearer ")  # a token signed with the key, never the key
    assert SECRET not in json.dumps(kwargs)


def test_notify_sends_one_notification_per_address(notify):
    mail.send([mail.Mail("S", "B", ["a@x.invalid", "b@x.invalid"])])
    assert [json.loads(call.kwargs["data"])["email_address"] for call in notify.call_args_list] == [
        "a@x.invalid",
        "b@x.invalid",
    ]


def test_a_refusal_from_notify_fails_the_sender(notify):
    notify.return_value = _response(
        400, {"errors": [{"error": "BadRequestError", "message": "Missing personalisation"}]}
    )
    notify.return_value.url = "https://api.notifications.service.gov.uk/v2/notifications/email"
    with pytest.raises(HTTPError):
        mail.send([mail.Mail("S", "B", ["a@x.invalid"])])


def test_notify_without_its_key_or_template_is_a_configuration_error(settings):
    settings.EMAIL_BACKEND = NOTIFY
    settings.OPENRAA_NOTIFY_API_KEY = ""
    settings.OPENRAA_NOTIFY_TEMPLATE_ID = TEMPLATE_ID
    with pytest.raises(ImproperlyConfigured, match="OPENRAA_NOTIFY_API_KEY"):
        mail.send([mail.Mail("S", "B", ["a@x.invalid"])])


def test_the_outbox_keeps_each_message_for_another_process_and_passes_over_strangers(outbox):
    mail.send([mail.Mail("First", "one", ["a@x.invalid"]), mail.Mail("Second", "two", ["b@x.invalid", "c@x.invalid"])])
    (outbox / "notes.json").write_text("not ours")
    (outbox / "half.part").write_text("{")
    kept = mail.sent_emails()
    assert sorted((m.subject, m.to, m.body) for m in kept) == [
        ("First", ("a@x.invalid",), "one"),
        ("Second", ("b@x.invalid", "c@x.invalid"), "two"),
    ]
    assert kept[0].sent_at >= kept[1].sent_at


def test_no_outbox_yet_is_no_e_mail(outbox):
    assert mail.sent_emails() == []


# -- the administrators' page ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_administrators_the_kept_e_mails_to_their_own_agency_only(aim, client_for, outbox):
    admin = builders.user(Role.ADMINISTRATOR, aim)
    worker = builders.user(Role.FAMILY_FINDER, aim)
    worker.email = "worker@aim.invalid"
    worker.save()
    stranger = builders.user(Role.FAMILY_FINDER, builders.agency("bkm", councils=("Sefton",), host="Sefton"), "Sefton")
    stranger.email = "worker@bkm.invalid"
    stranger.save()
    mail.send(
        [
            mail.Mail("For AIM", "CH-0001\nsecond line", [worker.email]),
            mail.Mail("For BKM", "CH-0002", [stranger.email]),
        ]
    )
    page = client_for(admin).get("/audit/sent-emails/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "For AIM" in text and "worker@aim.invalid" in text and "CH-0001<br>second line" in text
    assert "For BKM" not in text and "worker@bkm.invalid" not in text
    assert 'href="/audit/sent-emails/"' in client_for(admin).get("/audit/").content.decode()


@pytest.mark.django_db
def test_the_page_lists_nothing_where_e_mail_is_sent(aim, client_for, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    admin = builders.user(Role.ADMINISTRATOR, aim)
    page = client_for(admin).get("/audit/sent-emails/")
    assert page.status_code == 200 and "keeps no copy" in page.content.decode()
    assert 'href="/audit/sent-emails/"' not in client_for(admin).get("/audit/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [role for role in Role if role != Role.ADMINISTRATOR])
def test_only_administrators_open_the_page(aim, client_for, role):
    assert client_for(builders.user(role, aim)).get("/audit/sent-emails/").status_code == 403


# -- the scheduled jobs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cron_lines_queue_the_jobs_and_the_worker_sends_them(aim, mailoutbox):
    """Tests run jobs at once (tests/settings.py TASKS): enqueueing is the worker's whole run."""
    from tests.drift.test_drift import waiting_child
    from tests.governance.test_governance_pages import expiring_agreement

    worker = builders.user(Role.FAMILY_FINDER, aim)
    worker.email = "worker@aim.invalid"
    worker.save()
    child = waiting_child(aim, "Knowsley", order_days_ago=200)
    child.allocated_workers.add(worker)
    admin = builders.user(Role.ADMINISTRATOR, aim)
    admin.email = "admin@aim.invalid"
    admin.save()
    expiring_agreement(aim, title="AIM agreement 2022")

    out = StringIO()
    call_command("drift_digest", "--enqueue", stdout=out)
    assert "Queued the drift digest" in out.getvalue()
    call_command("governance_reminders", "--email", "--enqueue", stdout=out)
    assert "Queued the governance reminders for" in out.getvalue()
    by_address = {m.to[0]: m for m in mailoutbox}
    assert child.reference in by_address["worker@aim.invalid"].body
    assert child.first_name not in by_address["worker@aim.invalid"].body
    assert "AIM agreement 2022" in by_address["admin@aim.invalid"].body


def test_enqueue_without_email_or_with_a_dry_run_is_refused():
    with pytest.raises(CommandError, match="--email"):
        call_command("governance_reminders", "--enqueue", stdout=StringIO())
    with pytest.raises(CommandError, match="--dry-run"):
        call_command("drift_digest", "--enqueue", "--dry-run", stdout=StringIO())


def test_every_sender_goes_through_the_one_mail_module():
    """No module but openraa/common/mail.py imports Django's mail: the invitation, the digest and the
    reminders, and whatever sends next, use `mail.send`, so the setting reaches every e-mail."""
    package = Path(mail.__file__).resolve().parents[1]
    elsewhere = []
    for path in sorted(package.rglob("*.py")):
        if path == Path(mail.__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if any(name == "django.core.mail" or name.startswith("django.core.mail.") for name in names):
                elsewhere.append(f"{path.relative_to(package.parent)}:{node.lineno}")
    assert elsewhere == []


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_what_cron_queued(aim, mailoutbox, settings):
    """The deployment's backend end to end: the job waits in the database until `db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    from tests.governance.test_governance_pages import expiring_agreement

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = builders.user(Role.ADMINISTRATOR, aim)
    admin.email = "admin@aim.invalid"
    admin.save()
    expiring_agreement(aim, title="AIM agreement 2022")
    call_command("governance_reminders", "--email", "--enqueue", stdout=StringIO())
    assert mailoutbox == [] and DBTaskResult.objects.get().status == "READY"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    assert [m.to for m in mailoutbox] == [["admin@aim.invalid"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
