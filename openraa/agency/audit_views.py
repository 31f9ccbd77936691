from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from openraa.agency.audit_forms import LogFilterForm
from openraa.audit.log import Filters, audit_log, reference
from openraa.audit.models import RecordView
from openraa.audit.reads import record_views_bulk
from openraa.common import mail
from openraa.common.downloads import csv_response
from openraa.security import health
from openraa.web.views import PolicyView

PAGE_SIZE = 50


class AuditLogView(PolicyView, TemplateView):
    """Administrators read the agency's audit log, filtered and paged, and download the entries
    about one record or by one person (a subject access request); the download is itself a read,
    kept in the log. There is no edit or delete."""

    permission = ("audit", "view")
    template_name = "audit/log.html"

    def get(self, request, *args, **kwargs):
        query = request.GET.copy()
        wants_download = query.pop("download", None) == ["csv"]
        form = LogFilterForm(query, agency=request.user.agency)  # every filter is optional: no query is valid
        valid = form.is_valid()
        filters = form.filters() if valid else Filters()
        if wants_download and valid:
            if filters.subject:
                return self.download(filters)
            form.add_error(None, "Choose a member of staff or a record reference to download their entries")
            valid = False
        # Bad input shows what to put right and no entries, rather than entries it did not ask for.
        entries = audit_log(request.user, filters) if valid else []
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.render_to_response(
            self.get_context_data(filters=form, page=page, subject=filters.subject, keeps_outbox=mail.keeps_outbox())
        )

    def download(self, filters: Filters):
        request = self.request
        if filters.record_id is not None:
            model, pk, name = filters.record_type, filters.record_id, reference(filters.record_type, filters.record_id)
        else:
            model, pk, name = get_user_model()._meta.label_lower, filters.person.pk, filters.person.username
        record_views_bulk(request.user, apps.get_model(model), [pk], request, RecordView.Channel.EXPORT)
        entries = audit_log(request.user, filters)
        rows = (
            [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.who, e.channel_label, e.sentence]
            for e in entries[0 : entries.count()]
        )
        return csv_response(f"audit-{name}.csv", ["When", "Who", "Through", "Entry"], rows)


@dataclass(frozen=True)
class ShownEmail:
    sent_at: datetime
    to: list[str]
    subject: str
    body: str


class SentEmailsView(PolicyView, TemplateView):
    """In the demo (OPENRAA_EMAIL_BACKEND=outbox) e-mail is kept instead of sent: administrators read
    here what the system would have sent to their agency's staff, newest first. Elsewhere the page
    says where e-mail goes, and lists nothing."""

    permission = ("audit", "view")
    template_name = "audit/sent_emails.html"

    def get_context_data(self, **kwargs):
        kept = mail.keeps_outbox()
        shown = []
        if kept:
            # Only e-mails to the viewer's own agency: one outbox serves every agency of the demo.
            staff = {
                address.lower()
                for address in get_user_model()
                .objects.filter(agency=self.request.user.agency)
                .exclude(email="")
                .values_list("email", flat=True)
            }
            for sent in mail.sent_emails():
                to = [address for address in sent.to if address.lower() in staff]
                if to:
                    shown.append(ShownEmail(sent.sent_at, to, sent.subject, sent.body))
        page = Paginator(shown, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(kept=kept, page=page, **kwargs)


class OperationsView(PolicyView, TemplateView):
    """Administrators see what `openraa check_health` reports to the operators: background jobs that
    failed (by task and error class; a traceback may name a record, so it stays in the worker's log),
    jobs waiting for a worker, and the last backup. About the server, so the same for every agency."""

    permission = ("audit", "view")
    template_name = "audit/operations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            health=health.check(), failed_hours=health.FAILED_HOURS, queue_minutes=health.QUEUE_MINUTES, **kwargs
        )
