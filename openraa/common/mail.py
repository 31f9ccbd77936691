"""Every e-mail OpenRAA sends goes through `send`; the setting OPENRAA_EMAIL_BACKEND picks how it leaves
(settings.py turns its short names into these backends):

- `smtp`: Django's SMTP backend (OPENRAA_EMAIL_HOST and the rest);
- `notify`: GOV.UK Notify through its official client, `NotifyEmailBackend` below: one generic e-mail
  template in the agency's Notify service whose subject is `((subject))` and whose body is `((body))`;
- `outbox`: nothing is sent; each message is kept as a JSON file in OPENRAA_OUTBOX_DIR, where the
  administrators' "Sent e-mails" page reads it (the demo's default).

Senders give references, never names: an e-mail leaves the service's protection, so the record is
only ever reached by signing in.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from notifications_python_client.notifications import NotificationsAPIClient

OUTBOX_BACKEND = "openraa.common.mail.OutboxEmailBackend"


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    to: Sequence[str]


def send(mails: Iterable[Mail]) -> int:
    """Send each mail, one message per mail, over one connection; the number sent. Errors are raised:
    a digest that did not go is a failed job, not a silence."""
    messages = [
        EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, list(mail.to)) for mail in mails if mail.to
    ]
    if not messages:
        return 0
    return get_connection(fail_silently=False).send_messages(messages) or 0


class NotifyEmailBackend(BaseEmailBackend):
    """Sends each recipient of each message through GOV.UK Notify's `send_email_notification`, with the
    template OPENRAA_NOTIFY_TEMPLATE_ID and the message's subject and body as its personalisation."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key: str = getattr(settings, "OPENRAA_NOTIFY_API_KEY", "")
        self.template_id: str = getattr(settings, "OPENRAA_NOTIFY_TEMPLATE_ID", "")
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "OPENRAA_EMAIL_BACKEND=notify needs OPENRAA_NOTIFY_API_KEY and OPENRAA_NOTIFY_TEMPLATE_ID"
            )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        # The client ships py.typed but leaves its methods unannotated.
        client = NotificationsAPIClient(self.api_key)  # type: ignore[no-untyped-call]
        sent = 0
        for message in email_messages:
            personalisation = {"subject": message.subject, "body": message.body}
            try:
                for address in message.recipients():
                    client.send_email_notification(  # type: ignore[no-untyped-call]
                        email_address=address, template_id=self.template_id, personalisation=personalisation
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


@dataclass(frozen=True)
class SentEmail:
    sent_at: datetime
    to: tuple[str, ...]
    subject: str
    body: str


def outbox_dir() -> Path:
    return Path(getattr(settings, "OPENRAA_OUTBOX_DIR", Path.cwd() / "sent-emails"))


def keeps_outbox() -> bool:
    """Whether e-mail goes to the outbox rather than out (the demo)."""
    return bool(settings.EMAIL_BACKEND == OUTBOX_BACKEND)


class OutboxEmailBackend(BaseEmailBackend):
    """Keeps each message as one JSON file instead of sending it. A directory, not a table or memory:
    the command or worker that sends and the web server that shows are different processes, and the
    demo's mail needs no migration of its own."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = outbox_dir()
        directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            now = timezone.now()
            record = {
                "sent_at": now.isoformat(),
                "to": message.recipients(),
                "subject": message.subject,
                "body": message.body,
            }
            name = f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}"
            partial = directory / f"{name}.part"
            partial.write_text(json.dumps(record), encoding="utf-8")
            partial.rename(directory / f"{name}.json")  # whole or not at all, for a reader in another process
        return len(email_messages)


def sent_emails() -> list[SentEmail]:
    """The messages kept in the outbox, newest first; a file that is not one of ours is passed over."""
    directory = outbox_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob("*.json"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                SentEmail(
                    sent_at=datetime.fromisoformat(record["sent_at"]),
                    to=tuple(str(address) for address in record["to"]),
                    subject=str(record["subject"]),
                    body=str(record["body"]),
                )
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(found, key=lambda mail: mail.sent_at, reverse=True)
