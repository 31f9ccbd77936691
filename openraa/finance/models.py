"""Money records: financial years and their budget lines, each council's contribution, the totals a
paper printed, recharges and costs, Adoption Support Fund income, the sharing rule, funding
formulas, fee tables and the interagency fee ledger, go-live compensation and support fund
applications. Every one keeps its history (who changed what, when). The rules live in the pure
modules beside this one (money, budget, formula, monitoring, fees, support_fund)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common import years
from openraa.common.history import ChangeSummary
from openraa.finance import fees, grants, monitoring, payaward, support_fund
from openraa.finance import formula as funding
from openraa.finance.budget import PART_LABELS
from openraa.partnership.models import Agency, Council, Membership

NOT_NEGATIVE = MinValueValidator(Decimal("0"), "Enter an amount of £0.00 or more")
MORE_THAN_NOTHING = MinValueValidator(Decimal("0.01"), "Enter an amount more than £0.00")


def amount_field(verbose_name: str = "Amount (£)", validators=(NOT_NEGATIVE,), **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, validators=list(validators), **kwargs)


def went_live_on(agency_id: int):
    """The day the agency began (its first member joined): no cost or recharge before it. Bexley,
    Kent and Medway's 2019-20 budget is each council's budget to be transferred, not a year the
    agency ran."""
    first = Membership.objects.filter(agency_id=agency_id).order_by("joined_on").first()
    return first.joined_on if first else None


def before_go_live(agency_id: int, day) -> str:
    """The reason a cost dated `day` cannot be charged to the agency, or ""."""
    start = went_live_on(agency_id)
    if start and day < start:
        return f"The agency began on {start:%d/%m/%Y}: nothing is charged to it before then"
    return ""


def is_member(agency_id: int, council_id: int) -> bool:
    """A council that is, was or will be a member: a year's budget can predate go-live (as the Bexley,
    Kent and Medway 2019-20 budget predates the April 2020 start)."""
    return Membership.objects.filter(agency_id=agency_id, council_id=council_id).exists()


class FinancialYear(models.Model):
    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="financial_years")
    start_year = models.PositiveSmallIntegerField(
        "Year it starts",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="A financial year runs 1 April to 31 March: 2019 is 2019-20",
    )
    note = models.TextField("Where the figures come from", blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["agency", "-start_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "start_year"], name="one_financial_year_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.label}"

    @property
    def period(self) -> years.FinancialYear:
        return years.FinancialYear(self.start_year)

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def starts_on(self):
        return self.period.starts_on

    @property
    def ends_on(self):
        return self.period.ends_on

    @property
    def before_the_agency(self) -> bool:
        """A year that ended before the agency began: its figures are the councils' budgets to be
        transferred, never a year the agency spent."""
        start = went_live_on(self.agency_id)
        return bool(start and self.ends_on < start)


class BudgetLine(models.Model):
    class Part(models.TextChoices):
        POOLED = "pooled", PART_LABELS["pooled"]
        PER_COUNCIL = "per_council", PART_LABELS["per_council"]

    year = models.ForeignKey(FinancialYear, models.CASCADE, related_name="lines")
    name = models.CharField(max_length=120)
    part = models.CharField(
        max_length=20,
        choices=Part.choices,
        help_text="Pooled: one budget for the agency. Held per council: each council's part is managed "
        "separately (adoption support, until commissioning is unified)",
    )

    class Purpose(models.TextChoices):
        GENERAL = "", "Running the agency"
        INTERAGENCY = "interagency", "Interagency placements (outside the partnership)"

    position = models.PositiveSmallIntegerField(default=0)
    purpose = models.CharField(
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.GENERAL,
        blank=True,
        help_text="Interagency placements: the line every outside placement's fee is paid from",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="one_budget_line_per_name"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(purpose="interagency"), name="one_interagency_line_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.purpose == self.Purpose.INTERAGENCY and self.part != self.Part.POOLED:
            raise ValidationError({"part": "The interagency budget is the agency's, pooled: choose Pooled"})

    @property
    def pooled(self) -> bool:
        return self.part == self.Part.POOLED


class Contribution(models.Model):
    line = models.ForeignKey(BudgetLine, models.CASCADE, related_name="contributions")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    amount = amount_field()
    # Rolled forward from the year before: amount = base + pay award. Both empty for an amount
    # entered as it is (a paper's table, or a line the year before did not have).
    base = amount_field("Last year's contribution (£)", null=True, blank=True)
    pay_award = amount_field("Pay award (£)", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["line", "council"], name="one_contribution_per_line_council")]

    def __str__(self) -> str:
        return f"{self.council} to {self.line}"

    def clean(self) -> None:
        if self.line_id and self.council_id and not is_member(self.line.year.agency_id, self.council_id):
            raise ValidationError({"council": "The council is not a member of the agency"})
        if self.base is not None and self.amount != self.base + (self.pay_award or 0):
            raise ValidationError({"amount": "A rolled-forward contribution is last year's plus the pay award"})


class StatedTotal(models.Model):
    """A total a paper printed, kept to show where it differs from the total the lines add up to.
    No line and no council: the grand total; a line only: the line's total; a council only: the
    council's total."""

    year = models.ForeignKey(FinancialYear, models.CASCADE, related_name="stated_totals")
    line = models.ForeignKey(BudgetLine, models.CASCADE, null=True, blank=True, related_name="stated_totals")
    council = models.ForeignKey(Council, models.PROTECT, null=True, blank=True, related_name="+")
    amount = amount_field()
    rounded_to = models.DecimalField(
        "The paper rounds its figures to (£)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE],
        help_text="100 for a table in £000s to one decimal place",
    )
    source = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    def __str__(self) -> str:
        return f"Stated total of {self.line or self.council or 'the budget'} in {self.year}"

    def clean(self) -> None:
        if self.line_id and self.year_id and self.line.year_id != self.year_id:
            raise ValidationError({"line": "The line belongs to another year"})
        same = StatedTotal.objects.filter(year_id=self.year_id, line_id=self.line_id, council_id=self.council_id)
        if self.year_id and same.exclude(pk=self.pk).exists():
            raise ValidationError("A stated total for this is already recorded: change that one")


