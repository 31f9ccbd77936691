"""Case notes and documents on a record. Each page exists once per kind of record (urls.py), with
that kind's grant declared; the record is looked up through the reader's grants and must be shown to
them whole - an anonymised profile or a sealed record has no notes or documents to give."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.casework import domain, forms, selectors, services
from openraa.casework.models import CaseNote, Document, DocumentVersion, Notification, Task
from openraa.casework.subjects import Subject
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.households.models import Household
from openraa.households.selectors import households_for
from openraa.people import policy
from openraa.people.models import User
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class _RecordPage(PolicyView):
    subject: Subject
    action = "view"

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
        data, record = form.cleaned_data, form.cleaned_data["reference"]
        Task.objects.create(
            agency_id=self.request.user.agency_id,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            set_by=self.request.user,
            child=record if isinstance(record, Child) else None,
            household=record if isinstance(record, Household) else None,
        )
        messages.success(self.request, f"Task set for {data['owner'].get_full_name() or data['owner']}")
        return redirect("my-work")


class TaskDoneView(PolicyView, View):
    permission = ("aggregates", "view")
    http_method_names = ["post"]

    def post(self, request, pk):
        task = get_object_or_404(Task.objects.filter(Q(owner=request.user) | Q(set_by=request.user)), pk=pk)
        if task.done_on is None:
            task.done_on = timezone.localdate()
            task.save()
        messages.success(request, f"Task done: {task.title}")
        return redirect("my-work")


class NotificationsReadView(PolicyView, View):
    permission = ("aggregates", "view")
    http_method_names = ["post"]

    def post(self, request):
        Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return redirect("my-work")
