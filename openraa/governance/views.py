"""Governance pages. Agreements, documents, boards and workstreams need the `governance` grant;
complaints and inter-country cases are about people and need the `complaints` grant. Every record is
looked up through the policy, so another agency's record answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from openraa.audit.selectors import changes_for
from openraa.governance import forms, risks, schedule, selectors, services
from openraa.governance.models import (
    Action,
    Agreement,
    AgreementExtension,
    Board,
    BoardMember,
    Document,
    InterCountryCase,
    Meeting,
    Risk,
    RiskReview,
    Workstream,
)
from openraa.people import policy
from openraa.web.views import PolicyView


class GovernanceMixin(PolicyView):
    @cached_property
    def today(self):
        return timezone.localdate()

    def can(self, resource: str, action: str) -> bool:
        return policy.can(self.request.user, resource, action)

    def record(self, queryset, resource: str, action: str):
        """The record named in the URL, if the policy reaches it; else 404."""
        return get_object_or_404(policy.restrict(queryset, self.request.user, resource, action), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            today=self.today,
            can_add=self.can("governance", "add"),
            can_change=self.can("governance", "change"),
            can_view_complaints=self.can("complaints", "view"),
            can_add_complaints=self.can("complaints", "add"),
            can_change_complaints=self.can("complaints", "change"),
            **kwargs,
        )


class OverviewView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/overview.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, self.today
        actions = list(selectors.open_actions(user))
        return super().get_context_data(
            agreements=[(a, a.status(today)) for a in selectors.agreements(user)],
            documents=[(d, d.status(today)) for d in selectors.documents(user)],
            boards=list(selectors.boards(user)),
            actions=[(action, action.overdue(today)) for action in actions],
            workstreams=policy.restrict(Workstream.objects.select_related("lead_council"), user, "governance", "view"),
            **kwargs,
        )


class AgreementView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/agreement.html"

    def get_context_data(self, **kwargs):
        agreement = self.record(Agreement.objects.prefetch_related("extensions"), "governance", "view")
        changes = changes_for(agreement, self.request.user, parts=[("Extension", AgreementExtension, "agreement")])
        return super().get_context_data(
            agreement=agreement, status=agreement.status(self.today), changes=changes, **kwargs
        )


class DocumentView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/document.html"

    def get_context_data(self, **kwargs):
        document = self.record(Document.objects.all(), "governance", "view")
        return super().get_context_data(
            document=document,
            status=document.status(self.today),
            changes=changes_for(document, self.request.user),
            **kwargs,
        )


class BoardView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/board.html"

    def get_context_data(self, **kwargs):
        board = self.record(
            Board.objects.prefetch_related("meetings__decisions", "members__council", "actions"), "governance", "view"
        )
        return super().get_context_data(
            board=board, actions=[(a, a.overdue(self.today)) for a in board.actions.all()], **kwargs
        )


class ComplaintsView(GovernanceMixin, TemplateView):
    permission = ("complaints", "view")
    template_name = "governance/complaints.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = [(complaint, complaint.current_stage) for complaint in selectors.complaints(user)]
        return super().get_context_data(
            complaints=[(complaint, stage, stage.overdue(self.today)) for complaint, stage in rows],
            cases=policy.restrict(InterCountryCase.objects.all(), user, "complaints", "view"),
            **kwargs,
        )


class ComplaintView(GovernanceMixin, TemplateView):
    permission = ("complaints", "view")
    template_name = "governance/complaint.html"

    def get_context_data(self, **kwargs):
        complaint = self.record(selectors.complaints(self.request.user), "complaints", "view")
        current = complaint.current_stage
        return super().get_context_data(
            complaint=complaint,
            current=current,
            overdue=current.overdue(self.today),
            next_stage=schedule.next_stage(schedule.ComplaintStage(current.stage)),
            **kwargs,
        )


class InterCountryView(GovernanceMixin, TemplateView):
    permission = ("complaints", "view")
    template_name = "governance/intercountry.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.record(InterCountryCase.objects.all(), "complaints", "view"), **kwargs
        )


# --------------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------------


class RecordFormView(GovernanceMixin, FormView):
    """One form on its own page. Add pages build the new record (`new_record`); change pages look it
    up through the policy (`queryset`). Nothing is saved unless the whole form is valid, and then only
    by the page's service (`write`, from governance/services.py)."""

    template_name = "governance/form.html"
    resource = "governance"
    queryset = None  # change pages: the records the URL's pk is looked up in
    title = ""
    button = "Save"
    intro = ""
    permission = ("governance", "change")
    write = None  # the service that writes the form's record: staticmethod(services.save_...)

    @cached_property
    def instance(self):
        if self.queryset is None:
            return self.new_record()
        record = self.record(self.queryset.all(), self.resource, "change")
        # The form writes its input onto the record while validating: the title keeps the saved name.
        self.saved_name = str(record)
        return record

    def new_record(self):
        raise NotImplementedError

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs()}

    def form_kwargs(self) -> dict:
        return {"instance": self.instance}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())  # first: it looks the record up
        return super().get_context_data(
            title=self.get_title(), button=self.button, back=self.back_url(), intro=self.intro, **kwargs
        )

    def get_title(self) -> str:
        return self.title

    def back_url(self) -> str:
        return reverse("governance:overview")

    def form_valid(self, form):
        message = self.save(form)
        messages.success(self.request, message)
        return redirect(self.success_url())

    def save(self, form) -> str:
        record = self.write(form.save(commit=False), by=self.request.user)
        return f"{record} saved"

    def success_url(self) -> str:
        return self.back_url()


