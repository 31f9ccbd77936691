"""Finance pages. The budget, monitoring, formula scenarios and what each council pays are
aggregates (no child behind any figure): every signed-in member of the agency may read them, board
members included, through the `aggregates` grant. The fee ledger, support fund applications and
the downloadable reports name children by reference, so they need the `finance` grant; so do all
changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from openraa.children.models import Child
from openraa.common import disclosure, downloads, parsing, years
from openraa.finance import forms, reports, selectors, services
from openraa.finance.models import (
    BudgetLine,
    Contribution,
    Cost,
    FairAccessLimit,
    FeeRate,
    FinancialYear,
    FundingFormula,
    GoLiveCompensation,
    Grant,
    InteragencyFee,
    Recharge,
    SetUpCost,
    SharingRule,
    StatedTotal,
    SupportFundApplication,
    SupportFundIncome,
)
from openraa.finance.money import ZERO
from openraa.partnership.models import Council
from openraa.people import policy
from openraa.web.forms import add_errors
from openraa.web.views import PolicyView


class FinanceMixin(PolicyView):
    section = "budget"  # which finance page the sub-navigation marks as current

    @cached_property
    def agency(self):
        return self.request.user.agency

    def can(self, action: str) -> bool:
        return policy.can(self.request.user, "finance", action)

    def year_from_url(self) -> FinancialYear:
        return get_object_or_404(FinancialYear, agency=self.agency, start_year=self.kwargs["year"].start)

    def year_from_query(self) -> FinancialYear | None:
        wanted = self.request.GET.get("year")
        year = selectors.chosen_year(self.agency, wanted)
        if wanted and year is None:
            raise Http404("No budget for that year")
        return year

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agency=self.agency,
            can_view=self.can("view"),
            can_add=self.can("add"),
            can_change=self.can("change"),
            years=selectors.years_of(self.agency),
            section=self.section,
            **kwargs,
        )


# --------------------------------------------------------------------------------------------
# Budget
# --------------------------------------------------------------------------------------------


class BudgetView(FinanceMixin, TemplateView):
    permission = ("aggregates", "view")
    template_name = "finance/budget.html"

    def get_context_data(self, **kwargs):
        year = self.year_from_query()
        context = super().get_context_data(year=year, **kwargs)
        if year is not None:
            context["table"] = selectors.budget_table(year)
            context["rolled"] = selectors.pay_award_table(year)
            context["councils"] = selectors.councils_of(self.agency)
        return context


class FinanceFormView(FinanceMixin, FormView):
    """One form on its own page; the subclass saves it."""

    template_name = "finance/form.html"
    title = ""
    button = "Save"
    permission = ("finance", "add")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title, button=self.button, back=self.back_url(), intro=self.intro(), **kwargs
        )

    def intro(self) -> str:
        return ""

    def back_url(self) -> str:
        return reverse("finance:budget")

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.success_url())

    def success_url(self) -> str:
        return self.back_url()

    def save(self, form) -> str:
        raise NotImplementedError


class YearCreateView(FinanceFormView):
    title = "Add a financial year"
    form_class = forms.YearForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.agency}

    @transaction.atomic
    def save(self, form):
        data = form.cleaned_data
        year = services.save(FinancialYear(agency=self.agency, start_year=data["year"].start, note=data["note"]))
        previous = FinancialYear.objects.filter(agency=self.agency, start_year__lt=year.start_year).first()
        if data["copy_lines"] and previous and previous.start_year == year.start_year - 1:
            # Kent 2020: year 1 is each council's budget of the year before plus the pay award.
            services.roll_forward(previous)
        elif data["copy_lines"] and previous:
            for line in previous.lines.all():
                new = services.save(
                    BudgetLine(year=year, name=line.name, part=line.part, position=line.position, purpose=line.purpose)
                )
                for contribution in line.contributions.all():
                    services.save(
                        Contribution(line=new, council_id=contribution.council_id, amount=contribution.amount)
                    )
            rule = SharingRule.objects.filter(year=previous).first()
            if rule:
                services.save(SharingRule(year=year, rule=rule.rule, measure=rule.measure, agreement=rule.agreement))
        self.year = year
        return f"{year.label} added"

    def success_url(self):
        return reverse("finance:budget") + f"?year={self.year.label}"


class YearFormView(FinanceFormView):
    """A form about one year, at /finance/<year>/..."""

    @cached_property
    def year(self) -> FinancialYear:
        return self.year_from_url()

    def back_url(self):
        return reverse("finance:budget") + f"?year={self.year.label}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=self.year, **kwargs)


class LineCreateView(YearFormView):
    form_class = forms.LineForm

    @property
    def title(self):
        return f"Add a budget line to {self.year.label}"

    def get_form_kwargs(self):
        position = (self.year.lines.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        return {**super().get_form_kwargs(), "instance": BudgetLine(year=self.year, position=position)}

    def save(self, form):
        line = services.add_line(form.instance)
        return f"{line.name} added to {self.year.label}"


class ContributionView(YearFormView):
    form_class = forms.ContributionForm
    permission = ("finance", "change")
    button = "Save contribution"

    @property
    def title(self):
        return f"Set a council's contribution in {self.year.label}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "year": self.year}

    def save(self, form):
        data = form.cleaned_data
        services.set_contribution(data["line"], data["council"], data["amount"])
        return f"{data['council'].name}'s contribution to {data['line'].name} saved"


class PayAwardView(YearFormView):
    form_class = forms.PayAwardForm
    permission = ("finance", "change")
    button = "Save the pay award"

    @property
    def title(self):
        return f"Set a council's pay award for {self.year.label}"

    def intro(self):
        return (
            "Added to the council's contributions rolled forward from the year before, split between its "
            "lines in proportion to them. The papers give no rate: enter the council's own."
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "year": self.year}

    def save(self, form):
        data = form.cleaned_data
        services.set_pay_award(
            self.year, data["council"], percent=data["percent"], amount=data["amount"], source=data["source"]
        )
        return f"{data['council'].name}'s pay award for {self.year.label} saved"


class StatedTotalCreateView(YearFormView):
    form_class = forms.StatedTotalForm

    @property
    def title(self):
        return f"Record a total a paper states for {self.year.label}"

    def intro(self):
        return (
            "Stated totals are never used in a sum: the budget page shows each next to the total the lines "
            "add up to, and any difference."
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": StatedTotal(year=self.year)}

    def save(self, form):
        services.save(form.instance)
        return "Stated total recorded"


# --------------------------------------------------------------------------------------------
# Monitoring, costs, income, recharges, sharing rule
# --------------------------------------------------------------------------------------------


class MonitoringView(FinanceMixin, TemplateView):
    section = "monitoring"
    permission = ("aggregates", "view")
    template_name = "finance/monitoring.html"

    def get_context_data(self, **kwargs):
        year = self.year_from_query()
        context = super().get_context_data(year=year, **kwargs)
        if year is None:
            return context
        month = parsing.whole_number(self.request.GET.get("month"), 0, 12)
        month = selectors.default_month(year) if month is None else month
        context["monitoring"] = selectors.monitoring_for(year, month)
        context["months"] = [(0, "Before the first month end")] + [
            (m, f"{years.MONTH_NAMES[m - 1]} (month {m})") for m in range(1, 13)
        ]
        if self.can("view"):
            context["costs"] = Cost.objects.filter(year=year).select_related("line", "council")[:200]
            context["recharges"] = Recharge.objects.filter(year=year).select_related("line", "council")
            context["income"] = SupportFundIncome.objects.filter(year=year).select_related("council")
        return context


class CostCreateView(YearFormView):
    section = "monitoring"
    form_class = forms.CostForm

    @property
    def title(self):
        return f"Record a cost in {self.year.label}"

    def intro(self):
        return (
            "Non-staff costs are charged to the budget directly. Staffing costs are paid by each employing "
            "council and come in as quarterly recharges instead."
        )

    def back_url(self):
        return reverse("finance:monitoring") + f"?year={self.year.label}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Cost(year=self.year)}

    def save(self, form):
        cost = services.save(form.instance)
        return f"{cost.description} recorded"


class IncomeCreateView(CostCreateView):
    form_class = forms.IncomeForm

    @property
    def title(self):
        return f"Record Adoption Support Fund income in {self.year.label}"

    def intro(self):
        return "The fund's income is set against the costs it funds (costs marked as funded by it)."

    def get_form_kwargs(self):
        return {**FinanceFormView.get_form_kwargs(self), "instance": SupportFundIncome(year=self.year)}

    def save(self, form):
        services.save(form.instance)
        return "Adoption Support Fund income recorded"


class SharingRuleView(CostCreateView):
    form_class = forms.SharingRuleForm
    permission = ("finance", "change")

    @property
    def title(self):
        return f"How {self.year.label}'s over- or underspend is shared"

    def intro(self):
        return (
            "Lines held per council keep their own variance. The pooled lines' variance is shared by the rule "
            "the agreement names; a board decision is recorded with its date, minute and each council's share."
        )

    def get_form_kwargs(self):
        rule = SharingRule.objects.filter(year=self.year).first() or SharingRule(year=self.year)
        return {**FinanceFormView.get_form_kwargs(self), "instance": rule}

    def save(self, form):
        services.save(form.instance)
        return "Sharing rule saved"


class RechargeImportView(YearFormView):
    section = "monitoring"
    form_class = forms.RechargeUploadForm
    template_name = "finance/recharges.html"
    button = "Import recharges"

    @property
    def title(self):
        return f"Import staffing recharges for {self.year.label}"

    def back_url(self):
        return reverse("finance:monitoring") + f"?year={self.year.label}"

    def form_valid(self, form):
        upload = self.request.FILES["file"]
        report = services.import_recharges(self.year, form.cleaned_data["file"], source=upload.name[:100])
        return self.render_to_response(self.get_context_data(form=forms.RechargeUploadForm(), report=report))


# --------------------------------------------------------------------------------------------
# Formula scenarios
# --------------------------------------------------------------------------------------------


class FormulaView(FinanceMixin, TemplateView):
    section = "formula"
    permission = ("aggregates", "view")
    template_name = "finance/formula.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formulas = list(FundingFormula.objects.filter(agency=self.agency))
        context["formulas"] = formulas
        if not formulas:
            return context
        latest = selectors.years_of(self.agency).first()
        pooled = (
            sum(selectors.contributions_by_council(latest, BudgetLine.Part.POOLED).values(), ZERO) if latest else ZERO
        )
        this_year = years.FinancialYear.containing(timezone.localdate())
        next_budget = (max(latest.period, this_year) if latest else this_year) + 1
        initial = {
            "first": formulas[0].pk,
            "second": formulas[1].pk if len(formulas) > 1 else None,
            "year": next_budget.label,
            "budget": pooled,
        }
        form = forms.ScenarioForm(self.request.GET or None, initial=initial, agency=self.agency)
        context["form"] = form
        if self.request.GET:
            if not form.is_valid():
                return context
            data = form.cleaned_data
        else:
            data = {
                **initial,
                "year": next_budget,
                "first": formulas[0],
                "second": formulas[1] if len(formulas) > 1 else None,
            }
        year = data["year"]
        context["scenario"] = selectors.scenario(
            self.agency,
            year.start,
            data["budget"],
            data["first"],
            data["second"],
            viewer=policy.disclosure_viewer(self.request.user),
        )
        context["year_label"] = year.label
        return context


class FormulaCreateView(FinanceFormView):
    section = "formula"
    form_class = forms.FormulaForm
    title = "Add a funding formula"

    def intro(self):
        return (
            "Contributions are shared by each council's activity: the measures you weight, averaged over the "
            "years before the budget year, with an optional cap on the change from last year and a move from "
            "historic budgets over a number of years."
        )

    def back_url(self):
        return reverse("finance:formula")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": FundingFormula(agency=self.agency)}

    def save(self, form):
        formula = services.save(form.instance)
        return f"{formula.name} added"


class FormulaAgreeView(FormulaCreateView):
    form_class = forms.AgreeFormulaForm
    permission = ("finance", "change")
    button = "Record the agreement"

    @property
    def title(self):
        return f"Record the board's agreement of {self.formula.name}"

    def intro(self):
        return self.formula.formula().describe()

    @cached_property
    def formula(self):
        return get_object_or_404(FundingFormula, agency=self.agency, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**FinanceFormView.get_form_kwargs(self), "instance": self.formula}

    def save(self, form):
        services.save(form.instance)
        return f"The board's agreement of {self.formula.name} recorded"


# --------------------------------------------------------------------------------------------
# Interagency fees and go-live compensation
# --------------------------------------------------------------------------------------------


class GrantsView(FinanceMixin, TemplateView):
    """Set-up costs shared for the first years and the grants with their conditions and clawback:
    totals only, no child, so the board sees them too."""

    section = "grants"
    permission = ("aggregates", "view")
    template_name = "finance/grants.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        names = {c.pk: c.name for c in selectors.councils_of(self.agency)}
        costs = [
            (cost, cost.as_cost(), [(names.get(s.council_id, ""), s.amount) for s in cost.shares.all()])
            for cost in SetUpCost.objects.filter(agency=self.agency).prefetch_related("shares")
        ]
        grants = [(g, g.position(today)) for g in Grant.objects.filter(agency=self.agency)]
        return super().get_context_data(set_up_costs=costs, grants=grants, **kwargs)


class GrantCreateView(FinanceFormView):
    section = "grants"
    form_class = forms.GrantForm
    title = "Record a grant"

    def back_url(self):
        return reverse("finance:grants")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Grant(agency=self.agency)}

    def save(self, form):
        services.save(form.instance)
        return "Grant recorded"


class FeesView(FinanceMixin, TemplateView):
    section = "fees"
    permission = ("finance", "view")
    template_name = "finance/fees.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fy = years.parse(self.request.GET.get("year")) or years.FinancialYear.containing(timezone.localdate())
        entries = InteragencyFee.objects.filter(agency=self.agency, placed_on__range=(fy.starts_on, fy.ends_on))
        line = BudgetLine.objects.filter(
            year__agency=self.agency, year__start_year=fy.start, purpose=BudgetLine.Purpose.INTERAGENCY
        ).first()
        in_partnership = Child.objects.filter(
            agency=self.agency, household__isnull=False, placed_on__range=(fy.starts_on, fy.ends_on)
        )
        context.update(
            fy=fy,
            fy_label=fy.label,
            fy_previous=(fy - 1).label,
            fy_next=(fy + 1).label,
            entries=entries.select_related("child", "payer"),
            total=sum((e.amount for e in entries), ZERO),
            interagency_line=line,
            interagency_budget=sum((c.amount for c in line.contributions.all()), ZERO) if line else ZERO,
            in_partnership=in_partnership.count(),
            rates=FeeRate.objects.filter(agency__isnull=True) | FeeRate.objects.filter(agency=self.agency),
            compensations=GoLiveCompensation.objects.filter(agency=self.agency).prefetch_related("lines__council"),
        )
        return context


class PlacementCreateView(FinanceFormView):
    section = "fees"
    form_class = forms.PlacementForm
    title = "Record a placement with a provider outside the partnership"
    button = "Record placement and fee"

    def intro(self):
        return (
            "The fee comes from the fee table in force on the day the child moved in and is charged in full "
            "then to the child's responsible council. No fee is charged between partner councils for adopters "
            "the agency approved."
        )

    def back_url(self):
        return reverse("finance:fees")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.agency}

    def save(self, form):
        data = form.cleaned_data
        entry = services.record_external_placement(
            self.agency,
            data["child"],
            data["provider_kind"],
            data["provider_name"],
            data["placed_on"],
            data["children_placed"],
            data["provider_in_london"],
        )
        return f"Fee of £{entry.amount:,.2f} recorded for {entry.child.reference}, paid from the agency's interagency budget"


class FeeRateCreateView(FinanceFormView):
    section = "fees"
    form_class = forms.FeeRateForm
    title = "Add a fee rate"

    def intro(self):
        return "A rate added here is this agency's own; it overrides the national rate in force from the same date."

    def back_url(self):
        return reverse("finance:fees")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": FeeRate(agency=self.agency)}

    def save(self, form):
        services.save(form.instance)
        return "Fee rate added"


class FeePaidView(FinanceFormView):
    section = "fees"
    form_class = forms.PaidForm
    permission = ("finance", "change")
    button = "Record payment"

    @property
    def title(self):
        return f"Record payment of the fee for {self.entry.child.reference}"

    @cached_property
    def entry(self):
        return get_object_or_404(InteragencyFee, agency=self.agency, pk=self.kwargs["pk"])

    def back_url(self):
        return reverse("finance:fees")

    def save(self, form):
        services.mark_fee_paid(self.entry, form.cleaned_data["paid_on"])
        return "Payment recorded"


class CompensationCreateView(FinanceFormView):
    section = "fees"
    form_class = forms.CompensationForm
    title = "Work out go-live compensation"
    button = "Work out and record"

    def intro(self):
        return (
            "Counts each council's approved households waiting and children waiting on the day before go-live. "
            "A council is paid for the households it brought beyond its waiting children's share of all the "
            "households brought, and pays for any shortfall; the amounts add up to nothing."
        )

    def get_initial(self):
        return {"go_live_on": selectors.go_live_date(self.agency)}

    def back_url(self):
        return reverse("finance:fees")

    def save(self, form):
        data = form.cleaned_data
        services.record_go_live_compensation(
            self.agency, data["go_live_on"], data["rate_per_household"], data["decided_on"], data["decision_reference"]
        )
        return "Go-live compensation recorded"


# --------------------------------------------------------------------------------------------
# Support fund
# --------------------------------------------------------------------------------------------


class SupportFundView(FinanceMixin, TemplateView):
    section = "support"
    permission = ("finance", "view")
    template_name = "finance/support_fund.html"

    def get_context_data(self, **kwargs):
        applications = SupportFundApplication.objects.filter(agency=self.agency).select_related(
            "child__responsible_council"
        )[:200]
        return super().get_context_data(applications=applications, limits=FairAccessLimit.objects.all(), **kwargs)


class SupportFundApplyView(FinanceFormView):
    section = "support"
    form_class = forms.SupportFundForm
    title = "Apply to the Adoption Support Fund"
    button = "Check and record the application"

    def intro(self):
        limits = [limit.as_limit().describe() for limit in FairAccessLimit.objects.all()[:1]]
        return f"Fair-access limit: {limits[0]}." if limits else ""

    def back_url(self):
        return reverse("finance:support-fund")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agency": self.agency}

    def save(self, form):
        data = form.cleaned_data
        application, decision = services.apply_to_support_fund(
            self.agency, data["child"], data["applied_on"], data["kind"], data["amount"], data["provider"]
        )
        if application is None:
            raise ValidationError({"amount": list(decision.errors)})
        left = decision.left_total if decision.left_total is not None else decision.left_therapy
        return (
            f"Application of £{application.amount:,.2f} for {application.child.reference} recorded; "
            f"£{left:,.2f} is left for {application.child.reference} in {application.financial_year_label}"
        )


# --------------------------------------------------------------------------------------------
# What each council pays and why
# --------------------------------------------------------------------------------------------


class CouncilsView(FinanceMixin, TemplateView):
    section = "councils"
    permission = ("aggregates", "view")
    template_name = "finance/councils.html"

    def get_context_data(self, **kwargs):
        year = self.year_from_query()
        context = super().get_context_data(year=year, **kwargs)
        if year is not None:
            month = selectors.default_month(year)
            context["reports"] = [
                selectors.council_report(year, c, month, with_fees=False) for c in selectors.councils_of(self.agency)
            ]
            viewer = policy.disclosure_viewer(self.request.user)
            context["fee_counts"] = {
                r.council.ons_code: disclosure.count_text(viewer, r.fee_count, r.council.ons_code)
                for r in context["reports"]
            }
        return context


class CouncilView(FinanceMixin, TemplateView):
    section = "councils"
    permission = ("aggregates", "view")
    template_name = "finance/council.html"

    def get_context_data(self, **kwargs):
        year = self.year_from_query()
        council = get_object_or_404(Council, ons_code=self.kwargs["ons"], memberships__agency=self.agency)
        context = super().get_context_data(year=year, council=council, **kwargs)
        if year is not None:
            context["report"] = report = selectors.council_report(
                year, council, selectors.default_month(year), with_fees=self.can("view")
            )
            viewer = policy.disclosure_viewer(self.request.user)
            context["summary"] = reports.summary(
                report, lambda n, kind: disclosure.count_text(viewer, n, council.ons_code, kind)
            )
            context["transfers"] = reports.transfers(report)
        return context


class CouncilExportView(FinanceMixin, TemplateView):
    permission = ("finance", "view")

    def get(self, request, *args, **kwargs):
        year = self.year_from_query()
        if year is None:
            raise Http404("No budget")
        council = get_object_or_404(Council, ons_code=kwargs["ons"], memberships__agency=self.agency)
        report = selectors.council_report(year, council, selectors.default_month(year), with_fees=True)
        name = f"what-{council.name.lower().replace(' ', '-')}-pays-{year.label}"
        if kwargs["fmt"] == "xlsx":
            return downloads.attachment(reports.xlsx(report), downloads.XLSX_TYPE, f"{name}.xlsx")
        if kwargs["fmt"] == "pdf":
            return downloads.attachment(reports.pdf(report), "application/pdf", f"{name}.pdf")
        raise Http404("Unknown format")
