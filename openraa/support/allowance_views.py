"""Adoption allowance pages. Families' allowances, their reviews and payments are records about
people: the `support` grant, by council (policy.restrict). The board's page shows each council's
spend against its allowance budget only: money totals, no family (the `aggregates` grant)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from openraa.audit import reads
from openraa.audit.selectors import changes_for
from openraa.common import years
from openraa.finance.money import pounds
from openraa.people import policy
from openraa.support import allowance_selectors, allowance_services, allowances, forms
from openraa.support.models import Allowance, AllowancePayment, AllowancePolicy, AllowanceReview
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


def _year(request) -> years.FinancialYear:
    asked = years.parse(request.GET.get("year", "") or "")
    return asked if asked is not None and asked.start >= 2000 else years.FinancialYear.containing(timezone.localdate())


class AllowancesView(PolicyView, TemplateView):
    """Each council's policy, families receiving, reviews overdue and spend; and the allowances."""

    permission = ("support", "view")
    template_name = "support/allowances.html"

    def get_context_data(self, **kwargs):
        user, today, year = self.request.user, timezone.localdate(), _year(self.request)
        councils = list(policy.councils_for(user, "support", "view").order_by("name"))
        visible = policy.restrict(Allowance.objects.select_related("council", "household"), user, "support", "view")
        policies = list(AllowancePolicy.objects.filter(agency=user.agency))
        rows = []
        for allowance in allowance_selectors.with_review_dates(visible):
            months = allowance_selectors.review_months(policies, allowance, today)
            rows.append(
                {
                    "allowance": allowance,
                    "due": allowances.review_due(allowance.starts_on, allowance.last_reviewed_on, months),
                    "overdue": allowances.review_overdue(
                        allowance.starts_on, allowance.last_reviewed_on, months, today, allowance.ends_on
                    ),
                    "receiving": allowances.receiving_on(allowance.starts_on, allowance.ends_on, today),
                }
            )
        return super().get_context_data(
            summary=allowance_selectors.by_council(user.agency, councils, year, today, visible),
            rows=rows,
            year=year,
            previous=(year - 1).label,
            following=(year + 1).label,
            can_add=policy.can(user, "support", "add"),
            can_change=policy.can(user, "support", "change"),
            **kwargs,
        )


class AllowancesBoardView(PolicyView, TemplateView):
    """For the board: each council's allowance policy and its spend against its own budget."""

    permission = ("aggregates", "view")
    template_name = "support/allowances_board.html"

    def get_context_data(self, **kwargs):
        agency, today, year = self.request.user.agency, timezone.localdate(), _year(self.request)
        councils = list(agency.member_councils().order_by("name"))
        summary = allowance_selectors.by_council(agency, councils, year, today)
        budgets = [row.spend.budget for row in summary]
        total = allowances.Spend(
            None if None in budgets else sum(budgets, allowances.ZERO),
            sum((row.spend.paid for row in summary), allowances.ZERO),
        )
        return super().get_context_data(
            summary=summary,
            total=total,
            year=year,
            previous=(year - 1).label,
            following=(year + 1).label,
            **kwargs,
        )


class AllowanceView(PolicyView, TemplateView):
    permission = ("support", "view")
    template_name = "support/allowance.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        allowance = get_object_or_404(
            policy.restrict(
                Allowance.objects.select_related("council", "household").prefetch_related("reviews", "payments"),
                user,
                "support",
                "view",
            ),
            pk=self.kwargs["pk"],
        )
        # The family whose allowance this is: a read of their record, audited like any other.
        reads.shown(self.request, allowance.household)
        return super().get_context_data(
            allowance=allowance,
            can_change=policy.can_on(user, allowance, "support", "change"),
            changes=changes_for(
                allowance,
                user,
                parts=[("Review", AllowanceReview, "allowance"), ("Payment", AllowancePayment, "allowance")],
            ),
            **kwargs,
        )