class AgencyRecordFormView(RecordFormView):
    """Add a record that belongs to the user's agency."""

    model = None
    permission = ("governance", "add")

    def new_record(self):
        return self.model(agency=self.request.user.agency)


class BoardPartFormView(RecordFormView):
    """Add a member, meeting or action to a board found through the policy."""

    model = None
    permission = ("governance", "add")

    @cached_property
    def board(self):
        return self.record(Board.objects.select_related("agency"), "governance", "add")

    def new_record(self):
        return self.model(board=self.board)

    def back_url(self):
        return reverse("governance:board", kwargs={"pk": self.board.pk})


class AgreementCreateView(AgencyRecordFormView):
    model, form_class, title = Agreement, forms.AgreementForm, "Add an agreement"
    write = staticmethod(services.save_agreement)

    def success_url(self):
        return reverse("governance:agreement", kwargs={"pk": self.instance.pk})


class AgreementChangeView(RecordFormView):
    queryset, form_class = Agreement.objects.all(), forms.AgreementForm
    write = staticmethod(services.save_agreement)

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:agreement", kwargs={"pk": self.instance.pk})


class ExtensionCreateView(RecordFormView):
    form_class, button = forms.ExtensionForm, "Record the extension"
    permission = ("governance", "change")  # an extension changes when the agreement expires

    @cached_property
    def agreement(self):
        return self.record(Agreement.objects.prefetch_related("extensions"), "governance", "change")

    def new_record(self):
        return AgreementExtension(agreement=self.agreement)

    def get_title(self):
        return f"Record an extension of {self.agreement}"

    def back_url(self):
        return reverse("governance:agreement", kwargs={"pk": self.agreement.pk})

    def save(self, form):
        extension = services.save_extension(form.save(commit=False), by=self.request.user)
        return f"{self.agreement} now expires on {extension.new_expiry:%d/%m/%Y}"


class DocumentCreateView(AgencyRecordFormView):
    model, form_class, title = Document, forms.DocumentForm, "Add a document to the schedule"
    write = staticmethod(services.save_document)


class DocumentChangeView(RecordFormView):
    queryset, form_class = Document.objects.all(), forms.DocumentForm
    write = staticmethod(services.save_document)
    intro = "After a review, give the new version, the date it was approved and when the next review is due."

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:document", kwargs={"pk": self.instance.pk})


class BoardCreateView(AgencyRecordFormView):
    model, form_class, title = Board, forms.BoardForm, "Add a board or group"
    write = staticmethod(services.save_board)


class BoardChangeView(RecordFormView):
    queryset, form_class = Board.objects.all(), forms.BoardForm
    write = staticmethod(services.save_board)

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:board", kwargs={"pk": self.instance.pk})


class MemberCreateView(BoardPartFormView):
    model, form_class = BoardMember, forms.MemberForm
    write = staticmethod(services.save_member)

    def get_title(self):
        return f"Add a member to {self.board}"


