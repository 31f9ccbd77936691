"""Adoption support cases, their dated history, the services commissioned for them, each
council's support budget per financial year and the agency's support timescale targets."""

from dataclasses import fields

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.common.models import address_field, email_field, phone_field, postcode_field, target_field
from openraa.common.years import FinancialYear
from openraa.finance.models import MORE_THAN_NOTHING, amount_field
from openraa.journeys.models import JourneyEntry
from openraa.partnership.models import Agency, Council
from openraa.support import budget, domain, letterbox
from openraa.support.timescales import TARGET_LIMITS, SupportTargets


class SupportCase(models.Model):
    """A request for adoption support and what followed. The dates and stage are a projection of
    the case's steps (domain.JOURNEY), rewritten by the service after each step; never typed in."""

    policy_resource = "support"
    policy_agency_field = "agency"
    policy_council_field = "responsible_council"
    CONTACT_FIELDS = ("phone", "email", "address", "postcode")  # the requester's, where held
    RESTRICTED_FIELDS = ("requester_name", *CONTACT_FIELDS)

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="support_cases")
    responsible_council = models.ForeignKey(
        Council,
        models.PROTECT,
        related_name="support_cases",
        help_text="The member council responsible for assessing and funding",
    )
    # The council system's own ID for the case, kept from moving in so that a re-import recognises it.
    council_reference = models.CharField("Council system's reference", max_length=40, blank=True)
    requester = models.CharField("Who asked", max_length=20, choices=list(domain.REQUESTERS.items()))
    requester_name = models.CharField("Name of the person who asked", max_length=120)
    # The requester's contact details, where the agency holds them: restricted like the name.
    phone = phone_field()
    email = email_field()
    address = address_field()
    postcode = postcode_field()
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+")
    child = models.ForeignKey("children.Child", models.PROTECT, null=True, blank=True, related_name="+")
    categories = models.JSONField("Support asked for", default=list)
    request = models.TextField("What is asked")
    worker = models.ForeignKey(
        "people.User",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_cases_held",
        verbose_name="Allocated worker",
        help_text="The adoption support worker who holds the case",
    )
    stage = models.CharField(
        max_length=20, choices=[(s.value, s.label) for s in domain.Stage], default=domain.Stage.NEW
    )
    received_on = models.DateField("Request received", null=True, blank=True)
    assessment_started_on = models.DateField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    assessment_outcome = models.CharField(max_length=20, blank=True, choices=list(domain.OUTCOMES.items()))
    plan_agreed_on = models.DateField(null=True, blank=True)
    commissioned_on = models.DateField(null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=20, blank=True, choices=list(domain.CLOSED_REASONS.items()))
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["agency", "responsible_council", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "responsible_council", "council_reference"],
                condition=~models.Q(council_reference=""),
                name="one_support_case_per_council_reference",
                violation_error_message="The council already has a support case with that reference",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"S-{self.pk:06d}" if self.pk else "New support case"

    @property
    def stage_label(self) -> str:
        return domain.Stage(self.stage).label

    def category_labels(self) -> list[str]:
        return [domain.CATEGORIES.get(c, c) for c in self.categories]

    def projection(self) -> dict:
        return {name: getattr(self, name) for name in (*domain.DATES, *domain.DETAILS)}


class SupportStep(JourneyEntry):
    case = models.ForeignKey(SupportCase, models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["case", "occurred_on"])]


