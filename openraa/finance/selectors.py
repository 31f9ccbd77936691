"""Reads for the finance pages, commands and reports: the budget table, activity from the record,
monitoring, formula scenarios and what each council pays and why. The rules are in the pure
modules; this file only gathers their inputs from the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.core.management.base import CommandError
from django.db.models import Q, Sum
from django.utils import timezone

from openraa.children.models import Child
from openraa.common import years as financial_years
from openraa.common.disclosure import CHILDREN, EVERYONE, HOUSEHOLDS, Viewer, whole_percents
from openraa.common.years import FinancialYear as Period
from openraa.finance import budget, fees, monitoring
from openraa.finance import formula as funding
from openraa.finance.models import (
    BudgetLine,
    Contribution,
    Cost,
    FeeRate,
    FinancialYear,
    FundingFormula,
    GoLiveCompensation,
    InteragencyFee,
    Recharge,
    SharingRule,
    SupportFundIncome,
)
from openraa.finance.money import ZERO, apportion, exact
from openraa.households.models import Household
from openraa.partnership.models import Agency, Council, Membership

# --------------------------------------------------------------------------------------------
# Years and councils
# --------------------------------------------------------------------------------------------


def years_of(agency: Agency):
    return FinancialYear.objects.filter(agency=agency).order_by("-start_year")


def chosen_year(agency: Agency, wanted: str | None) -> FinancialYear | None:
    """The year asked for ("2019-20", or "2020" for the same year), else the latest one with a budget."""
    years = years_of(agency)
    if wanted not in (None, ""):
        period = financial_years.parse(wanted)
        return years.filter(start_year=period.start).first() if period is not None else None
    return years.first()


def year_for_command(agency_code: str, period: Period | str, missing_hint: str = ""):
    """The budget year a command names (--agency bkm --year 2019-20, read by years.argument), or a
    CommandError that says what was wrong. Shared by the finance commands."""
    if not isinstance(period, Period):  # call_command(year="2020") hands the text over unread
        text, period = period, financial_years.parse(period)
        if period is None:
            raise CommandError(financial_years.refusal(text))
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise CommandError(f"No agency with the code {agency_code!r}")
    year = agency.financial_years.filter(start_year=period.start).first()
    if year is None:
        raise CommandError(f"{agency.name} has no budget for {period.label}{missing_hint}")
    return year


def councils_of(agency: Agency) -> list[Council]:
    """Every council that is, was or will be a member, by name."""
    return list(Council.objects.filter(memberships__agency=agency).distinct().order_by("name"))


# --------------------------------------------------------------------------------------------
# The budget
# --------------------------------------------------------------------------------------------


def budget_table(year: FinancialYear) -> budget.Table:
    councils = councils_of(year.agency)
    names = {c.pk: c.name for c in councils}
    lines = list(year.lines.prefetch_related("contributions"))
    table_lines = [
        budget.Line(line.name, line.part, {names[c.council_id]: c.amount for c in line.contributions.all()})
        for line in lines
    ]
    line_names = {line.pk: line.name for line in lines}
    stated = [
        budget.Stated(line_names.get(s.line_id), names.get(s.council_id), s.amount, s.rounded_to, s.source)
        for s in year.stated_totals.all()
    ]
    return budget.tabulate([c.name for c in councils], table_lines, stated)


def support_budgets_held(agency, start_year: int) -> tuple[list[BudgetLine], dict[int, Decimal]] | None:
    """Each council's adoption support budget when finance holds it for the year: its contributions
    to the year's lines held per council (Kent 2020: adoption support is transferred, "but each Local
    Authorities budget will remain separately managed"). None when finance holds no such line, and
    the support pages keep their own figure. One source of truth per year: never both."""
    lines = list(
        BudgetLine.objects.filter(year__agency=agency, year__start_year=start_year, part=BudgetLine.Part.PER_COUNCIL)
    )
    if not lines:
        return None
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for council_id, amount in Contribution.objects.filter(line__in=lines).values_list("council_id", "amount"):
        totals[council_id] += amount
    return lines, dict(totals)


def pay_award_table(year: FinancialYear) -> dict:
    """The year's contributions beside the base they were rolled forward from and the pay award
    added, and the interagency budget line: amounts as strings, for the JSON and the page."""
    councils = councils_of(year.agency)
    names = {c.pk: c.name for c in councils}
    awards = {a.council_id: a for a in year.pay_awards.all()}
    lines = list(year.lines.prefetch_related("contributions"))
    rolled = [line for line in lines if any(c.base is not None for c in line.contributions.all())]
    base_year = FinancialYear.objects.filter(agency=year.agency, start_year=year.start_year - 1).first()

    def council_rows(line: BudgetLine) -> dict[str, dict[str, str | None]]:
        return {
            names[c.council_id]: {
                "base": None if c.base is None else str(c.base),
                "pay_award": None if c.pay_award is None else str(c.pay_award),
                "contribution": str(c.amount),
            }
            for c in line.contributions.all()
        }

    interagency = next((line for line in lines if line.purpose == BudgetLine.Purpose.INTERAGENCY), None)
    totals = {}
    for council in councils:
        own = [c for line in rolled for c in line.contributions.all() if c.council_id == council.pk]
        if own:
            base = sum((c.base for c in own), ZERO)
            award = sum((c.pay_award or ZERO for c in own), ZERO)
            totals[council.name] = {"base": str(base), "pay_award": str(award), "contribution": str(base + award)}
    return {
        "base_year": base_year.label if base_year and rolled else None,
        "pay_awards": {
            names[a.council_id]: {
                "percent": None if a.percent is None else str(a.percent),
                "amount": None if a.amount is None else str(a.amount),
                "source": a.source,
            }
            for a in awards.values()
        },
        "rolled_forward": [{"name": line.name, "part": line.part, "councils": council_rows(line)} for line in rolled],
        "rolled_forward_totals": totals,
        "interagency_line": None
        if interagency is None
        else {
            "name": interagency.name,
            "contributions": {names[c.council_id]: str(c.amount) for c in interagency.contributions.all()},
            "total": str(sum((c.amount for c in interagency.contributions.all()), ZERO)),
            "pays_for": "Interagency fees for placements outside the partnership (none between partners)",
        },
        "before_the_agency": year.before_the_agency,
    }


def contributions_by_council(year: FinancialYear, part: str | None = None) -> dict[int, Decimal]:
    rows = Contribution.objects.filter(line__year=year)
    if part:
        rows = rows.filter(line__part=part)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for council_id, amount in rows.values_list("council_id", "amount"):
        totals[council_id] += amount
    return dict(totals)


# --------------------------------------------------------------------------------------------
# Activity from the record
# --------------------------------------------------------------------------------------------

# measure -> (model label, date field, council field)
SOURCES = {
    "placement_orders": ("children.Child", "placement_order_on", "responsible_council_id"),
    "adoption_orders": ("children.Child", "adoption_order_on", "responsible_council_id"),
    "children_referred": ("children.Child", "family_finding_referral_on", "responsible_council_id"),
    "households_approved": ("households.Household", "approved_on", "home_council_id"),
}


# measure -> counter(agency, first day, last day) -> (council id, day) per thing counted. Apps above
# finance register the measures they keep (permanence: its plans and carers, in its AppConfig.ready),
# so finance never imports them. A measure nobody registered counts nothing.
ActivityCounter = Callable[[Agency, date, date], Iterable[tuple[int, date]]]
ACTIVITY_COUNTERS: dict[str, ActivityCounter] = {}


def register_activity(measure: str, counter: ActivityCounter) -> None:
    if measure not in funding.MEASURES:
        raise ValueError(f"Unknown measure {measure!r}")
    ACTIVITY_COUNTERS[measure] = counter


def activity(
    agency: Agency, years: Iterable[int], measures: Iterable[str] = tuple(funding.MEASURES)
) -> dict[int, dict[int, dict[str, int]]]:
    """year (FinancialYear.start) -> council id -> measure -> count, from the agency's own record.
    A child counts for its responsible council only, a household for its home council only."""
    years = sorted(set(years))
    result: dict[int, dict[int, dict[str, int]]] = {y: defaultdict(lambda: defaultdict(int)) for y in years}
    if not years:
        return {}
    start, end = Period(years[0]).starts_on, Period(years[-1]).ends_on
    for measure in measures:
        if measure in SOURCES:
            label, date_field, council_field = SOURCES[measure]
            model = apps.get_model(label)
            rows = model.objects.filter(agency=agency, **{f"{date_field}__range": (start, end)}).values_list(
                council_field, date_field
            )
        elif measure in ACTIVITY_COUNTERS:
            rows = ACTIVITY_COUNTERS[measure](agency, start, end)
        else:
            continue
        for council_id, day in rows:
            year = Period.containing(day).start
            if year in result:
                result[year][council_id][measure] += 1
    return {y: {c: dict(m) for c, m in councils.items()} for y, councils in result.items()}


# --------------------------------------------------------------------------------------------
# Monitoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonitoredLine:
    line: BudgetLine
    council: Council | None  # a council's part of a line held per council
    forecast: monitoring.Forecast
    direct: Decimal
    recharged: Decimal
    commitments: Decimal


@dataclass(frozen=True)
class VarianceShare:
    council: Council
    pooled_share: Decimal
    own_lines: Decimal

    @property
    def total(self) -> Decimal:
        return self.pooled_share + self.own_lines


@dataclass(frozen=True)
class SupportFundRow:
    council: Council
    costs: Decimal
    income: Decimal

    @property
    def net(self) -> Decimal:
        return self.costs - self.income


@dataclass
class Monitoring:
    year: FinancialYear
    month: int
    lines: list[MonitoredLine]
    rule: SharingRule | None
    rule_text: str
    shares: list[VarianceShare]
    support_fund: list[SupportFundRow]
    quarters_due: int
    notes: list[str] = field(default_factory=list)

    @property
    def month_label(self) -> str:
        return (
            "before the year's first month end"
            if self.month == 0
            else f"to the end of {financial_years.MONTH_NAMES[self.month - 1]} (month {self.month})"
        )

    @property
    def as_of(self) -> date | None:
        return self.year.period.month_end(self.month) if self.month else None

    def total(self, attribute: str) -> Decimal:
        return sum((getattr(row.forecast, attribute) for row in self.lines), ZERO)

    @property
    def pooled_variance(self) -> Decimal:
        return sum((row.forecast.variance for row in self.lines if row.council is None), ZERO)


def default_month(year: FinancialYear, today: date | None = None) -> int:
    return year.period.months_elapsed(today or timezone.localdate())


def monitoring_for(year: FinancialYear, month: int) -> Monitoring:
    councils = councils_of(year.agency)
    by_id = {c.pk: c for c in councils}
    as_of = year.period.month_end(month) if month else year.starts_on
    quarters_due = month // 3
    contributions: dict[tuple[int, int], Decimal] = {
        (c.line_id, c.council_id): c.amount for c in Contribution.objects.filter(line__year=year)
    }
    costs = Cost.objects.filter(year=year, asf_funded=False)
    direct = _sum_by(
        costs.filter(status=Cost.Status.PAID, incurred_on__lte=as_of) if month else costs.none(),
        "line_id",
        "council_id",
    )
    committed = _sum_by(costs.filter(status=Cost.Status.COMMITTED), "line_id", "council_id")
    recharges = Recharge.objects.filter(year=year, quarter__lte=quarters_due)
    recharged = _sum_by(recharges, "line_id", "council_id")
    quarters: dict[tuple[int, int | None], set[int]] = defaultdict(set)
    for line_id, council_id, quarter in recharges.values_list("line_id", "council_id", "quarter"):
        quarters[(line_id, None)].add(quarter)
        quarters[(line_id, council_id)].add(quarter)

    lines: list[MonitoredLine] = []
    for line in year.lines.all():
        if line.pooled:
            parts = [(None, sum((a for (lid, _), a in contributions.items() if lid == line.pk), ZERO))]
        else:
            parts = [(by_id[cid], a) for (lid, cid), a in contributions.items() if lid == line.pk]
            parts.sort(key=lambda p: p[0].name)
        for council, line_budget in parts:

            def pick(sums):
                if council is None:
                    return sum((v for (lid, _), v in sums.items() if lid == line.pk), ZERO)
                # A council's part of a line held per council: its own costs, and the staffing it
                # employs and recharges.
                return sums.get((line.pk, council.pk), ZERO)

            actuals = monitoring.LineActuals(
                budget=line_budget,
                direct=pick(direct),
                recharged=pick(recharged),
                quarters_recharged=len(quarters.get((line.pk, council.pk if council else None), ())),
                commitments=pick(committed),
            )
            lines.append(
                MonitoredLine(
                    line,
                    council,
                    monitoring.forecast_outturn(actuals, month),
                    actuals.direct,
                    actuals.recharged,
                    actuals.commitments,
                )
            )

    rule = SharingRule.objects.filter(year=year).first()
    weights, rule_text, notes = sharing_weights(year, rule, councils)
    pooled_variance = sum((row.forecast.variance for row in lines if row.council is None), ZERO)
    pooled_shares = monitoring.share(pooled_variance, weights) if weights else {}
    own = defaultdict(lambda: ZERO)
    for row in lines:
        if row.council is not None:
            own[row.council.pk] += row.forecast.variance
    shares = [
        VarianceShare(c, pooled_shares.get(c.pk, ZERO), own.get(c.pk, ZERO))
        for c in councils
        if c.pk in weights or c.pk in own
    ]

    asf_costs = _sum_by(
        Cost.objects.filter(
            year=year, asf_funded=True, status=Cost.Status.PAID, incurred_on__lte=as_of if month else year.starts_on
        ),
        "council_id",
    )
    asf_income = _sum_by(
        SupportFundIncome.objects.filter(year=year, received_on__lte=as_of)
        if month
        else SupportFundIncome.objects.none(),
        "council_id",
    )
    fund_rows = [
        SupportFundRow(c, asf_costs.get((c.pk,), ZERO), asf_income.get((c.pk,), ZERO))
        for c in councils
        if (c.pk,) in asf_costs or (c.pk,) in asf_income
    ]
    if asf_costs.get((None,)):
        notes.append("Adoption Support Fund costs charged to a pooled line are not attributed to a council")
    return Monitoring(year, month, lines, rule, rule_text, shares, fund_rows, quarters_due, notes)


def sharing_weights(year: FinancialYear, rule: SharingRule | None, councils: Sequence[Council]):
    """(council id -> weight, how the rule reads, notes) for sharing the pooled variance."""
    notes: list[str] = []
    pooled = contributions_by_council(year, BudgetLine.Part.POOLED)
    by_contribution = {c.pk: pooled[c.pk] for c in councils if pooled.get(c.pk)}
    if rule is None:
        notes.append("No sharing rule recorded for the year: shown by share of contribution")
        return by_contribution, monitoring.SHARING_RULES[monitoring.SHARE_OF_CONTRIBUTION], notes
    if rule.rule == SharingRule.Rule.ACTIVITY:
        counts = activity(year.agency, [year.start_year], [rule.measure]).get(year.start_year, {})
        weights = {c.pk: counts.get(c.pk, {}).get(rule.measure, 0) for c in councils if c.pk in by_contribution}
        text = f"Share of activity: {funding.MEASURES[rule.measure].lower()} in {year.label}"
        if not any(weights.values()):
            notes.append(
                f"No {funding.MEASURES[rule.measure].lower()} recorded in {year.label}: shown by share of "
                "contribution until there are"
            )
            return by_contribution, text, notes
        return weights, text, notes
    if rule.rule == SharingRule.Rule.BOARD:
        if rule.decided_on:
            codes = {c.ons_code: c.pk for c in councils}
            weights = {codes[code]: exact(Decimal(str(p))) for code, p in rule.board_shares.items() if code in codes}
            return weights, (f"As the board decided on {rule.decided_on:%d/%m/%Y} ({rule.decision_reference})"), notes
        notes.append(
            "The board has not yet decided how this year's over- or underspend is shared: shown "
            "provisionally by share of contribution"
        )
        return by_contribution, "As the board decides (no decision recorded yet)", notes
    return by_contribution, monitoring.SHARING_RULES[monitoring.SHARE_OF_CONTRIBUTION], notes


def _sum_by(queryset, *keys: str) -> dict[tuple, Decimal]:
    rows = queryset.values(*keys).annotate(total=Sum("amount")).order_by()
    if len(keys) == 1:
        return {(row[keys[0]],): row["total"] for row in rows}
    return {tuple(row[k] for k in keys): row["total"] for row in rows}


# --------------------------------------------------------------------------------------------
# Formula scenarios
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioRow:
    council: Council
    averages: dict[str, Decimal | None]  # None: another council's count, not shown to this viewer
    previous: Decimal | None
    first: Decimal
    second: Decimal | None
    first_percent: int | None = None  # the whole-percent share the amount is worked out from, when rounded
    second_percent: int | None = None

    @property
    def difference(self) -> Decimal | None:
        return None if self.second is None else self.second - self.first


@dataclass
class Scenario:
    year: int
    budget: Decimal
    first: funding.Result
    second: funding.Result | None
    rows: list[ScenarioRow]
    measures: list[str]
    previous_year: FinancialYear | None
    historic_year: FinancialYear | None
    rounded: bool = False  # amounts from whole-percent shares: the viewer may not see every council's counts
    hidden_counts: bool = False  # some council's activity is not shown to the viewer

    @property
    def first_total(self) -> Decimal:
        return sum((r.first for r in self.rows), ZERO)

    @property
    def second_total(self) -> Decimal | None:
        return sum((r.second for r in self.rows), ZERO) if self.second else None


def scenario(
    agency: Agency,
    year: int,
    budget_amount: Decimal,
    first: FundingFormula,
    second: FundingFormula | None,
    part: str | None = BudgetLine.Part.POOLED,
    viewer: Viewer = EVERYONE,
) -> Scenario:
    """Two formulas side by side, per council, for the budget of `year`. Last year's contributions
    (for the cap) and the earliest year's (the historic budgets the transition starts from) come
    from the recorded years; both count the same part of the budget as the formula shares.

    For a viewer who does not see every council's records in full (policy.disclosure_viewer): a
    council's activity is shown only when the viewer sees that council's counts exactly, and the
    amounts are worked out from whole-percent shares. A formula's amounts are its counts in money:
    exact pennies would let anyone solve for another council's counts (one measure, one year, any
    budget), and the years and formulas on offer could be subtracted from each other."""
    councils = councils_of(agency)
    formulas = [f.formula() for f in (first, second) if f is not None]
    span = set()
    for f in formulas:
        span.update(f.activity_years(year))
    counts = activity(agency, span)
    years = years_of(agency)
    previous_year = years.filter(start_year__lt=year).first()
    historic_year = years.filter(start_year__lt=year).order_by("start_year").first()
    previous = contributions_by_council(previous_year, part) if previous_year else None
    historic = contributions_by_council(historic_year, part) if historic_year else None
    keys = [c.pk for c in councils]
    results = [funding.contributions(f, budget_amount, keys, counts, year, historic, previous) for f in formulas]
    measures = [m for m in funding.MEASURES if any(m in f.weights for f in formulas)]
    kinds = {m: HOUSEHOLDS if m in funding.HOUSEHOLD_MEASURES else CHILDREN for m in funding.MEASURES}
    rounded = not all(viewer.exact(None, kinds[m]) for f in formulas for m, w in f.weights.items() if w)
    amounts, percents = [], []
    for result in results:
        if rounded:
            shares = whole_percents({r.council: r.amount for r in result.rows})
            amounts.append(
                apportion(budget_amount, shares)
                if budget_amount and any(shares.values())
                else dict.fromkeys(keys, ZERO)
            )
            percents.append(shares)
        else:
            amounts.append(result.amounts())
            percents.append({})
    by_id = {c.pk: c for c in councils}
    rows = []
    hidden = False
    for i, key in enumerate(keys):
        a = results[0].rows[i]
        b = results[1].rows[i] if len(results) > 1 else None
        averages: dict[str, Decimal | None] = {}
        for m in measures:
            if not viewer.exact(by_id[key].ons_code, kinds[m]):
                averages[m] = None
                hidden = True
                continue
            value = next(r.averages[m] for r in (a, b) if r is not None and m in r.averages)
            averages[m] = Decimal(value.numerator) / Decimal(value.denominator)
        rows.append(
            ScenarioRow(
                by_id[key],
                averages,
                previous.get(key) if previous else None,
                amounts[0][key],
                amounts[1][key] if b else None,
                percents[0].get(key),
                percents[1].get(key) if b else None,
            )
        )
    return Scenario(
        year,
        budget_amount,
        results[0],
        results[1] if len(results) > 1 else None,
        rows,
        measures,
        previous_year,
        historic_year,
        rounded,
        hidden,
    )


# --------------------------------------------------------------------------------------------
# Fees, compensation and go-live
# --------------------------------------------------------------------------------------------


def fee_rates(agency: Agency) -> list[fees.Rate]:
    return [r.as_rate() for r in FeeRate.objects.filter(Q(agency__isnull=True) | Q(agency=agency))]


def brought_at_go_live(agency: Agency, go_live_on: date) -> dict[int, tuple[int, int]]:
    """council id -> (approved households waiting, children waiting) on the day before go-live:
    households approved before it and not yet placed with a child or closed; children with a
    placement order or a decision that they should be placed, not yet placed and with the plan
    still open."""
    before = go_live_on
    households = (
        Household.objects.filter(agency=agency, approved_on__lt=before)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=before))
        .exclude(children__placed_on__lt=before)
        .distinct()
    )
    children = (
        Child.objects.filter(agency=agency)
        .filter(Q(placement_order_on__lt=before) | Q(should_be_placed_on__lt=before))
        .filter(Q(placed_on__isnull=True) | Q(placed_on__gte=before))
        .filter(Q(plan_ended_on__isnull=True) | Q(plan_ended_on__gte=before))
    )
    result: dict[int, list[int]] = {c.pk: [0, 0] for c in councils_of(agency)}
    for council_id in households.values_list("home_council_id", flat=True):
        result.setdefault(council_id, [0, 0])[0] += 1
    for council_id in children.values_list("responsible_council_id", flat=True):
        result.setdefault(council_id, [0, 0])[1] += 1
    return {k: (h, c) for k, (h, c) in result.items()}


def go_live_date(agency: Agency) -> date | None:
    first = Membership.objects.filter(agency=agency).order_by("joined_on").first()
    return first.joined_on if first else None


# --------------------------------------------------------------------------------------------
# What a council pays and why
# --------------------------------------------------------------------------------------------


@dataclass
class CouncilReport:
    council: Council
    year: FinancialYear
    monitoring: Monitoring
    contributions: list[tuple[BudgetLine, Decimal]]
    recharges: list[tuple[int, str, Decimal]]  # quarter, line, amount
    fees: list[InteragencyFee]
    fee_count: int
    fee_total: Decimal
    compensation: Decimal
    compensation_detail: object | None
    variance_share: VarianceShare | None

    @property
    def contribution_total(self) -> Decimal:
        return sum((a for _, a in self.contributions), ZERO)

    @property
    def recharge_total(self) -> Decimal:
        return sum((a for _, _, a in self.recharges), ZERO)

    @property
    def variance_total(self) -> Decimal:
        return self.variance_share.total if self.variance_share else ZERO

    @property
    def net(self) -> Decimal:
        """What the council pays: its contributions, plus its share of the over- or underspend, less
        go-live compensation it receives. Interagency fees for its children are not in it: they are
        paid from the agency's interagency budget line, which the contributions fund (Kent 2020).
        Staffing recharges are not in it either: they repay staff costs the council paid on the
        agency's behalf (see net_transfer)."""
        return self.contribution_total + self.variance_total - self.compensation

    @property
    def net_transfer(self) -> Decimal:
        """Money between the council and the agency's budget for the year: its contributions less the
        staffing costs the budget repays it for staff it employs."""
        return self.contribution_total - self.recharge_total