class MemberChangeView(RecordFormView):
    queryset, form_class = BoardMember.objects.select_related("board__agency"), forms.MemberForm
    write = staticmethod(services.save_member)

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:board", kwargs={"pk": self.instance.board_id})


class MeetingCreateView(BoardPartFormView):
    model, form_class = Meeting, forms.MeetingForm

    def get_title(self):
        return f"Record a meeting of {self.board}"

    def save(self, form):
        meeting = services.record_meeting(form.save(commit=False), form.decision_texts(), by=self.request.user)
        return f"Meeting of {meeting.held_on:%d/%m/%Y} recorded"


class ActionCreateView(BoardPartFormView):
    model, form_class = Action, forms.ActionForm
    write = staticmethod(services.save_action)

    def get_title(self):
        return f"Add an action for {self.board}"


class ActionChangeView(RecordFormView):
    queryset, form_class = Action.objects.all(), forms.ActionForm
    write = staticmethod(services.save_action)
    title = "Change an action"

    def back_url(self):
        return reverse("governance:board", kwargs={"pk": self.instance.board_id})


class WorkstreamCreateView(AgencyRecordFormView):
    model, form_class, title = Workstream, forms.WorkstreamForm, "Add a workstream"
    write = staticmethod(services.save_workstream)


class WorkstreamChangeView(RecordFormView):
    queryset, form_class = Workstream.objects.select_related("agency"), forms.WorkstreamForm
    write = staticmethod(services.save_workstream)

    def get_title(self):
        return f"Change {self.saved_name}"


# --------------------------------------------------------------------------------------------
# Complaints and inter-country cases
# --------------------------------------------------------------------------------------------


class ComplaintCreateView(RecordFormView):
    resource, form_class, title = "complaints", forms.ComplaintForm, "Record a complaint"
    permission = ("complaints", "add")
    intro = "Stage 1 starts on the day it was received: the response is due within 10 working days."

    def form_kwargs(self):
        return {"agency": self.request.user.agency}

    def back_url(self):
        return reverse("governance:complaints")

    def save(self, form):
        data = form.cleaned_data
        self.complaint = services.record_complaint(
            self.request.user.agency, data["council"], data["received_on"], data["about"], by=self.request.user
        )
        return f"{self.complaint} recorded"

    def success_url(self):
        return reverse("governance:complaint", kwargs={"pk": self.complaint.pk})


class ComplaintStepView(RecordFormView):
    """A form about a complaint's current stage."""

    resource = "complaints"
    permission = ("complaints", "change")

    @cached_property
    def complaint(self):
        return self.record(selectors.complaints(self.request.user, "change"), "complaints", "change")

    def back_url(self):
        return reverse("governance:complaint", kwargs={"pk": self.complaint.pk})


class ComplaintResponseView(ComplaintStepView):
    form_class, button = forms.ResponseForm, "Save the response"

    def new_record(self):
        return self.complaint.current_stage

    def get_title(self):
        return f"Response to {self.complaint}: {self.instance.stage_label}"

    def save(self, form):
        services.save_response(form.save(commit=False), by=self.request.user)
        return "Response saved"


class ComplaintEscalationView(ComplaintStepView):
    form_class, button = forms.EscalationForm, "Escalate"

    @cached_property
    def stage(self):
        stage = schedule.next_stage(schedule.ComplaintStage(self.complaint.current_stage.stage))
        if stage is None:
            raise Http404("The complaint is already with the Ombudsman")
        return stage

    def form_kwargs(self):
        return {"current": self.complaint.current_stage}

    def get_title(self):
        return f"Escalate {self.complaint} to {self.stage.label}"

    @property
    def intro(self):
        due = schedule.STAGE_WORKING_DAYS.get(self.stage)
        stays = "The stage before stays on the record."
        return f"{stays} The answer is due within {due[0]} working days of the request." if due else stays

    def save(self, form):
        services.escalate_complaint(self.complaint, self.stage, form.cleaned_data["started_on"], by=self.request.user)
        return f"{self.complaint} escalated to {self.stage.label}"


class InterCountryCreateView(AgencyRecordFormView):
    resource, model, form_class = "complaints", InterCountryCase, forms.InterCountryForm
    write = staticmethod(services.save_intercountry_case)
    permission = ("complaints", "add")
    title = "Add an inter-country adoption case"

    def back_url(self):
        return reverse("governance:complaints")


