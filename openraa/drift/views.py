"""Drift pages: a worker's own overdue and due-soon items, and the agency's across every council
with each worker's caseload."""

from django import forms
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from openraa.drift.selectors import drift_overview, visible_councils
from openraa.people import policy
from openraa.people.models import User
from openraa.people.roles import roles_granted
from openraa.web.forms import GovukForm
from openraa.web.views import PolicyView

PAGE_SIZE = 100


class DriftFilterForm(GovukForm):
    council = forms.ModelChoiceField(queryset=None, required=False, empty_label="All councils")
    worker = forms.ModelChoiceField(queryset=None, required=False, empty_label="All workers", label="Allocated worker")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = visible_councils(user)
        self.fields["worker"].queryset = User.objects.holding(*roles_granted("drift", "view")).filter(
            agency=user.agency
        )


class MyDriftView(PolicyView, TemplateView):
    """The records allocated to the signed-in worker that they may see."""

    permission = ("drift", "view")
    template_name = "drift/mine.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        drift = drift_overview(user, timezone.localdate(), worker=user)
        return super().get_context_data(
            drift=drift,
            page=Paginator(drift.items, PAGE_SIZE).get_page(self.request.GET.get("page")),
            caseload=drift.caseloads[0] if drift.caseloads else None,
            can_see_agency=policy.can(user, "caseloads", "view"),
            **kwargs,
        )


class AgencyDriftView(PolicyView, TemplateView):
    """Every council's items, filterable by council and worker, with counts per council and the
    caseload of each worker."""

    permission = ("caseloads", "view")
    template_name = "drift/agency.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filters = DriftFilterForm(self.request.GET or None, user=user)
        criteria = filters.cleaned_data if filters.is_valid() else {}
        council, worker = criteria.get("council"), criteria.get("worker")
        drift = drift_overview(user, timezone.localdate(), council=council, worker=worker)
        return super().get_context_data(
            drift=drift,
            filters=filters,
            council=council,
            worker=worker,
            page=Paginator(drift.items, PAGE_SIZE).get_page(self.request.GET.get("page")),
            overdue=len(drift.overdue),
            due_soon=len(drift.due_soon),
            **kwargs,
        )