def council_report(year: FinancialYear, council: Council, month: int, with_fees: bool) -> CouncilReport:
    found = monitoring_for(year, month)
    contributions = [
        (c.line, c.amount)
        for c in Contribution.objects.filter(line__year=year, council=council)
        .select_related("line")
        .order_by("line__position", "line_id")
    ]
    recharges = [
        (r.quarter, r.line.name, r.amount)
        for r in Recharge.objects.filter(year=year, council=council).select_related("line").order_by("quarter")
    ]
    fee_rows = InteragencyFee.objects.filter(
        agency=year.agency, payer=council, placed_on__range=(year.starts_on, year.ends_on)
    )
    fee_total = fee_rows.aggregate(total=Sum("amount"))["total"] or ZERO
    compensation = ZERO
    detail = None
    latest = GoLiveCompensation.objects.filter(
        agency=year.agency, go_live_on__range=(year.starts_on, year.ends_on)
    ).first()
    if latest:
        detail = latest.lines.filter(council=council).first()
        compensation = detail.amount if detail else ZERO
    share = next((s for s in found.shares if s.council.pk == council.pk), None)
    return CouncilReport(
        council,
        year,
        found,
        contributions,
        recharges,
        list(fee_rows.select_related("child")) if with_fees else [],
        fee_rows.count(),
        fee_total,
        compensation,
        detail,
        share,
    )