class Recharge(models.Model):
    """Staffing costs an employing council paid for a quarter and recharged to the agency's budget."""

    policy_agency_field = "year__agency"

    year = models.ForeignKey(FinancialYear, models.PROTECT, related_name="recharges")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name="Employing council")
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in range(1, 5)])
    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="recharges")
    amount = amount_field()
    source = models.CharField(max_length=200, blank=True, help_text="The file and row it came from")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["quarter", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "council", "quarter", "line"], name="one_recharge_per_council_quarter_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} Q{self.quarter} {self.year.label}"

    def clean(self) -> None:
        if self.line_id and self.year_id and self.line.year_id != self.year_id:
            raise ValidationError({"line": "The line belongs to another year"})
        if self.year_id and self.council_id and not is_member(self.year.agency_id, self.council_id):
            raise ValidationError({"council": "The council is not a member of the agency"})
        if self.year_id and self.quarter:
            quarter_ends = self.year.period.month_end(3 * self.quarter)
            if reason := before_go_live(self.year.agency_id, quarter_ends):
                raise ValidationError({"quarter": reason})


class Cost(models.Model):
    """A non-staff cost charged to the budget directly (or one committed and not yet charged)."""

    policy_agency_field = "year__agency"

    class Status(models.TextChoices):
        PAID = "paid", "Charged"
        COMMITTED = "committed", "Committed, not yet charged"

    year = models.ForeignKey(FinancialYear, models.PROTECT, related_name="costs")
    line = models.ForeignKey(BudgetLine, models.PROTECT, related_name="costs", verbose_name="Budget line")
    council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a line held per council: whose part it is charged to",
    )
    incurred_on = models.DateField("Date")
    amount = amount_field(validators=[MORE_THAN_NOTHING])
    description = models.CharField(max_length=200)
    supplier = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PAID)
    asf_funded = models.BooleanField(
        "Funded by the Adoption Support Fund",
        default=False,
        help_text="Outside the cash-limited budget: monitored against the fund's income instead",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-incurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.incurred_on})"

    def clean(self) -> None:
        errors = {}
        if self.line_id and self.year_id:
            if self.line.year_id != self.year_id:
                errors["line"] = "The line belongs to another year"
            elif self.line.pooled and self.council_id:
                errors["council"] = "A pooled line has no council's part: leave the council empty"
            elif not self.line.pooled and not self.council_id:
                errors["council"] = "Choose whose part of the line the cost is charged to"
        if self.year_id and self.incurred_on and self.incurred_on not in self.year.period:
            errors["incurred_on"] = f"The date must be within {self.year.label} (1 April to 31 March)"
        if self.year_id and self.council_id and not is_member(self.year.agency_id, self.council_id):
            errors["council"] = "The council is not a member of the agency"
        if (
            self.year_id
            and self.incurred_on
            and "incurred_on" not in errors
            and (reason := before_go_live(self.year.agency_id, self.incurred_on))
        ):
            errors["incurred_on"] = reason
        if errors:
            raise ValidationError(errors)