class InterCountryChangeView(RecordFormView):
    resource, queryset, form_class = "complaints", InterCountryCase.objects.all(), forms.InterCountryForm
    write = staticmethod(services.save_intercountry_case)
    permission = ("complaints", "change")

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:intercountry", kwargs={"pk": self.instance.pk})


# The risk register: board members and managers read it (governance view); administrators raise,
# change and review risks (governance add and change). Risks hold no personal data.


def _risks_of(user, action: str = "view"):
    return policy.restrict(Risk.objects.prefetch_related("reviews"), user, "governance", action)


class RiskRegisterView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/risks.html"

    def get_context_data(self, **kwargs):
        today = self.today
        show_closed = self.request.GET.get("closed") == "1"
        rows = []
        for risk in _risks_of(self.request.user):
            closed = risk.closed_on is not None and risk.closed_on <= today
            if closed and not show_closed:
                continue
            rows.append({"risk": risk, "rating": risk.rating, "closed": closed, "overdue": risk.review_overdue(today)})
        # The worst first; of equal scores the longest on the register.
        rows.sort(
            key=lambda row: (row["closed"], -(row["rating"].score if row["rating"] else 0), row["risk"].raised_on)
        )
        open_ratings = [row["rating"] for row in rows if row["rating"] and not row["closed"]]
        return super().get_context_data(
            rows=rows,
            grid=risks.grid(open_ratings),
            show_closed=show_closed,
            impacts=list(risks.IMPACT.items()),
            likelihoods=risks.LIKELIHOOD,
            **kwargs,
        )


class RiskView(GovernanceMixin, TemplateView):
    permission = ("governance", "view")
    template_name = "governance/risk.html"

    def get_context_data(self, **kwargs):
        risk = self.record(Risk.objects.prefetch_related("reviews"), "governance", "view")
        reviews = risk.reviews_in_order()
        rows = [
            {"review": review, "trend": risks.trend(reviews[i - 1].rating if i else None, review.rating)}
            for i, review in enumerate(reviews)
        ]
        return super().get_context_data(
            risk=risk,
            rating=risk.rating,
            reviews=list(reversed(rows)),
            overdue=risk.review_overdue(self.today),
            changes=changes_for(risk, self.request.user, parts=[("Review", RiskReview, "risk")]),
            **kwargs,
        )


class RiskCreateView(AgencyRecordFormView):
    form_class, title = forms.RiskForm, "Add a risk to the register"
    button = "Add the risk"

    def new_record(self):
        return Risk(agency=self.request.user.agency)

    def back_url(self):
        return reverse("governance:risks")

    def save(self, form):
        data = form.cleaned_data
        risk = services.raise_risk(form.save(commit=False), data["likelihood"], data["impact"], by=self.request.user)
        return f"{risk.reference} {risk} is on the register"

    def success_url(self):
        return reverse("governance:risk", kwargs={"pk": self.instance.pk})


class RiskChangeView(RecordFormView):
    form_class = forms.RiskChangeForm
    intro = "The rating changes only by a review. Give a closing date only when the risk no longer applies."

    @cached_property
    def instance(self):
        record = self.record(Risk.objects.all(), self.resource, "change")
        self.saved_name = str(record)  # the title keeps the saved name while the form writes its input
        return record

    def save(self, form):
        return f"{services.save_risk(form.save(commit=False), by=self.request.user)} saved"

    def get_title(self):
        return f"Change {self.saved_name}"

    def back_url(self):
        return reverse("governance:risk", kwargs={"pk": self.instance.pk})


class RiskReviewView(RecordFormView):
    form_class, button = forms.RiskReviewForm, "Record the review"
    permission = ("governance", "change")
    intro = "Rate the risk as it stands today. The ratings before stay on the record."

    @cached_property
    def risk(self):
        return self.record(Risk.objects.all(), "governance", "change")

    def new_record(self):
        return RiskReview(risk=self.risk)

    def get_title(self):
        return f"Review {self.risk}"

    def back_url(self):
        return reverse("governance:risk", kwargs={"pk": self.risk.pk})

    def save(self, form):
        review = services.review_risk(form.save(commit=False), by=self.request.user)
        return f"{self.risk} rated {review.rating.score} ({review.rating.band.label.lower()})"
