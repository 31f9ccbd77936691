"""Adoption support pages. The state machine, the finance service and the pure modules decide;
these pages offer only what the case's stage allows and show refusals with their reasons."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from openraa.audit import reads
from openraa.common import years
from openraa.common.machine import WITHDRAWN
from openraa.common.timescales import Status
from openraa.finance import selectors as finance_selectors
from openraa.finance.money import ZERO, pounds
from openraa.people import policy
from openraa.permanence import phases
from openraa.permanence.models import switches_for
from openraa.support import budget, counts, domain, forms, letterbox, selectors, services, timescales
from openraa.support.models import AgencySupportTargets, LetterboxExchange, support_targets_for
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class _InScope:
    """Adoption support pages open only while adoption support is in the agency's scope: a
    partnership that phases it in (permanence/phases.py) sees why instead of the pages, and nothing
    is written. Runs after the deny-by-default permission check."""

    def dispatch(self, request, *args, **kwargs):
        agency = getattr(request.user, "agency", None)
        if agency is not None:
            reason = phases.adoption_support_refusal(switches_for(agency), timezone.localdate())
            if reason:
                return render(request, "support/not_in_scope.html", {"reason": reason})
        return super().dispatch(request, *args, **kwargs)


class _SupportSection(_InScope, PolicyView):
    """The pages under the support menu: the menu offers the targets to those who may change them."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_set_targets=policy.can(self.request.user, "partnership", "change"), **kwargs
        )


class _CasePage(_InScope, PolicyView):
    action = "view"

    @cached_property
    def case(self):
        return get_object_or_404(selectors.cases_for(self.request.user, self.action), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, case_url=reverse("support:detail", args=[self.case.pk]), **kwargs
        )


class CaseListView(_SupportSection, TemplateView):
    permission = ("support", "view")
    template_name = "support/list.html"

    def get_context_data(self, **kwargs):
        user, query = self.request.user, self.request.GET
        councils = list(policy.councils_for(user, "support", "view").order_by("name"))
        cases = selectors.cases_for(user).order_by("-received_on", "-id")
        council, stage, overdue_only = query.get("council", ""), query.get("stage", ""), query.get("overdue") == "1"
        if council:
            cases = cases.filter(responsible_council__ons_code=council)
        if stage:
            cases = cases.filter(stage=stage)
        today, targets = timezone.localdate(), support_targets_for(user.agency)
        rows = []
        for case in cases:
            late = timescales.overdue(case.projection(), today, targets)
            if late or not overdue_only:
                rows.append({"case": case, "overdue": late})
        return super().get_context_data(
            rows=rows,
            councils=councils,
            stages=[(s.value, s.label) for s in domain.Stage if s != domain.Stage.NEW],
            council=council,
            stage=stage,
            overdue_only=overdue_only,
            can_add=policy.can(user, "support", "add"),
            show_names=policy.can(user, "support", "view_restricted"),
            **kwargs,
        )


class CaseDetailView(_CasePage, TemplateView):
    permission = ("support", "view")
    template_name = "support/detail.html"
    http_method_names = ["get", "post"]

    def post(self, request, *args, **kwargs):
        """Allocating the case: those who change support cases."""
        case = self.case
        if not policy.can_on(request.user, case, "support", "change"):
            raise PermissionDenied
        form = forms.AllocateForm(request.POST, agency=case.agency)
        if form.is_valid():
            services.allocate_case(case, form.cleaned_data["worker"], by=request.user)
            messages.success(request, f"{case.reference} allocated")
        else:
            messages.error(request, "Choose a member of the agency's staff")
        return redirect("support:detail", pk=case.pk)

    def get_context_data(self, **kwargs):
        user, case, today = self.request.user, self.case, timezone.localdate()
        steps = list(case.steps.select_related("recorded_by").order_by("occurred_on", "id"))
        superseded = {s.supersedes_id for s in steps if s.supersedes_id}
        labels = {kind: step.label for kind, step in domain.STEPS.items()}
        history = [
            {
                "step": s,
                "label": labels.get(s.kind, "Withdrawn" if s.kind == WITHDRAWN else s.kind),
                "superseded": s.pk in superseded,
                "details": _describe(s.details),
                "correctable": s.kind != WITHDRAWN and s.pk not in superseded,
            }
            for s in steps
        ]
        targets = support_targets_for(case.agency)
        items = [
            {"timescale": t, "status": t.status(today, targets.due_soon_days)}
            for t in timescales.case_timescales(case.projection(), targets)
        ]
        services_list = list(case.services.select_related("fund_application"))
        plan_open = case.stage in (domain.Stage.PLAN_AGREED, domain.Stage.SUPPORTED)
        can_change = policy.can_on(user, case, "support", "change")
        return super().get_context_data(
            history=history,
            timescales=items,
            services=services_list,
            overdue=[i for i in items if i["status"] == Status.OVERDUE],
            total_cost=sum((s.cost for s in services_list), ZERO),
            can_change=can_change,
            can_commission=can_change and plan_open,
            can_step=can_change and bool(domain.JOURNEY.allowed_from(case.stage)),
            show_names=policy.can_on(user, case, "support", "view_restricted"),
            show_contact="phone" not in policy.hidden_fields(user, case),
            allocate_form=forms.AllocateForm(initial={"worker": case.worker_id}, agency=case.agency)
            if can_change
            else None,
            **kwargs,
        )


