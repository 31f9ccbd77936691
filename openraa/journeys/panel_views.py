"""Panel meetings, recommendations and the agency decision maker's decisions: the only pages that
record the journey steps journeys/routes.py reserves to the panel and the ADM."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.audit.models import RecordView
from openraa.audit.reads import record_view
from openraa.children.domain import ChildStage
from openraa.children.models import Child
from openraa.children.selectors import children_for
from openraa.common import parsing
from openraa.households.selectors import households_for
from openraa.journeys import agenda, definitions, panels, papers, services, timescales
from openraa.journeys.models import AgendaItem, ChildStep, PanelMeeting, PanelMember, targets_for
from openraa.journeys.panel_forms import (
    AgendaItemForm,
    AttendanceForm,
    DecisionCorrectionForm,
    DecisionForm,
    FinalDecisionForm,
    IrmForm,
    MeetingForm,
    MinutesForm,
    PanelMemberForm,
    RecommendationForm,
    ResponseForm,
    ShouldBePlacedForm,
)
from openraa.journeys.selectors import journey_history
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


def meetings_for(user, action: str = "view"):
    return policy.restrict(PanelMeeting.objects.all(), user, "panel", action)


def _deadline(item, targets):
    minutes = item.meeting.final_minutes_on
    if minutes is None or not item.recommendation or item.recommendation == "deferred":
        return None
    decided = item.decision.decided_on if hasattr(item, "decision") else None
    deadline = timescales.adm_decision(minutes, decided, targets)
    return deadline, deadline.status(timezone.localdate(), targets.due_soon_days)


class PanelListView(PolicyView, TemplateView):
    permission = ("panel", "view")
    template_name = "panels/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meetings = meetings_for(user).prefetch_related("items", "attended_by")[:100]
        return super().get_context_data(
            meetings=[(m, m.quorum_problems(), len(m.items.all())) for m in meetings],
            can_add=policy.can(user, "panel", "add"),
            **kwargs,
        )


class PanelMembersView(PolicyView, FormView):
    permission = ("panel", "view")
    template_name = "panels/members.html"
    form_class = PanelMemberForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.request.user.agency}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            members=PanelMember.objects.filter(agency=user.agency).select_related("user"),
            can_add=policy.can(user, "panel", "add"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "panel", "add"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.agency = self.request.user.agency
        services.add_panel_member(form.save(commit=False), by=self.request.user)
        messages.success(self.request, f"{form.instance.name} added to the panel list")
        return redirect("panels:members")


class PanelCreateView(PolicyView, FormView):
    permission = ("panel", "add")
    template_name = "panels/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.request.user.agency}

    def form_valid(self, form):
        meeting = services.create_panel_meeting(
            self.request.user.agency,
            form.cleaned_data["held_on"],
            form.cleaned_data["attended_by"],
            by=self.request.user,
        )
        messages.success(self.request, f"{meeting} added")
        return redirect("panels:detail", pk=meeting.pk)


class PanelDetailView(PolicyView, TemplateView):
    """The meeting: attendance and quorum, its items with recommendations and decisions, and the
    forms to add an item, record a recommendation and the final minutes (for those who run panels)."""

    permission = ("panel", "view")
    template_name = "panels/detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(meetings_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, meeting = self.request.user, self.meeting
        targets = targets_for(meeting.agency)
        items = (
            meeting.items.select_related("household", "decision__decided_by", "determination")
            .prefetch_related("children")
            .order_by("position", "id")
        )
        can_change = policy.can(user, "panel", "change")
        forms = kwargs.pop("forms", {})
        recommended = any(item.recommendation for item in items)
        agenda_open = can_change and services.agenda_open(meeting)
        kind = self.request.GET.get("kind", "")
        kind = kind if kind in panels.ITEM_KIND_LABELS else panels.ItemKind.HOUSEHOLD_APPROVAL
        q = self.request.GET.get("q", "").strip()[:100]
        return super().get_context_data(
            meeting=meeting,
            members=list(meeting.attended_by.select_related("user")),
            attendance_form=forms.get("attendance")
            or (
                AttendanceForm(
                    agency=meeting.agency, meeting=meeting, initial={"attended_by": list(meeting.attended_by.all())}
                )
                if can_change and not recommended
                else None
            ),
            reads_papers=papers.may_read_papers(user),
            quorum_problems=meeting.quorum_problems(),
            items=[
                {
                    "item": item,
                    "deadline": _deadline(item, targets),
                    "form": forms.get(item.pk)
                    or (
                        RecommendationForm(prefix=f"item{item.pk}") if can_change and not item.recommendation else None
                    ),
                }
                for item in items
            ],
            agenda_open=agenda_open,
            item_form=forms.get("item") or (AgendaItemForm(user=user) if agenda_open else None),
            kinds=list(panels.ITEM_KIND_LABELS.items()),
            search_kind=kind,
            q=q,
            candidates=agenda.candidates(user, kind, q) if agenda_open else [],
            minutes_form=forms.get("minutes")
            or (MinutesForm(initial={"final_minutes_on": meeting.final_minutes_on}) if can_change else None),
            can_decide=policy.can(user, "panel", "decide"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "panel", "change"):
            raise PermissionDenied
        action = request.POST.get("action")
        if action in ("move-up", "move-down", "remove"):
            item = self._posted_item()
            try:
                if action == "remove":
                    services.remove_agenda_item(item, by=request.user)
                    return self._done("Item removed from the agenda")
                services.move_agenda_item(item, action == "move-up", by=request.user)
                return self._done("Agenda order changed")
            except ValidationError as error:
                messages.warning(request, " ".join(error.messages))
                return redirect("panels:detail", pk=self.meeting.pk)
        try:
            if action == "item":
                form = AgendaItemForm(request.POST, user=request.user)
                if form.is_valid():
                    data = form.cleaned_data
                    services.add_agenda_item(
                        self.meeting, data["kind"], data.get("household"), data["children"], by=request.user
                    )
                    return self._done("Item added")
                return self.render_to_response(self.get_context_data(forms={"item": form}))
            if action == "attendance":
                form = AttendanceForm(request.POST, agency=self.meeting.agency, meeting=self.meeting)
                if form.is_valid():
                    services.set_attendance(self.meeting, form.cleaned_data["attended_by"], by=request.user)
                    return self._done("Attendance recorded")
                return self.render_to_response(self.get_context_data(forms={"attendance": form}))
            if action == "minutes":
                form = MinutesForm(request.POST)
                if form.is_valid():
                    services.set_final_minutes(self.meeting, form.cleaned_data["final_minutes_on"], by=request.user)
                    return self._done("Final minutes date recorded")
                return self.render_to_response(self.get_context_data(forms={"minutes": form}))
            item = self._posted_item()
            form = RecommendationForm(request.POST, prefix=f"item{item.pk}")
            if form.is_valid():
                services.record_recommendation(
                    item, form.cleaned_data["recommendation"], form.cleaned_data["reasons"], by=request.user
                )
                return self._done("Recommendation recorded")
            return self.render_to_response(self.get_context_data(forms={item.pk: form}))
        except ValidationError as error:
            add_errors(form, error)
            key = action if action in ("item", "minutes", "attendance") else item.pk
            return self.render_to_response(self.get_context_data(forms={key: form}))

    def _posted_item(self):
        """The meeting's item the form names; anything but one of its keys is "not found"."""
        key = parsing.record_id(self.request.POST.get("item"))
        if key is None:
            raise Http404
        return get_object_or_404(self.meeting.items, pk=key)

    def _done(self, message):
        messages.success(self.request, message)
        return redirect("panels:detail", pk=self.meeting.pk)