class LetterboxAgreement(models.Model):
    """After an adoption, who writes to whom through the agency and how often: the adopted child
    and/or the adoptive household on one side, one birth relative on the other (letterbox.py)."""

    policy_resource = "support"
    policy_agency_field = "agency"
    policy_council_field = "responsible_council"
    CONTACT_FIELDS = ("phone", "email", "address", "postcode")  # the birth relative's, where held
    RESTRICTED_FIELDS = ("birth_relative_name", "birth_relative_relationship", *CONTACT_FIELDS)

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="letterbox_agreements")
    responsible_council = models.ForeignKey(
        Council,
        models.PROTECT,
        related_name="letterbox_agreements",
        help_text="The member council that runs the agreement",
    )
    council_reference = models.CharField("Council system's reference", max_length=40, blank=True)
    child = models.ForeignKey("children.Child", models.PROTECT, null=True, blank=True, related_name="+")
    household = models.ForeignKey("households.Household", models.PROTECT, null=True, blank=True, related_name="+")
    birth_relative_name = models.CharField("Birth relative", max_length=120)
    birth_relative_relationship = models.CharField("Relationship to the child", max_length=60)
    # The birth relative's contact details, where the agency holds them: restricted like the name.
    phone = phone_field()
    email = email_field()
    address = address_field()
    postcode = postcode_field()
    direction = models.CharField("Who writes to whom", max_length=20, choices=list(letterbox.DIRECTIONS.items()))
    exchanges_per_year = models.PositiveSmallIntegerField("Exchanges a year")
    months = models.JSONField("Months the exchanges are due", default=list)  # 1-12
    starts_on = models.DateField("Starts")
    ends_on = models.DateField("Ends", null=True, blank=True)
    status = models.CharField(max_length=20, choices=list(letterbox.STATUSES.items()), default="active")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["agency", "responsible_council", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "responsible_council", "council_reference"],
                condition=~models.Q(council_reference=""),
                name="one_letterbox_agreement_per_council_reference",
                violation_error_message="The council already has a letterbox agreement with that reference",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"L-{self.pk:06d}" if self.pk else "New letterbox agreement"

    @property
    def month_names(self) -> str:
        return letterbox.month_names(self.months)

    def terms(self) -> letterbox.Terms:
        return letterbox.Terms(
            direction=self.direction,
            exchanges_per_year=self.exchanges_per_year,
            months=tuple(self.months),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            status=self.status,
            has_child_or_household=bool(self.child_id or self.household_id),
        )