class SupportFundIncome(models.Model):
    """Adoption Support Fund income, set against the costs it funds."""

    year = models.ForeignKey(FinancialYear, models.PROTECT, related_name="support_fund_income")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    received_on = models.DateField("Received")
    amount = amount_field(validators=[MORE_THAN_NOTHING])
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "support fund income"

    def __str__(self) -> str:
        return f"Adoption Support Fund income {self.received_on}"

    def clean(self) -> None:
        errors = {}
        if self.year_id and self.received_on and self.received_on not in self.year.period:
            errors["received_on"] = f"The date must be within {self.year.label} (1 April to 31 March)"
        if self.year_id and self.council_id and not is_member(self.year.agency_id, self.council_id):
            errors["council"] = "The council is not a member of the agency"
        if errors:
            raise ValidationError(errors)


class SharingRule(models.Model):
    """How the pooled lines' over- or underspend is shared, as the agency's agreement names it."""

    class Rule(models.TextChoices):
        CONTRIBUTION = monitoring.SHARE_OF_CONTRIBUTION, monitoring.SHARING_RULES[monitoring.SHARE_OF_CONTRIBUTION]
        ACTIVITY = monitoring.SHARE_OF_ACTIVITY, monitoring.SHARING_RULES[monitoring.SHARE_OF_ACTIVITY]
        BOARD = monitoring.BOARD_DECISION, monitoring.SHARING_RULES[monitoring.BOARD_DECISION]

    year = models.OneToOneField(FinancialYear, models.CASCADE, related_name="sharing_rule")
    rule = models.CharField(max_length=20, choices=Rule.choices)
    measure = models.CharField(
        "Activity measure",
        max_length=30,
        blank=True,
        choices=list(funding.MEASURES.items()),
        help_text="For a share of activity: what is counted, in the year",
    )
    agreement = models.CharField("Where the agreement names the rule", max_length=300, blank=True)
    decided_on = models.DateField("Date of the board's decision", null=True, blank=True)
    decision_reference = models.CharField("Minute reference", max_length=200, blank=True)
    board_shares = models.JSONField(
        "Shares the board decided",
        default=dict,
        blank=True,
        help_text="Percentage per council ONS code, adding up to 100",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    def __str__(self) -> str:
        return f"Sharing rule for {self.year}"

    def clean(self) -> None:
        errors = {}
        if self.rule == self.Rule.ACTIVITY and not self.measure:
            errors["measure"] = "Choose the activity the over- or underspend is shared by"
        if self.rule == self.Rule.BOARD and self.decided_on:
            try:
                shares = {code: Decimal(str(value)) for code, value in (self.board_shares or {}).items()}
            except ArithmeticError:
                shares = None
            if not shares or any(v < 0 for v in shares.values()) or sum(shares.values()) != 100:
                errors["board_shares"] = "Give each council's share as a percentage; the shares add up to 100"
            elif self.year_id:
                known = set(
                    Council.objects.filter(memberships__agency_id=self.year.agency_id).values_list(
                        "ons_code", flat=True
                    )
                )
                unknown = set(shares) - known
                if unknown:
                    errors["board_shares"] = f"Unknown council: {', '.join(sorted(unknown))}"
        if self.decided_on and not self.decision_reference:
            errors["decision_reference"] = "Give the minute reference of the board's decision"
        if errors:
            raise ValidationError(errors)


def _weight(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=6, decimal_places=2, default=Decimal("0"), validators=[NOT_NEGATIVE])


class PayAward(models.Model):
    """A council's pay award for a year, added to its contribution rolled forward from the year
    before: a percentage of its base, or an amount (finance enters it; the papers give no rate)."""

    year = models.ForeignKey(FinancialYear, models.CASCADE, related_name="pay_awards")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    percent = models.DecimalField(
        "Pay award (% of last year's contribution)",
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, MaxValueValidator(Decimal("100"))],
    )
    amount = amount_field("Pay award (£)", null=True, blank=True)
    source = models.CharField("Where the figure comes from", max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["year", "council"], name="one_pay_award_per_year_council")]

    def __str__(self) -> str:
        return f"{self.council} pay award {self.year.label}"

    def clean(self) -> None:
        if (self.percent is None) == (self.amount is None):
            raise ValidationError("Give the pay award as a percentage or as an amount, not both")
        if self.year_id and self.council_id and not is_member(self.year.agency_id, self.council_id):
            raise ValidationError({"council": "The council is not a member of the agency"})

    def as_award(self) -> payaward.Award:
        return payaward.Award(self.percent, self.amount)