def _sbp_deciders_note(agency) -> str:
    return "the child's council's decision maker" if agency.decisions_by_council_adm else "an agency decision maker"


class DecisionQueueView(PolicyView, TemplateView):
    """Items the ADM must decide, with the seven-working-day deadline, breaches first; qualifying
    determinations waiting for the household; children waiting for the should-be-placed decision."""

    permission = ("panel", "view")
    template_name = "panels/decisions.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        targets = targets_for(user.agency)
        items = (
            AgendaItem.objects.filter(meeting__in=meetings_for(user))
            .exclude(recommendation="")
            .exclude(recommendation="deferred")
            .select_related("meeting", "household", "decision__decided_by", "determination")
            .prefetch_related("children")
        )
        waiting = [(item, _deadline(item, targets)) for item in items if not hasattr(item, "decision")]
        waiting.sort(key=lambda pair: (pair[1] is None, pair[1][0].due_on if pair[1] else None))
        decided = [(item, _deadline(item, targets)) for item in items if hasattr(item, "decision")]
        decided.sort(key=lambda pair: pair[0].decision.decided_on, reverse=True)
        children = children_for(user).select_related("responsible_council")
        return super().get_context_data(
            waiting=waiting,
            decided=decided[:50],
            should_be_placed=children.filter(stage__in=[ChildStage.CONSIDERED, ChildStage.EARLY_PERMANENCE]).order_by(
                "entered_care_on", "pk"
            )[:100],
            placed_decisions=ChildStep.objects.filter(
                child__in=children, kind="should_be_placed", recorded_by__isnull=False, corrections__isnull=True
            )
            .select_related("child", "recorded_by")
            .order_by("-occurred_on", "-pk")[:50],
            can_decide=policy.can(user, "panel", "decide"),
            **kwargs,
        )