def _describe(details: dict) -> str:
    words = []
    if details.get("assessment_outcome"):
        words.append(domain.OUTCOMES.get(details["assessment_outcome"], details["assessment_outcome"]))
    if details.get("closed_reason"):
        words.append(domain.CLOSED_REASONS.get(details["closed_reason"], details["closed_reason"]))
    return "; ".join(words)


class LetterboxListView(_SupportSection, TemplateView):
    """The letterbox agreements the user may see: who is on each side by reference, the birth
    relative's relationship only where the policy shows it (their name only on the agreement)."""

    permission = ("support", "view")
    template_name = "support/letterbox_list.html"

    def get_context_data(self, **kwargs):
        user, query = self.request.user, self.request.GET
        agreements = selectors.letterbox_for(user)
        council, status = query.get("council", ""), query.get("status", "")
        if council:
            agreements = agreements.filter(responsible_council__ons_code=council)
        if status:
            agreements = agreements.filter(status=status)
        rows = [
            {"agreement": a, "hidden": policy.hidden_fields(user, a)}
            for a in agreements.order_by("responsible_council__name", "-starts_on", "-id")
        ]
        return super().get_context_data(
            rows=rows,
            councils=policy.councils_for(user, "support", "view").order_by("name"),
            statuses=list(letterbox.STATUSES.items()),
            council=council,
            status=status,
            **kwargs,
        )


class LetterboxDetailView(_SupportSection, TemplateView):
    permission = ("support", "view")
    template_name = "support/letterbox_detail.html"

    @cached_property
    def agreement(self):
        return get_object_or_404(selectors.letterbox_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        # The agreement names the child and the birth relative: the page's audit scan reads the
        # people a record is about (the child here) only from records that are not themselves one.
        reads.shown(self.request, [self.agreement, *filter(None, [self.agreement.child, self.agreement.household])])
        hidden = policy.hidden_fields(self.request.user, self.agreement)
        today = timezone.localdate()
        exchanges = [
            {"exchange": e, "status": e.status(today), "overdue": letterbox.is_overdue(e.facts(), today)}
            for e in self.agreement.exchanges.select_related("checked_by")
        ]
        return super().get_context_data(
            agreement=self.agreement,
            exchanges=exchanges,
            can_log=policy.can_on(self.request.user, self.agreement, "support", "change"),
            show_names="birth_relative_name" not in hidden,
            show_relationship="birth_relative_relationship" not in hidden,
            show_contact="phone" not in hidden,
            **kwargs,
        )


class _ExchangePage(_InScope, PolicyView, FormView):
    """A letter under an agreement (support change grant): logged, then received, read and checked,
    passed on or held back (support/letterbox.py decides; services.save_exchange writes)."""

    permission = ("support", "change")
    template_name = "support/form.html"

    @cached_property
    def agreement(self):
        return get_object_or_404(selectors.letterbox_for(self.request.user, "change"), pk=self.kwargs["pk"])

    def agreement_url(self) -> str:
        return reverse("support:letterbox-detail", args=[self.agreement.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, back=self.agreement_url(), **kwargs)

    def saved(self, form, exchange, message: str):
        try:
            services.save_exchange(exchange, by=self.request.user)
        except ValidationError as refused:
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.agreement_url())


class ExchangeLogView(_ExchangePage):
    form_class = forms.ExchangeLogForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agreement": self.agreement}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Log a letter under {self.agreement.reference}", button="Log the letter", **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        exchange = LetterboxExchange(
            agreement=self.agreement,
            direction=data["direction"],
            due_on=data["due_on"],
            received_on=data["received_on"],
            note=data["note"],
        )
        return self.saved(form, exchange, f"Letter logged under {self.agreement.reference}")


class ExchangeView(_ExchangePage):
    form_class = forms.ExchangeForm
    FIELDS = ("received_on", "checked_on", "passed_on_on", "held_back", "held_back_on", "held_back_reason", "note")

    @cached_property
    def exchange(self):
        return get_object_or_404(self.agreement.exchanges.all(), pk=self.kwargs["exchange"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "exchange": self.exchange, "user": self.request.user}

    def get_initial(self):
        return {name: getattr(self.exchange, name) for name in self.FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"Letter {self.exchange.get_direction_display().lower()}, due {self.exchange.due_on:%-d %B %Y}",
            intro="Record the date it was received, read and checked, then passed on, or returned or withheld.",
            button="Save",
            **kwargs,
        )

    def form_valid(self, form):
        exchange = self.exchange
        for name in self.FIELDS:
            setattr(
                exchange,
                name,
                form.cleaned_data[name] or ("" if name in ("held_back", "held_back_reason", "note") else None),
            )
        exchange.checked_by_id = form.checked_by(exchange.checked_on)
        return self.saved(form, exchange, f"Letter recorded under {self.agreement.reference}")


class CaseCreateView(_InScope, PolicyView, FormView):
    permission = ("support", "add")
    template_name = "support/form.html"
    form_class = forms.CaseForm

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "agency": user.agency,
            "councils": policy.councils_for(user, "support", "add").order_by("name"),
        }

    def get_initial(self):
        return {"worker": self.request.user.pk}  # the worker taking the request holds it, unless they choose

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Record a request for adoption support",
            button="Record the request",
            back=reverse("support:list"),
            **kwargs,
        )

    def form_valid(self, form):
        user = self.request.user
        try:
            case = services.open_case(form.build(user.agency), form.cleaned_data["received_on"], by=user)
        except ValidationError as error:
            # "Request received" refused (a future date): the error belongs to the date box.
            if "occurred_on" in error.message_dict:
                error = ValidationError({"received_on": error.message_dict["occurred_on"]})
            add_errors(form, error, kind_to="received_on")
            return self.form_invalid(form)
        messages.success(self.request, f"Request recorded as {case.reference}")
        return redirect("support:detail", pk=case.pk)


