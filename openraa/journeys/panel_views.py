"""Panel meetings, recommendations and the agency decision maker's decisions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from openraa.journeys import services, timescales
from openraa.journeys.models import AgendaItem, PanelMeeting, PanelMember, targets_for
from openraa.journeys.panel_forms import (AgendaItemForm, DecisionForm, MeetingForm, MinutesForm, PanelMemberForm,
                                          RecommendationForm)
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
            can_add=policy.can(user, "panel", "add"), **kwargs)


class PanelMembersView(PolicyView, FormView):
    permission = ("panel", "view")
    template_name = "panels/members.html"
    form_class = PanelMemberForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(members=PanelMember.objects.filter(agency=user.agency),
                                        can_add=policy.can(user, "panel", "add"), **kwargs)

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "panel", "add"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.agency = self.request.user.agency
        form.save()
        messages.success(self.request, f"{form.instance.name} added to the panel list")
        return redirect("panels:members")


class PanelCreateView(PolicyView, FormView):
    permission = ("panel", "add")
    template_name = "panels/meeting_form.html"
    form_class = MeetingForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.request.user.agency}

    @transaction.atomic
    def form_valid(self, form):
        meeting = PanelMeeting.objects.create(agency=self.request.user.agency, held_on=form.cleaned_data["held_on"])
        meeting.attended_by.set(form.cleaned_data["attended_by"])
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
        items = meeting.items.select_related("household", "decision__decided_by").prefetch_related("children")
        can_change = policy.can(user, "panel", "change")
        forms = kwargs.pop("forms", {})
        return super().get_context_data(
            meeting=meeting,
            members=list(meeting.attended_by.all()),
            quorum_problems=meeting.quorum_problems(),
            items=[{"item": item, "deadline": _deadline(item, targets),
                    "form": forms.get(item.pk) or (RecommendationForm(prefix=f"item{item.pk}") if can_change and not item.recommendation else None)}
                   for item in items],
            item_form=forms.get("item") or (AgendaItemForm(user=user) if can_change else None),
            minutes_form=forms.get("minutes") or (MinutesForm(initial={"final_minutes_on": meeting.final_minutes_on}) if can_change else None),
            can_decide=policy.can(user, "panel", "decide"),
            **kwargs)

    def post(self, request, *args, **kwargs):
        if not policy.can(request.user, "panel", "change"):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "item":
                form = AgendaItemForm(request.POST, user=request.user)
                if form.is_valid():
                    self._add_item(form)
                    return self._done("Item added")
                return self.render_to_response(self.get_context_data(forms={"item": form}))
            if action == "minutes":
                form = MinutesForm(request.POST)
                if form.is_valid():
                    services.set_final_minutes(self.meeting, form.cleaned_data["final_minutes_on"], by=request.user)
                    return self._done("Final minutes date recorded")
                return self.render_to_response(self.get_context_data(forms={"minutes": form}))
            item = get_object_or_404(self.meeting.items, pk=request.POST.get("item"))
            form = RecommendationForm(request.POST, prefix=f"item{item.pk}")
            if form.is_valid():
                services.record_recommendation(item, form.cleaned_data["recommendation"], form.cleaned_data["reasons"],
                                               by=request.user)
                return self._done("Recommendation recorded")
            return self.render_to_response(self.get_context_data(forms={item.pk: form}))
        except ValidationError as error:
            add_errors(form, error)
            key = action if action in ("item", "minutes") else item.pk
            return self.render_to_response(self.get_context_data(forms={key: form}))

    @transaction.atomic
    def _add_item(self, form):
        data = form.cleaned_data
        item = AgendaItem.objects.create(meeting=self.meeting, kind=data["kind"], household=data.get("household"))
        item.children.set(data["children"])

    def _done(self, message):
        messages.success(self.request, message)
        return redirect("panels:detail", pk=self.meeting.pk)


class DecisionQueueView(PolicyView, TemplateView):
    """Items the ADM must decide, with the seven-working-day deadline; breaches first."""

    permission = ("panel", "view")
    template_name = "panels/decisions.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        targets = targets_for(user.agency)
        items = (AgendaItem.objects.filter(meeting__in=meetings_for(user))
                 .exclude(recommendation="").exclude(recommendation="deferred")
                 .select_related("meeting", "household", "decision__decided_by").prefetch_related("children"))
        waiting = [(item, _deadline(item, targets)) for item in items if not hasattr(item, "decision")]
        waiting.sort(key=lambda pair: (pair[1] is None, pair[1][0].due_on if pair[1] else None))
        decided = [(item, _deadline(item, targets)) for item in items if hasattr(item, "decision")]
        decided.sort(key=lambda pair: pair[0].decision.decided_on, reverse=True)
        return super().get_context_data(waiting=waiting, decided=decided[:50],
                                        can_decide=policy.can(user, "panel", "decide"), **kwargs)


class DecisionView(PolicyView, FormView):
    permission = ("panel", "decide")
    template_name = "panels/decision_form.html"
    form_class = DecisionForm

    def dispatch(self, request, *args, **kwargs):
        self.item = get_object_or_404(AgendaItem.objects.filter(meeting__in=meetings_for(request.user))
                                      .select_related("meeting", "household"), pk=kwargs["item"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, deadline=_deadline(self.item, targets_for(self.item.meeting.agency)),
                                        **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_adm_decision(self.item, data["agrees"], data["reasons"], data["decided_on"], by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Decision recorded")
        return redirect("panels:decisions")