class SetUpCost(models.Model):
    """A cost of creating the agency, shared by the councils for its first years (AIM: £0.155m,
    Sefton's part £0.031m, met for the first two years of operation)."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="set_up_costs")
    description = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(
        "First year it is met", help_text="A financial year runs 1 April to 31 March: 2018 is 2018-19"
    )
    years = models.PositiveSmallIntegerField(
        "Years it is met for", default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    total_a_year = amount_field("Cost a year, all councils (£)")
    source = models.CharField("Where the figures come from", max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["first_year", "description"]

    def __str__(self) -> str:
        return self.description

    def as_cost(self) -> grants.SetUpCost:
        return grants.SetUpCost(
            self.total_a_year, self.first_year, self.years, {s.council_id: s.amount for s in self.shares.all()}
        )


class SetUpShare(models.Model):
    cost = models.ForeignKey(SetUpCost, models.CASCADE, related_name="shares")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    amount = amount_field("Its share a year (£)")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["cost", "council"], name="one_set_up_share_per_council")]

    def clean(self) -> None:
        if self.cost_id and self.council_id and not is_member(self.cost.agency_id, self.council_id):
            raise ValidationError({"council": "The council is not a member of the agency"})
        if self.cost_id and self.amount is not None:
            others = sum(
                (s.amount for s in SetUpShare.objects.filter(cost_id=self.cost_id).exclude(pk=self.pk)), Decimal(0)
            )
            if others + self.amount > self.cost.total_a_year:
                raise ValidationError({"amount": "The councils' shares would add up to more than the cost a year"})


class Grant(models.Model):
    """A grant to the partnership (the DfE's start-up or transformation grant): its conditions and
    what is clawed back if they are broken or it is not spent in time."""

    policy_agency_field = "agency"

    class Kind(models.TextChoices):
        START_UP = "start_up", "Start-up (project funding)"
        TRANSFORMATION = "transformation", "Transformation"
        OTHER = "other", "Other"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="grants")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    grantor = models.CharField("From", max_length=120, default="Department for Education")
    amount = amount_field("Grant (£)")
    awarded_on = models.DateField("Awarded")
    available_until = models.DateField("Available until", null=True, blank=True)
    spent = amount_field("Spent to date (£)", default=Decimal("0"))
    conditions = models.TextField("Conditions", blank=True)
    clawback = models.TextField("Clawback: when and how much", blank=True)
    conditions_met = models.BooleanField(
        "Conditions met", null=True, blank=True, help_text="Empty until the grantor has judged them"
    )
    source = models.CharField("Where the figures come from", max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["awarded_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} grant from {self.grantor}"

    def clean(self) -> None:
        errors = {}
        if self.amount is not None and self.spent is not None and self.spent > self.amount:
            errors["spent"] = "More cannot be spent than the grant"
        if self.available_until and self.awarded_on and self.available_until < self.awarded_on:
            errors["available_until"] = "The grant cannot end before it was awarded"
        if errors:
            raise ValidationError(errors)

    def position(self, on) -> grants.GrantPosition:
        return grants.grant_position(self.amount, self.spent, on, self.available_until, self.conditions_met)


class FundingFormula(models.Model):
    """A demand-led formula the board can compare with another before it agrees one."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="funding_formulas")
    name = models.CharField(max_length=80)
    weight_placement_orders = _weight("Weight of placement orders")
    weight_adoption_orders = _weight("Weight of adoption orders")
    weight_children_referred = _weight("Weight of children referred for family finding")
    weight_households_approved = _weight("Weight of households approved")
    weight_fostering_plans = _weight("Weight of long-term fostering plans agreed")
    weight_connected_persons_plans = _weight("Weight of connected persons plans agreed")
    weight_special_guardianship_plans = _weight("Weight of special guardianship plans agreed")
    weight_carers_approved = _weight("Weight of foster carers, connected persons and special guardians approved")
    years_averaged = models.PositiveSmallIntegerField(
        "Years averaged", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    cap_percent = models.DecimalField(
        "Cap on the change from last year (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NOT_NEGATIVE, MaxValueValidator(Decimal("99.99"))],
        help_text="Leave empty for no cap",
    )
    transition_first_year = models.PositiveSmallIntegerField(
        "First year of the move from historic budgets",
        null=True,
        blank=True,
        help_text="Leave empty to apply the formula in full at once",
    )
    transition_years = models.PositiveSmallIntegerField(
        "Years the move takes", default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    agreed_on = models.DateField("Agreed by the board on", null=True, blank=True)
    agreed_reference = models.CharField("Minute reference", max_length=200, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="one_formula_per_name")]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, Decimal]:
        return {m: getattr(self, f"weight_{m}") for m in funding.MEASURES}

    def clean(self) -> None:
        if not any(w > 0 for w in self.weights().values() if w is not None):
            raise ValidationError("Weight at least one measure")

    def formula(self) -> funding.Formula:
        return funding.Formula(
            self.name,
            {m: w for m, w in self.weights().items() if w > 0},
            self.years_averaged,
            None if self.cap_percent is None else self.cap_percent / 100,
            self.transition_first_year,
            self.transition_years,
        )


class FeeRate(models.Model):
    """One row of an interagency fee table: dated data, never a constant in code."""

    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_rates",
        help_text="Empty for the national rate; an agency's own rate overrides it",
    )
    kind = models.CharField("Provider", max_length=20, choices=list(fees.RATE_KINDS.items()))
    children = models.PositiveSmallIntegerField(
        "Children placed together", default=1, validators=[MinValueValidator(1)]
    )
    amount = amount_field("Fee (£)")
    effective_from = models.DateField(
        "In force from", help_text="For placements from this date (the day the child moves in)"
    )
    effective_to = models.DateField("In force until", null=True, blank=True)
    london_weighting_percent = models.DecimalField(
        "London weighting (%)", max_digits=5, decimal_places=2, default=Decimal("0"), validators=[NOT_NEGATIVE]
    )
    payable = models.CharField(max_length=200, default="In full at the point of placement")
    source = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["kind", "children", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.children} child{'ren' if self.children > 1 else ''}, from {self.effective_from}"

    def clean(self) -> None:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "The end cannot be before the start"})

    def as_rate(self) -> fees.Rate:
        return fees.Rate(
            self.kind,
            self.children,
            self.amount,
            self.effective_from,
            self.effective_to,
            self.london_weighting_percent / 100,
            self.payable,
            self.source,
            self.agency_id is not None,
            self.pk,
        )


