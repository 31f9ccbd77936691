"""Case notes and documents on a record. Each page exists once per kind of record (urls.py), with
that kind's grant declared; the record is looked up through the reader's grants and must be shown to
them whole - an anonymised profile or a sealed record has no notes or documents to give."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.casework import domain, forms, letters, selectors, services
from openraa.casework.models import (
    CaseNote,
    Document,
    DocumentTracking,
    DocumentVersion,
    Task,
    due_rules_for,
)
from openraa.casework.subjects import Subject
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.common import pdf
from openraa.common.ages import age_in_years
from openraa.common.downloads import attachment
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.people import policy
from openraa.people.models import User
from openraa.people.sharing import age_band
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class _RecordPage(PolicyView):
    subject: Subject
    action = "view"
    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def record(self):
        record = get_object_or_404(self.subject.records(self.request.user, self.action), pk=self.kwargs["pk"])
        if getattr(record, "sealed", False) or not self.subject.reaches_record(self.request.user, record, self.action):
            raise Http404
        return record

    @property
    def record_url(self) -> str:
        return reverse(self.subject.detail_url, args=[self.record.pk])

    def url(self, page: str, *args) -> str:
        return reverse(f"casework:{self.subject.slug}-{page}", args=[self.record.pk, *args])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("back", self.record_url)
        return super().get_context_data(
            record=self.record,
            subject=self.subject,
            show_names=not policy.hidden_fields(self.request.user, self.record)
            & set(getattr(type(self.record), "RESTRICTED_FIELDS", ())),
            **kwargs,
        )


class NoteAddView(_RecordPage, FormView):
    action = "change"
    template_name = "casework/note_form.html"
    form_class = forms.NoteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "today": timezone.localdate()}

    def get_initial(self):
        return {"occurred_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Add a case note to {self.record.reference}", button="Save the note", **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.add_note(
                self.subject,
                self.record,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                text=data["text"],
                restricted=data["restricted"],
                by=self.request.user,
                supersedes=self.superseded(),
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Case note saved on {self.record.reference}")
        return redirect(self.record_url)

    def superseded(self):
        return None


class NoteCorrectView(NoteAddView):
    form_class = forms.CorrectionForm

    @cached_property
    def note(self) -> CaseNote:
        note = get_object_or_404(
            CaseNote.objects.filter(**{self.subject.field: self.record}, superseded_by__isnull=True),
            pk=self.kwargs["note"],
        )
        setattr(note, self.subject.field, self.record)
        if policy.hidden_fields(self.request.user, note):
            raise Http404  # a restricted note is not corrected by someone who may not read it
        return note

    def get_initial(self):
        note = self.note
        return {"kind": note.kind, "occurred_on": note.occurred_on, "text": note.text, "restricted": note.restricted}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Correct the {self.note.get_kind_display().lower()} note of {self.note.occurred_on:%-d %B %Y}",
            intro="The note stays on the record, marked as corrected by this one.",
            button="Save the correction",
        )
        return context

    def form_valid(self, form):
        form.cleaned_data["text"] = f"{form.cleaned_data['text']}\n\nCorrection: {form.cleaned_data['reason']}"
        return super().form_valid(form)

    def superseded(self):
        return self.note


class DocumentsView(_RecordPage, TemplateView):
    template_name = "casework/documents.html"

    def get_context_data(self, **kwargs):
        user, record = self.request.user, self.record
        documents = selectors.documents_for(user, self.subject, record)
        held = set(Document.objects.filter(**{self.subject.field: record}).values_list("kind", flat=True))
        today = timezone.localdate()
        return super().get_context_data(
            documents=documents,
            withheld=Document.objects.filter(**{self.subject.field: record}).count() - len(documents),
            due=selectors.documents_due(self.subject, record, held),
            today=today,
            can_upload=self.subject.reaches_record(user, record, "change")
            and policy.can(user, self.subject.resource, "change"),
            upload_url=self.url("document-add"),
            **kwargs,
        )


class DocumentAddView(_RecordPage, FormView):
    action = "change"
    template_name = "casework/upload_form.html"
    form_class = forms.UploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": domain.KINDS_FOR[self.subject.slug]}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Upload a document to {self.record.reference}",
            button="Upload the document",
            back=self.url("documents"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            version = services.upload_document(
                self.subject,
                self.record,
                kind=data["kind"],
                title=data["title"],
                restricted=data["restricted"],
                upload=data["file"],
                by=self.request.user,
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        messages.success(self.request, f"{version.document.title} uploaded to {self.record.reference}")
        return redirect(self.url("documents"))


class _DocumentPage(_RecordPage):
    @cached_property
    def document(self) -> Document:
        document = get_object_or_404(
            Document.objects.filter(**{self.subject.field: self.record}), pk=self.kwargs["doc"]
        )
        setattr(document, self.subject.field, self.record)
        if policy.hidden_fields(self.request.user, document):
            raise Http404  # the same answer as no such document
        return document


class VersionAddView(_DocumentPage, FormView):
    action = "change"
    template_name = "casework/upload_form.html"
    form_class = forms.VersionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Upload a new version of {self.document.title}",
            button="Upload the new version",
            back=self.url("documents"),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            version = services.upload_version(
                self.document, upload=form.cleaned_data["file"], by=self.request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        messages.success(self.request, f"Version {version.number} of {self.document.title} uploaded")
        return redirect(self.url("documents"))


class DownloadView(_DocumentPage, View):
    """Streams the file after the checks, as an attachment the browser does not cache or render;
    the read is audited against the record, naming the document in its path."""

    def get(self, request, *args, **kwargs):
        version = get_object_or_404(DocumentVersion.objects.filter(document=self.document), number=kwargs["number"])
        try:
            stream = version.file.open("rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        record_view(request.user, self.record, request, RecordView.Channel.EXPORT)
        response = FileResponse(
            stream, as_attachment=True, filename=version.original_name, content_type=version.content_type
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class TaskAddView(PolicyView, FormView):
    """Anyone may set a task for a colleague of the agency, or for themselves."""

    permission = ("aggregates", "view")  # every member of staff; the task is seen by its two people only
    template_name = "casework/task_form.html"
    form_class = forms.TaskForm

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "colleagues": User.objects.filter(agency=user.agency_id, is_active=True).order_by(
                "last_name", "first_name"
            ),
            "records": {"C": children_for(user), "H": households_for(user)},
        }

    def get_initial(self):
        return {"owner": self.request.user.pk}

    def form_valid(self, form):
        data = form.cleaned_data
        services.set_task(
            by=self.request.user,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            record=data["reference"],
        )
        messages.success(self.request, f"Task set for {data['owner'].get_full_name() or data['owner']}")
        return redirect("my-work")


class TaskDoneView(PolicyView, View):
    permission = ("aggregates", "view")
    http_method_names = ["post"]

    def post(self, request, pk):
        task = get_object_or_404(Task.objects.filter(Q(owner=request.user) | Q(set_by=request.user)), pk=pk)
        services.finish_task(task, timezone.localdate())
        messages.success(request, f"Task done: {task.title}")
        return redirect("my-work")


class NotificationsReadView(PolicyView, View):
    permission = ("aggregates", "view")
    http_method_names = ["post"]

    def post(self, request):
        services.mark_notifications_read(request.user, timezone.now())
        return redirect("my-work")


def _letterhead(agency) -> tuple[str, ...]:
    base = agency.bases.exclude(address="").order_by("name").first()
    return (agency.name, *([base.address] if base else []))


class LettersView(_RecordPage, TemplateView):
    """The letters this record can have, and making one: a PDF stored on the record as a document
    (a new version when the letter was made before)."""

    action = "change"
    template_name = "casework/letters.html"
    http_method_names = ["get", "post"]

    @cached_property
    def names_shown(self) -> bool:
        restricted = set(getattr(type(self.record), "RESTRICTED_FIELDS", ()))
        return not policy.hidden_fields(self.request.user, self.record) & restricted

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            letters=[(letter, letter.ready(self.record)) for letter in letters.for_subject(self.subject.slug)],
            names_shown=self.names_shown,
            title=f"Letters for {self.record.reference}",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        letter = letters.LETTERS.get(request.POST.get("letter", ""))
        if letter is None or letter.subject != self.subject.slug or not self.names_shown:
            raise Http404
        problem = letter.ready(self.record)
        if problem:
            messages.error(request, problem)
            return redirect(self.url("letters"))
        content = pdf.render(
            letters.paper(
                letter,
                self.record,
                to=self._addressee(),
                letterhead=_letterhead(self.record.agency),
                today=timezone.localdate(),
                signed=request.user.get_full_name() or request.user.username,
                context=self._context(),
            )
        )
        version = services.store_generated(
            self.subject,
            self.record,
            kind=domain.DocumentKind.LETTER,
            title=letter.title,
            content=content,
            filename=f"{letter.code}-{self.record.reference}.pdf",
            by=request.user,
        )
        messages.success(request, f"{letter.title} made and kept with the documents (version {version.number})")
        return redirect(self.url("documents"))

    def _addressee(self) -> str:
        if isinstance(self.record, Household):
            return " and ".join(str(applicant) for applicant in self.record.applicants.all()) or "applicants"
        return getattr(self.record, "requester_name", "") or "Sir or Madam"

    def _context(self) -> dict:
        if self.subject.slug == "support":
            return {
                "services": [str(service) for service in self.record.services.all()],
                "outcome": self.record.get_assessment_outcome_display(),
            }
        return {}


def _profile_rows(record, hidden: frozenset[str], today) -> list[tuple[str, str]]:
    """What the reader may see of a child or household, as label and value, field by field."""
    rows: list[tuple[str, str]] = [("Reference", record.reference), ("Stage", record.stage_label)]
    if isinstance(record, Child):
        if "first_name" not in hidden:
            rows.append(("Name", f"{record.first_name} {record.last_name}"))
        rows.append(
            ("Age", str(age_in_years(record.date_of_birth, today)))
            if "date_of_birth" not in hidden
            else ("Age band", age_band(record.date_of_birth, today))
        )
        for field, label in (
            ("sex", "Sex"),
            ("ethnicity", "Ethnicity"),
            ("responsible_council", "Responsible council"),
        ):
            if field not in hidden:
                value = (
                    getattr(record, f"get_{field}_display")()
                    if field != "responsible_council"
                    else record.responsible_council.name
                )
                rows.append((label, str(value)))
        if "placement_order_on" not in hidden and record.placement_order_on:
            rows.append(("Placement order", f"{record.placement_order_on:%-d %B %Y}"))
        needs = [str(need) for need in record.needs.all()]
        rows.append(("Needs", "; ".join(needs) or "None recorded"))
        if record.sibling_group is not None:
            size = Child.objects.filter(sibling_group=record.sibling_group_id).count()
            together = "to be placed together" if record.sibling_group.place_together else "to be placed apart"
            rows.append(("Sibling group", f"{size} children, {together}"))
    else:
        rows += [
            ("Home council", record.home_council.name),
            ("Postcode district", record.postcode_district),
            ("Approval", record.approval_range),
            ("Open to a sibling group", "Yes" if record.sibling_group_open else "No"),
            ("Early permanence", "Yes" if record.early_permanence else "No"),
        ]
        if record.approved_on:
            rows.append(("Approved", f"{record.approved_on:%-d %B %Y}"))
        capabilities = [f"{c.get_need_display()}: {c.get_level_display()}" for c in record.capabilities.all()]
        rows.append(("Needs they can meet", "; ".join(capabilities) or "None recorded"))
        if "applicants" not in hidden:
            rows.append(("Applicants", "; ".join(str(a) for a in record.applicants.all()) or "None recorded"))
    return rows


class PrintProfileView(PolicyView, View):
    """A child's family-finding profile or a household's profile as PDF: what the reader may see of
    it and no more (an anonymised profile of another council's child stays anonymised). Audited as a
    download."""

    subject: Subject

    def get(self, request, pk):
        user = request.user
        record = get_object_or_404(self.subject.records(user, "view"), pk=pk)
        if getattr(record, "sealed", False) or not policy.can_on(user, record, self.subject.resource, "view"):
            raise Http404
        hidden = policy.hidden_fields(user, record)
        today = timezone.localdate()
        kind = "Family-finding profile" if isinstance(record, Child) else "Household profile"
        content = pdf.render(
            pdf.Paper(
                title=f"{kind}: {record.reference}",
                letterhead=_letterhead(record.agency),
                sections=(pdf.Section(rows=tuple(_profile_rows(record, hidden, today))),),
                footer=f"Printed {today:%-d %B %Y} by {user.get_full_name() or user.username}. Official - sensitive.",
            )
        )
        record_view(user, record, request, RecordView.Channel.EXPORT)
        return attachment(content, "application/pdf", f"{record.reference}-profile.pdf")


class TimingsView(PolicyView, FormView):
    """The agency's own timing for the documents the statutory guidance expects (partnership settings)."""

    permission = ("partnership", "change")
    template_name = "casework/timings.html"
    form_class = forms.TimingsForm

    def get_initial(self):
        agency_id = self.request.user.agency_id
        rules = due_rules_for(agency_id)
        tracking = DocumentTracking.objects.filter(agency_id=agency_id).first()
        initial = {"tracked_from": tracking.tracked_from if tracking else None}
        for rule in rules.rules or domain.DUE_RULES:
            initial[f"{rule.kind.value}_months"], initial[f"{rule.kind.value}_days"] = rule.months, rule.days
        return initial

    def form_valid(self, form):
        data, agency_id = form.cleaned_data, self.request.user.agency_id
        services.set_timings(
            agency_id,
            data["tracked_from"],
            {
                rule.kind.value: (data[f"{rule.kind.value}_months"], data[f"{rule.kind.value}_days"])
                for rule in domain.DUE_RULES
            },
        )
        messages.success(self.request, "Document timings saved")
        return redirect("casework:timings")