def _papers_of_item(item, reads: bool) -> list[dict]:
    """Links to the panel papers of each record on the item (for those who read papers)."""
    if not reads:
        return []
    meeting = item.meeting.pk
    found = []
    if item.household_id:
        found.append(
            {
                "label": item.household.reference,
                "url": reverse("panels:paper-household", args=[meeting, item.household_id]),
            }
        )
    found += [
        {"label": child.reference, "url": reverse("panels:paper-child", args=[meeting, child.pk])}
        for child in item.children.all()
    ]
    return found


class DecisionView(PolicyView, TemplateView):
    """The ADM's page for one agenda item: the panel papers, what must be put right first, the
    decision, and, after a qualifying determination, the household's response, the IRM's
    recommendation and the final decision."""

    permission = ("panel", "decide")
    template_name = "panels/decision_form.html"
    forms = {"decide": DecisionForm, "response": ResponseForm, "irm": IrmForm, "final": FinalDecisionForm}

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(
            AgendaItem.objects.filter(meeting__in=meetings_for(request.user))
            .select_related("meeting__agency", "household")
            .prefetch_related("children"),
            pk=kwargs["item"],
        )  # the children it names are shown, so audited
        return super().dispatch(request, *args, **kwargs)

    def determination(self):
        return getattr(AgendaItem.objects.select_related("determination").get(pk=self.item.pk), "determination", None)

    def stage(self, determination) -> str:
        if hasattr(self.item, "decision"):
            return "decided"
        if determination is None:
            return "decide"
        if determination.response == "irm" and determination.irm_recommended_on is None:
            return "irm"
        return "final"

    def get_context_data(self, **kwargs):
        kwargs.pop("item", None)  # the URL's item number: the page shows the item itself
        determination = self.determination()
        stage = self.stage(determination)
        posted = kwargs.pop("posted", {})
        forms = {name: posted.get(name) or form() for name, form in self.forms.items()}
        respond = (
            stage == "final"
            and not determination.response
            and timezone.localdate() <= determination.representations_due
        )
        return super().get_context_data(
            item=self.item,
            deadline=_deadline(self.item, targets_for(self.item.meeting.agency)),
            stage=stage,
            determination=determination,
            forms=forms,
            respond=respond,
            blockers=services.decision_blockers(self.item, self.request.user) if stage == "decide" else [],
            papers=_papers_of_item(self.item, papers.may_read_papers(self.request.user)),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "decide")
        if action not in self.forms:
            raise Http404
        form = self.forms[action](request.POST)
        if form.is_valid():
            data, user = form.cleaned_data, request.user
            try:
                stay = True  # the page shows what comes next (the household's response, the final decision)
                if action == "decide":
                    made = services.record_adm_decision(
                        self.item, data["agrees"], data["reasons"], data["decided_on"], by=user
                    )
                    stay = hasattr(made, "representations_due")
                    done = (
                        "Decision recorded"
                        if not stay
                        else (
                            f"Qualifying determination recorded: the household may make representations or apply to the "
                            f"Independent Review Mechanism until {made.representations_due.day} {made.representations_due:%B %Y}"
                        )
                    )
                elif action == "response":
                    services.record_response(self.item, data["response"], data["response_on"], by=user)
                    done = "The household's response is recorded"
                elif action == "irm":
                    services.record_irm_recommendation(
                        self.item, data["irm_recommendation"], data["irm_recommended_on"], by=user
                    )
                    done = "The IRM panel's recommendation is recorded"
                else:
                    services.record_final_decision(
                        self.item, data["approve"], data["reasons"], data["decided_on"], by=user
                    )
                    done, stay = "Final decision recorded", False
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("panels:decide", item=self.item.pk) if stay else redirect("panels:decisions")
        return self.render_to_response(self.get_context_data(posted={action: form}))


