"""Drift pages: a worker's own work and overdue and due-soon items, and the agency's across every
council with each worker's caseload."""

from django import forms
from django.core.paginator import Paginator
from django.utils import timezone
from django.views.generic import TemplateView

from openraa.casework.models import Notification, Task
from openraa.drift.selectors import drift_overview, my_children, my_households, visible_councils
from openraa.people import policy
from openraa.people.models import User
from openraa.people.roles import roles_granted
from openraa.support.selectors import cases_for, overdue_exchanges
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


WEEK = 7


class MyWorkView(PolicyView, TemplateView):
    """A worker's day: the records allocated to them, what is overdue or due this week on them
    (timescales and documents), their tasks, and what colleagues changed on their records. Every
    member of staff has the page; each part reads through its own grant."""

    permission = ("aggregates", "view")
    template_name = "drift/my_work.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        context = {"today": today, "tasks": [], "tasks_set": [], "children": [], "households": [], "items": []}
        if policy.can(user, "drift", "view"):
            drift = drift_overview(user, today, worker=user)
            context["items"] = [item for item in drift.items if item.overdue or item.days_left <= WEEK]
        if policy.can(user, "child", "view"):
            context["children"] = my_children(user, today)
        if policy.can(user, "household", "view"):
            context["households"] = my_households(user, today)
        context["tasks"] = list(
            Task.objects.filter(owner=user, done_on__isnull=True).select_related("set_by", "child", "household")
        )
        context["tasks_set"] = list(
            Task.objects.filter(set_by=user, done_on__isnull=True)
            .exclude(owner=user)
            .select_related("owner", "child", "household")
        )
        context["letters_overdue"], context["letters_overdue_total"], context["support_cases"] = [], 0, []
        if policy.can(user, "support", "view"):
            context["support_cases"] = list(
                cases_for(user).filter(worker=user, closed_on__isnull=True).order_by("received_on", "id")
            )
            overdue = overdue_exchanges(user, today).select_related("agreement")
            context["letters_overdue"] = list(overdue[: WEEK * 3])
            context["letters_overdue_total"] = overdue.count()
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        context["notifications"] = list(unread[:20])
        context["unread"] = unread.count()
        return super().get_context_data(**context, **kwargs)