class LetterboxExchange(models.Model):
    """One letter under a letterbox agreement (letterbox.Exchange): which way it goes, when it is
    due (the last day of one of the agreement's months), when the agency received it, who read and
    checked it and when, then passed on, or returned or withheld with the reason."""

    policy_agency_field = "agreement__agency"
    policy_council_field = "agreement__responsible_council"

    agreement = models.ForeignKey(LetterboxAgreement, models.PROTECT, related_name="exchanges")
    direction = models.CharField(
        "Which way the letter goes", max_length=20, choices=list(letterbox.EXCHANGE_DIRECTIONS.items())
    )
    due_on = models.DateField("Due")
    received_on = models.DateField("Received by the agency", null=True, blank=True)
    checked_on = models.DateField("Read and checked", null=True, blank=True)
    checked_by = models.ForeignKey(
        "people.User", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="Read and checked by"
    )
    passed_on_on = models.DateField("Passed on", null=True, blank=True)
    held_back = models.CharField(
        "Returned or withheld", max_length=10, blank=True, choices=list(letterbox.HELD_BACK.items())
    )
    held_back_on = models.DateField("Returned or withheld on", null=True, blank=True)
    held_back_reason = models.TextField("Why it was returned or withheld", blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-due_on", "-id"]
        indexes = [models.Index(fields=["agreement", "due_on"]), models.Index(fields=["received_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}, due {self.due_on:%-d %B %Y}"

    def facts(self) -> letterbox.Exchange:
        return letterbox.Exchange(
            direction=self.direction,
            due_on=self.due_on,
            received_on=self.received_on,
            checked_on=self.checked_on,
            checked_by=self.checked_by_id,
            passed_on_on=self.passed_on_on,
            held_back=self.held_back,
            held_back_on=self.held_back_on,
            held_back_reason=self.held_back_reason,
        )

    def status(self, today) -> str:
        return letterbox.exchange_status(self.facts(), today)


class CommissionedService(models.Model):
    """A service of the support plan, bought from a provider. Never deleted: its history keeps every change."""

    policy_agency_field = "case__agency"
    policy_council_field = "case__responsible_council"

    case = models.ForeignKey(SupportCase, models.PROTECT, related_name="services")
    provider = models.CharField("Provider", max_length=120)
    kind = models.CharField("Kind of service", max_length=20, choices=list(domain.CATEGORIES.items()))
    starts_on = models.DateField("Start date")
    ends_on = models.DateField("End date", null=True, blank=True)
    cost = amount_field("Cost (£)", validators=[MORE_THAN_NOTHING])
    funded_by = models.CharField("Funded by", max_length=20, choices=list(budget.FUNDERS.items()))
    fund_application = models.OneToOneField(
        "finance.SupportFundApplication", models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.provider}"

    @property
    def financial_year_label(self) -> str:
        return FinancialYear.containing(self.starts_on).label


class SupportBudget(models.Model):
    """A member council's adoption support budget for one financial year."""

    policy_agency_field = "agency"
    policy_council_field = "council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="support_budgets")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField("Financial year")  # FinancialYear.start
    amount = amount_field("Budget (£)")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-start_year", "council__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "council", "start_year"], name="one_support_budget")]

    def __str__(self) -> str:
        return f"{self.council} support budget {FinancialYear(self.start_year).label}"


def _target_field(name: str):
    # Defaults from SupportTargets; ranges, labels and messages from timescales.TARGET_LIMITS.
    limit, default = TARGET_LIMITS[name], getattr(SupportTargets(), name)
    return target_field(
        default, limit.maximum, f"From 1 to {limit.maximum} (default {default})", limit.label, limit.out_of_range()
    )


class AgencySupportTargets(models.Model):
    """The agency's own adoption support timescale targets; each defaults to SupportTargets."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="support_targets")
    assessment_start_working_days = _target_field("assessment_start_working_days")
    assessment_complete_months = _target_field("assessment_complete_months")
    plan_working_days = _target_field("plan_working_days")
    review_months = _target_field("review_months")
    due_soon_days = _target_field("due_soon_days")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        verbose_name_plural = "agency support targets"

    def __str__(self) -> str:
        return f"{self.agency} adoption support targets"

    def as_targets(self) -> SupportTargets:
        return SupportTargets(**{f.name: getattr(self, f.name) for f in fields(SupportTargets)})


def support_targets_for(agency: Agency) -> SupportTargets:
    config = AgencySupportTargets.objects.filter(agency=agency).first()
    return config.as_targets() if config else SupportTargets()


class AllowancePolicy(models.Model):
    """A council's adoption allowance policy from a date; a later one supersedes it and both stay."""

    policy_agency_field = "agency"
    policy_council_field = "council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="allowance_policies")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    title = models.CharField(max_length=200, help_text="Like Adoption allowance policy 2018")
    in_force_from = models.DateField("In force from")
    means_tested = models.BooleanField("Allowances are means-tested", default=True)
    review_every_months = models.PositiveSmallIntegerField(
        "Review each allowance every (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="12 for an annual review",
    )
    summary = models.TextField("What it provides", blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name", "-in_force_from"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "council", "in_force_from"], name="one_allowance_policy_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.title}"


class AllowanceBudget(models.Model):
    """A council's budget for adoption allowances in one financial year (outside the agency's pool)."""

    policy_agency_field = "agency"
    policy_council_field = "council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="allowance_budgets")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField("Financial year")  # FinancialYear.start
    amount = amount_field("Budget (£)")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-start_year", "council__name"]
        constraints = [models.UniqueConstraint(fields=["agency", "council", "start_year"], name="one_allowance_budget")]

    def __str__(self) -> str:
        return f"{self.council} allowance budget {FinancialYear(self.start_year).label}"


class Allowance(models.Model):
    """An adoptive family's allowance from their council: its dates and yearly amount, reviewed
    (AllowanceReview) and paid (AllowancePayment). Written only by support/allowance_services.py."""

    policy_agency_field = "agency"
    policy_council_field = "council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="allowances")
    council = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name="Paying council")
    household = models.ForeignKey(
        "households.Household", models.PROTECT, related_name="allowances", verbose_name="Adoptive family"
    )
    starts_on = models.DateField("Paid from")
    ends_on = models.DateField("Last day", null=True, blank=True)
    yearly_amount = amount_field("Amount a year (£)")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["council__name", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="allowance_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Allowance AL-{self.pk:05d}" if self.pk else "New allowance"

    @property
    def reference(self) -> str:
        return f"AL-{self.pk:05d}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first"})
        if self.household_id and self.agency_id and self.household.agency_id != self.agency_id:
            raise ValidationError({"household": "The family belongs to another agency"})


class AllowanceReview(models.Model):
    """The annual (or policy's) review of an allowance: its amount from then on."""

    policy_agency_field = "allowance__agency"
    policy_council_field = "allowance__council"

    allowance = models.ForeignKey(Allowance, models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField("Reviewed on")
    yearly_amount = amount_field("Amount a year after the review (£)")
    note = models.TextField("Outcome", blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review of {self.allowance} on {self.reviewed_on:%d/%m/%Y}"


class AllowancePayment(models.Model):
    policy_agency_field = "allowance__agency"
    policy_council_field = "allowance__council"

    allowance = models.ForeignKey(Allowance, models.PROTECT, related_name="payments")
    paid_on = models.DateField("Paid on")
    amount = amount_field("Amount (£)")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"Payment of {self.allowance} on {self.paid_on:%d/%m/%Y}"