class InteragencyFee(models.Model):
    """A placement with a provider outside the partnership and the fee it costs. Paid from the
    agency's interagency budget line (Kent 2020: "Existing budgets for interagency placements will
    be transferred to the RAA in Year 1"), never billed to the child's council on top of its
    contribution: `cost` is the charge to that line."""

    policy_agency_field = "agency"
    policy_council_field = "payer"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="interagency_fees")
    child = models.ForeignKey("children.Child", models.PROTECT, related_name="+")
    provider_kind = models.CharField(
        "Provider", max_length=20, choices=[(k, fees.PROVIDER_KINDS[k]) for k in fees.CHARGEABLE]
    )
    provider_name = models.CharField("Provider's name", max_length=120)
    provider_in_london = models.BooleanField("The provider is in London", default=False)
    placed_on = models.DateField("Placed (the day the child moved in)")
    children_placed = models.PositiveSmallIntegerField(
        "Children placed together", default=1, validators=[MinValueValidator(1)]
    )
    amount = amount_field("Fee (£)")
    rate = models.ForeignKey(FeeRate, models.PROTECT, related_name="+")
    explanation = models.CharField(max_length=300)
    # The child's responsible council: whose child it is (and who may see the entry), not who pays.
    payer = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name="Child's council")
    cost = models.OneToOneField(
        Cost,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="interagency_fee",
        help_text="The charge to the year's interagency budget line; empty while the year has none",
    )
    due_on = models.DateField("Due")
    paid_on = models.DateField("Paid", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-placed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["child", "placed_on"], name="one_fee_per_placement")]

    def __str__(self) -> str:
        return f"Interagency fee for {self.child.reference}"