class ShouldBePlacedView(PolicyView, FormView):
    """The ADM's decision that a child should be placed for adoption: no panel (the regulations
    put it before a panel only in consent cases), reasons and date, the child's record one click away."""

    permission = ("panel", "decide")
    template_name = "panels/should_be_placed.html"
    form_class = ShouldBePlacedForm

    def dispatch(self, request, *args, **kwargs):
        self.child = get_object_or_404(
            children_for(request.user).select_related("agency", "responsible_council"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, child = self.request.user, self.child
        waiting = "should_be_placed" in {
            s.kind for s in definitions.child_journey(child.date_of_birth).allowed_from(child.stage)
        }
        return super().get_context_data(
            child=child,
            waiting=waiting,
            decider=_sbp_deciders_note(child.agency),
            blockers=services.should_be_placed_blockers(child, user) if waiting else [],
            decisions=services.decisions_in_force(child),
            paper_url=reverse("panels:paper-should-be-placed", args=[child.pk]),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_should_be_placed(self.child, data["decided_on"], data["reasons"], by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Decision recorded: {self.child.reference} should be placed for adoption")
        return redirect("panels:decisions")


class _PaperView(PolicyView, TemplateView):
    """A read-only panel paper: the whole record for those deciding on it, audited on every open."""

    permission = ("panel", "view")
    template_name = "panels/paper.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        record, context, back = self.record()  # a record outside the reader's reach is "not found" first
        if getattr(record, "sealed", False):
            raise Http404
        if not papers.may_read_papers(user):
            raise PermissionDenied
        record_view(user, record, self.request, RecordView.Channel.PAGE, f"Panel paper: {context}")
        if isinstance(record, Child):
            paper = papers.child_paper(record, user)
            journey = definitions.child_journey(record.date_of_birth)
        else:
            paper = papers.household_paper(record, user)
            journey = definitions.household_journey(
                record.fast_track, (record.approved_children, record.age_min, record.age_max)
            )
        return super().get_context_data(
            record=record, context=context, back=back, paper=paper, history=journey_history(record, journey), **kwargs
        )


class _MeetingPaper(_PaperView):
    def meeting(self):
        return get_object_or_404(meetings_for(self.request.user), pk=self.kwargs["pk"])


class ChildPaperView(_MeetingPaper):
    def record(self):
        meeting = self.meeting()
        child = get_object_or_404(
            children_for(self.request.user)
            .filter(panel_items__meeting=meeting)
            .distinct()
            .select_related("responsible_council"),
            pk=self.kwargs["child"],
        )
        return child, str(meeting), reverse("panels:detail", args=[meeting.pk])


class HouseholdPaperView(_MeetingPaper):
    def record(self):
        meeting = self.meeting()
        household = get_object_or_404(
            households_for(self.request.user)
            .filter(panel_items__meeting=meeting)
            .distinct()
            .select_related("home_council"),
            pk=self.kwargs["household"],
        )
        return household, str(meeting), reverse("panels:detail", args=[meeting.pk])


class ShouldBePlacedPaperView(_PaperView):
    permission = ("panel", "decide")

    def record(self):
        child = get_object_or_404(
            children_for(self.request.user).select_related("responsible_council"), pk=self.kwargs["pk"]
        )
        return child, "the should-be-placed decision", reverse("panels:should-be-placed", args=[child.pk])


class _DecisionCorrectionView(PolicyView, FormView):
    """The decision maker corrects the date of a decision or withdraws it, by a superseding entry
    with the reason; the generic correction page refuses decisions."""

    permission = ("panel", "decide")
    template_name = "panels/decision_correction.html"
    form_class = DecisionCorrectionForm

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_record()
        self.entry = get_object_or_404(self.object.steps, pk=kwargs["step"])
        return super().dispatch(request, *args, **kwargs)

    def journey(self):
        raise NotImplementedError

    def get_initial(self):
        return {"occurred_on": self.entry.occurred_on}

    def get_context_data(self, **kwargs):
        steps = self.journey().steps
        return super().get_context_data(
            record=self.object,
            entry=self.entry,
            entry_label=steps[self.entry.kind].label if self.entry.kind in steps else self.entry.kind,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.correct_decision(
                self.entry,
                by=self.request.user,
                withdraw=data["action"] == "withdraw",
                note=data["note"],
                occurred_on=data.get("occurred_on"),
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Decision withdrawn" if data["action"] == "withdraw" else "Correction recorded")
        return redirect(self.object_url())


class ChildDecisionCorrectionView(_DecisionCorrectionView):
    def get_record(self):
        return get_object_or_404(children_for(self.request.user), pk=self.kwargs["pk"])

    def journey(self):
        return definitions.child_journey(self.object.date_of_birth)

    def object_url(self):
        return reverse("children:detail", args=[self.object.pk])


class HouseholdDecisionCorrectionView(_DecisionCorrectionView):
    def get_record(self):
        return get_object_or_404(households_for(self.request.user), pk=self.kwargs["pk"])

    def journey(self):
        return definitions.household_journey(
            self.object.fast_track, (self.object.approved_children, self.object.age_min, self.object.age_max)
        )

    def object_url(self):
        return reverse("households:detail", args=[self.object.pk])