class _AllowanceForm(PolicyView, FormView):
    """A form page whose service may refuse: the refusal goes on the form, nothing is saved."""

    template_name = "support/form.html"
    title = button = intro = ""

    def back(self) -> str:
        return reverse("support:allowances")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, button=self.button, back=self.back(), intro=self.intro, **kwargs
        )

    def form_valid(self, form):
        try:
            message, url = self.write(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(url)


class _OneAllowance(_AllowanceForm):
    permission = ("support", "change")

    @cached_property
    def allowance(self):
        return get_object_or_404(
            policy.restrict(Allowance.objects.all(), self.request.user, "support", "change"), pk=self.kwargs["pk"]
        )

    def back(self) -> str:
        return reverse("support:allowance", args=[self.allowance.pk])


class AllowanceCreateView(_AllowanceForm):
    permission = ("support", "add")
    form_class = forms.AllowanceForm
    title, button = "Record an adoption allowance", "Record the allowance"
    intro = "The council that pays it, under its own allowance policy."

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "instance": Allowance(agency=user.agency),
            "councils": policy.councils_for(user, "support", "add").order_by("name"),
            "agency": user.agency,
        }

    def write(self, form):
        allowance = allowance_services.start_allowance(form.save(commit=False), by=self.request.user)
        return f"{allowance.reference} is recorded", reverse("support:allowance", args=[allowance.pk])


class AllowanceReviewView(_OneAllowance):
    form_class = forms.AllowanceReviewForm
    button = "Record the review"
    intro = "The amount after the review is paid from the day of the review; the reviews before stay on record."

    @property
    def title(self):
        return f"Review {self.allowance.reference}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": AllowanceReview(allowance=self.allowance)}

    def write(self, form):
        allowance_services.review_allowance(form.save(commit=False), by=self.request.user)
        return f"{self.allowance.reference} is reviewed", self.back()


class AllowancePaymentView(_OneAllowance):
    form_class = forms.AllowancePaymentForm
    button = "Record the payment"

    @property
    def title(self):
        return f"Record a payment of {self.allowance.reference}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": AllowancePayment(allowance=self.allowance)}

    def write(self, form):
        payment = allowance_services.record_payment(form.save(commit=False), by=self.request.user)
        return f"{pounds(payment.amount)} paid on {payment.paid_on:%d/%m/%Y} is recorded", self.back()


class AllowancePolicyView(_AllowanceForm):
    permission = ("support", "change")
    form_class = forms.AllowancePolicyForm
    title, button = "Record a council's allowance policy", "Record the policy"
    intro = "A policy applies from its date; the council's earlier policy stays on record."

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "instance": AllowancePolicy(agency=user.agency),
            "councils": policy.councils_for(user, "support", "change").order_by("name"),
        }

    def write(self, form):
        saved = allowance_services.save_policy(form.save(commit=False), by=self.request.user)
        return f"{saved} is recorded", self.back()


class AllowanceBudgetView(_AllowanceForm):
    permission = ("support", "change")
    form_class = forms.AllowanceBudgetForm
    title, button = "Set a council's adoption allowance budget", "Save the budget"
    intro = "Allowances are each council's own: this budget is outside the agency's pooled budget."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "councils": policy.councils_for(self.request.user, "support", "change").order_by("name"),
        }

    def get_initial(self):
        return {"year": years.FinancialYear.containing(timezone.localdate()).label}

    def write(self, form):
        data = form.cleaned_data
        allowance_services.set_budget(
            self.request.user.agency, data["council"], data["year"], data["amount"], by=self.request.user
        )
        label = data["year"].label
        return (
            f"{data['council'].name}'s allowance budget for {label} is {pounds(data['amount'])}",
            reverse("support:allowances") + f"?year={label}",
        )


class EndAllowanceView(_OneAllowance):
    form_class = forms.EndAllowanceForm
    button = "Record the last day"
    intro = "The allowance stays on record with its reviews and payments; payments after the last day are refused."

    @property
    def title(self):
        return f"End {self.allowance.reference}"

    def write(self, form):
        ended = allowance_services.end_allowance(self.allowance, form.cleaned_data["ends_on"], by=self.request.user)
        return f"{ended.reference} is paid to {ended.ends_on:%d/%m/%Y}", self.back()