class GoLiveCompensation(models.Model):
    """What the board agreed to compensate councils for the adopters and children they brought in."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="go_live_compensations")
    go_live_on = models.DateField("Go-live")
    rate_per_household = amount_field("Value of an approved household brought in (£)")
    decided_on = models.DateField("Agreed by the board on", null=True, blank=True)
    decision_reference = models.CharField("Minute reference", max_length=200, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-go_live_on", "-id"]
        verbose_name_plural = "go-live compensation"

    def __str__(self) -> str:
        return f"Go-live compensation from {self.go_live_on}"


class CompensationLine(models.Model):
    compensation = models.ForeignKey(GoLiveCompensation, models.CASCADE, related_name="lines")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    households_brought = models.PositiveIntegerField("Approved households brought in")
    children_brought = models.PositiveIntegerField("Waiting children brought in")
    amount = amount_field("Compensation (£)", validators=(), help_text="Positive: the council is paid")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name"]
        constraints = [models.UniqueConstraint(fields=["compensation", "council"], name="one_compensation_per_council")]


class FairAccessLimit(models.Model):
    """The support fund's fair-access limit: dated data."""

    effective_from = models.DateField("In force from", unique=True)
    total = amount_field(
        "Limit per child per year (£)",
        null=True,
        blank=True,
        help_text="One limit with specialist assessments within it; empty when therapy has its own",
    )
    therapy = amount_field("Therapy limit per child per year (£)", null=True, blank=True)
    assessment = amount_field("Specialist assessment limit per child per year (£)")
    source = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"Fair-access limit from {self.effective_from}"

    def clean(self) -> None:
        if (self.total is None) == (self.therapy is None):
            raise ValidationError("Give either one limit with assessments within it, or a separate therapy limit")

    def as_limit(self) -> support_fund.Limit:
        return support_fund.Limit(self.effective_from, self.assessment, self.total, self.therapy, self.source)


class SupportFundApplication(models.Model):
    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="support_fund_applications")
    child = models.ForeignKey("children.Child", models.PROTECT, related_name="+")
    applied_on = models.DateField("Applied")
    kind = models.CharField("For", max_length=20, choices=list(support_fund.KINDS.items()))
    amount = amount_field(validators=[MORE_THAN_NOTHING])
    provider = models.CharField("Provider of the support", max_length=120, blank=True)
    financial_year = models.PositiveSmallIntegerField(editable=False)  # the year it starts, as FinancialYear.start
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"Support fund application for {self.child.reference}"

    @property
    def financial_year_label(self) -> str:
        return years.FinancialYear(self.financial_year).label

    def save(self, *args, **kwargs):
        self.financial_year = years.FinancialYear.containing(self.applied_on).start
        super().save(*args, **kwargs)