class StepView(_CasePage, FormView):
    permission = ("support", "change")
    action = "change"
    template_name = "support/step_form.html"
    form_class = forms.StepForm

    def allowed(self):
        return [s for s in domain.JOURNEY.allowed_from(self.case.stage) if s.kind != "request_received"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "steps": self.allowed()}

    def form_valid(self, form):
        data = form.cleaned_data
        step = domain.STEPS[data["kind"]]
        try:
            services.record_step(
                self.case,
                step.kind,
                data["occurred_on"],
                by=self.request.user,
                details=form.details(step),
                note=data["note"],
            )
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, f"{step.label} recorded for {self.case.reference}")
        return redirect("support:detail", pk=self.case.pk)


class CorrectionView(_CasePage, FormView):
    permission = ("support", "change")
    action = "change"
    template_name = "support/form.html"
    form_class = forms.CorrectionForm

    @cached_property
    def entry(self):
        return get_object_or_404(self.case.steps.exclude(kind=WITHDRAWN), pk=self.kwargs["step"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "step": domain.STEPS[self.entry.kind]}

    def get_initial(self):
        return {"occurred_on": self.entry.occurred_on, "action": "correct", **self.entry.details}

    def get_context_data(self, **kwargs):
        label = domain.STEPS[self.entry.kind].label
        return super().get_context_data(
            title=f"Correct {label.lower()} of {self.entry.occurred_on.day} {self.entry.occurred_on:%B %Y}",
            button="Save the correction",
            back=reverse("support:detail", args=[self.case.pk]),
            intro="The entry stays in the case's history, marked as superseded by the correction.",
            **kwargs,
        )

    def form_valid(self, form):
        data, step = form.cleaned_data, domain.STEPS[self.entry.kind]
        try:
            if data["action"] == "withdraw":
                services.withdraw_step(self.entry, by=self.request.user, note=data["note"])
            else:
                services.record_step(
                    self.case,
                    self.entry.kind,
                    data["occurred_on"],
                    by=self.request.user,
                    details={name: data.get(name) for name in step.details},
                    note=data["note"],
                    supersedes=self.entry,
                )
        except ValidationError as error:
            add_errors(form, error, kind_to="occurred_on")
            return self.form_invalid(form)
        messages.success(self.request, "Entry withdrawn" if data["action"] == "withdraw" else "Correction recorded")
        return redirect("support:detail", pk=self.case.pk)


class ServiceCreateView(_CasePage, FormView):
    permission = ("support", "change")
    action = "change"
    template_name = "support/form.html"
    form_class = forms.ServiceForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Add a commissioned service",
            button="Add the service",
            back=reverse("support:detail", args=[self.case.pk]),
            intro="A service of the agreed support plan, bought from a provider.",
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.add_service(self.case, form.save(commit=False), by=self.request.user)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Service added to {self.case.reference}'s support plan")
        return redirect("support:detail", pk=self.case.pk)


class FundApplicationView(_CasePage, FormView):
    permission = ("support", "change")
    action = "change"
    template_name = "support/form.html"
    form_class = forms.FundForm

    def get_context_data(self, **kwargs):
        intro = (
            "The application is checked against the Support Fund's fair-access limit per child per financial "
            "year in force on the day it is made. One over the limit is refused with the reason, and nothing is "
            "recorded."
        )
        if self.case.child_id is None:
            intro = "The Support Fund pays for support to a child: this case is not linked to a child's record."
        return super().get_context_data(
            title="Apply to the Adoption and Special Guardianship Support Fund",
            button="Apply",
            back=reverse("support:detail", args=[self.case.pk]),
            intro=intro,
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            service, decision = services.apply_to_fund(
                self.case,
                form.save(commit=False),
                fund_kind=data["fund_kind"],
                applied_on=data["applied_on"],
                by=self.request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        if service is None:
            form.add_error("cost", list(decision.errors))
            return self.form_invalid(form)
        left = decision.left_total if decision.left_total is not None else decision.left_therapy
        left_text = f"; {pounds(left)} is left for this child in {decision.year.label}" if left is not None else ""
        messages.success(self.request, f"Support Fund application of {pounds(service.cost)} accepted{left_text}")
        return redirect("support:detail", pk=self.case.pk)


def _year_asked(request) -> years.FinancialYear:
    """?year=2025-26 (or 2026, the same year); this year when none is asked for; 404 for anything else."""
    wanted = request.GET.get("year", "")
    year = years.parse(wanted) if wanted else years.FinancialYear.containing(timezone.localdate())
    if year is None:
        raise Http404(years.refusal(wanted))
    return year


class BudgetView(_SupportSection, TemplateView):
    permission = ("support", "view")
    template_name = "support/budget.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        year = _year_asked(self.request)
        rows = selectors.budget_positions(user, year)
        total = budget.Position(
            "all", sum((p.budget for _, p in rows), ZERO), sum((p.committed for _, p in rows), ZERO)
        )
        return super().get_context_data(
            year=year,
            year_label=year.label,
            rows=rows,
            total=total,
            previous=(year - 1).label,
            following=(year + 1).label,
            can_change=policy.can(user, "support", "change"),
            held_in_finance=finance_selectors.support_budgets_held(user.agency, year.start),
            **kwargs,
        )


class BudgetSetView(_InScope, PolicyView, FormView):
    permission = ("support", "change")
    template_name = "support/form.html"
    form_class = forms.BudgetForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "councils": policy.councils_for(self.request.user, "support", "change").order_by("name"),
        }

    def get_initial(self):
        return {"year": years.FinancialYear.containing(timezone.localdate()).label}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title="Set a council's support budget",
            button="Save the budget",
            back=reverse("support:budget"),
            intro="Each council holds its own adoption support budget for the year and pays for its own cases.",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.set_budget(
                self.request.user.agency, data["council"], data["year"], data["amount"], by=self.request.user
            )
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        label = data["year"].label
        messages.success(
            self.request, f"{data['council'].name}'s support budget for {label} is {pounds(data['amount'])}"
        )
        return redirect(reverse("support:budget") + f"?year={label}")


class CountsView(_SupportSection, TemplateView):
    """The national return's adoption support counts: aggregates, never a case."""

    permission = ("support", "view")
    template_name = "support/counts.html"

    def get_context_data(self, **kwargs):
        year = _year_asked(self.request)
        start, end = year.starts_on, min(year.ends_on, max(timezone.localdate(), year.starts_on))
        councils, result = selectors.support_return(self.request.user, start, end)
        columns = [(c, result.by_council.get(c.pk, counts.Counts())) for c in councils]
        lines = [
            {"label": label, "cells": [getattr(n, name) for _, n in columns], "total": getattr(result.total, name)}
            for name, label in counts.LABELS.items()
        ]
        return super().get_context_data(
            year_label=year.label,
            start=start,
            end=end,
            councils=councils,
            lines=lines,
            previous=(year - 1).label,
            following=(year + 1).label,
            targets=support_targets_for(self.request.user.agency),
            **kwargs,
        )


class TargetsView(_SupportSection, FormView):
    """The agency's adoption support timescale targets: the defaults until an administrator sets its own."""

    permission = ("partnership", "change")
    template_name = "support/targets.html"

    def get_form(self, form_class=None):
        agency = self.request.user.agency
        instance = AgencySupportTargets.objects.filter(agency=agency).first() or AgencySupportTargets(agency=agency)
        return forms.TargetsForm(self.request.POST or None, instance=instance)

    def form_valid(self, form):
        services.save_targets(form.save(commit=False), by=self.request.user)
        messages.success(
            self.request, "Adoption support targets saved: case timescales and the counts use them from now"
        )
        return redirect("support:targets")
