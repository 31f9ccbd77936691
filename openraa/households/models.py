"""An adopter household: its applicants, where it lives, its journey to approval and the children
it is approved for. Its stage is derived from its dates and its children's milestones."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.common.models import (
    Versioned,
    address_field,
    domain_values,
    email_field,
    phone_field,
    postcode_district_validator,
    postcode_field,
    raise_domain_errors,
    today,
)
from openraa.households import checks, domain
from openraa.partnership.models import Agency, Council
from openraa.reference import ETHNICITY_CHOICES, LANGUAGES, LEVEL_CHOICES, NEED_CHOICES, RELIGION_CHOICES, SEX_CHOICES


class Household(Versioned):
    policy_resource = "household"
    policy_agency_field = "agency"
    policy_council_field = "home_council"
    RESTRICTED_FIELDS = ("applicants",)  # who the applicants are: the household view_restricted grant

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="households")
    home_council = models.ForeignKey(Council, models.PROTECT, related_name="households")
    postcode_district = models.CharField(max_length=4, validators=[postcode_district_validator])
    # The council system's own ID for the household, kept from moving in so that a re-import
    # recognises it; unique within the council when given.
    council_reference = models.CharField("Council system's reference", max_length=40, blank=True)

    enquiry_on = models.DateField("Enquiry")
    registration_of_interest_on = models.DateField("Registration of interest", null=True, blank=True)
    stage1_started_on = models.DateField("Stage 1 start", null=True, blank=True)
    stage1_ended_on = models.DateField("Stage 1 end", null=True, blank=True)
    stage2_started_on = models.DateField("Stage 2 start", null=True, blank=True)
    stage2_ended_on = models.DateField("Stage 2 end", null=True, blank=True)
    panel_on = models.DateField("Panel recommendation", null=True, blank=True)
    approved_on = models.DateField("ADM approval", null=True, blank=True)
    approval_reviewed_on = models.DateField("Approval last reviewed", null=True, blank=True)
    closed_on = models.DateField("Closed", null=True, blank=True)
    closed_reason = models.CharField(max_length=20, blank=True, choices=list(domain.CLOSED_REASONS.items()))
    fast_track = models.BooleanField(
        default=False, help_text="Previous adopters and approved foster carers go straight to Stage 2"
    )

    religion = models.CharField(max_length=20, blank=True, choices=RELIGION_CHOICES)
    languages = models.JSONField("Languages spoken at home", default=list, blank=True)

    approved_children = models.PositiveSmallIntegerField("Number of children", null=True, blank=True)
    age_min = models.PositiveSmallIntegerField("Youngest age (years)", null=True, blank=True)
    age_max = models.PositiveSmallIntegerField("Oldest age (years)", null=True, blank=True)
    sibling_group_open = models.BooleanField("Open to a sibling group", default=False)
    early_permanence = models.BooleanField(
        "Early permanence (dual approval)", default=False, help_text="Approved to foster to adopt"
    )

    allocated_workers = models.ManyToManyField("people.User", blank=True, related_name="allocated_households")

    stage = models.CharField(max_length=20, choices=domain.STAGE_CHOICES, editable=False, db_index=True)
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[allocated_workers])

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "home_council", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "home_council", "council_reference"],
                condition=~models.Q(council_reference=""),
                name="one_household_per_council_reference",
                violation_error_message="The council already has a household with that reference",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"H-{self.pk:06d}" if self.pk else "New household"

    @property
    def milestones(self) -> domain.HouseholdMilestones:
        return domain_values(self, domain.HouseholdMilestones)

    @property
    def stage_label(self) -> str:
        return domain.HouseholdStage(self.stage).label

    @property
    def approval_range(self) -> str:
        if self.approved_children is None:
            return "Not yet approved"
        children = "1 child" if self.approved_children == 1 else f"up to {self.approved_children} children"
        return f"{children} aged {self.age_min} to {self.age_max}"

    def clean(self) -> None:
        raise_domain_errors(domain.validate(self.milestones, today()))
        unknown = [code for code in self.languages if code not in LANGUAGES]
        if unknown:
            raise ValidationError({"languages": f"Unknown language: {', '.join(unknown)}"})

    def placement_stage(self) -> domain.HouseholdStage | None:
        """The furthest a child's journey with this household has gone."""
        if not self.pk:
            return None
        children = self.children.filter(plan_ended_on__isnull=True)
        for field, stage in (
            ("adoption_order_on", domain.HouseholdStage.ADOPTION_ORDER),
            ("placed_on", domain.HouseholdStage.PLACED),
            ("matched_on", domain.HouseholdStage.MATCHED),
            ("linked_on", domain.HouseholdStage.LINKED),
        ):
            if children.filter(**{f"{field}__isnull": False}).exists():
                return stage
        return None

    def save(self, *args, **kwargs):
        self.stage = domain.derive_stage(self.milestones, self.placement_stage())
        super().save(*args, **kwargs)

    def refresh_stage(self) -> None:
        stage = domain.derive_stage(self.milestones, self.placement_stage())
        if stage != self.stage:
            self.stage = stage
            self.save(update_fields=["stage"])


class Applicant(models.Model):
    # Part of the household's record, listed under its restricted "applicants" (people/policy.py).
    policy_owner, policy_owner_field = "household", "applicants"

    household = models.ForeignKey(Household, models.CASCADE, related_name="applicants")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=SEX_CHOICES)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY_CHOICES)
    # Contact details, where the agency holds them: restricted with the applicant's name.
    phone = phone_field()
    email = email_field()
    address = address_field()
    postcode = postcode_field()
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def check_key(self) -> str:
        return f"{checks.AdultKind.APPLICANT}:{self.pk}"


class OtherAdult(models.Model):
    """Another adult living in the household (an adult son or daughter, a relative, a lodger): they
    need an enhanced DBS check and the local authority checks. Restricted like the applicants."""

    policy_owner, policy_owner_field = "household", "applicants"

    household = models.ForeignKey(Household, models.CASCADE, related_name="other_adults")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField("Relationship to the applicants", max_length=60)
    moved_out_on = models.DateField(
        "Moved out", null=True, blank=True, help_text="An adult who no longer lives there needs no further checks"
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def check_key(self) -> str:
        return f"{checks.AdultKind.OTHER_ADULT}:{self.pk}"

    def clean(self) -> None:
        if self.moved_out_on is not None and self.moved_out_on > today():
            raise ValidationError({"moved_out_on": "The date they moved out cannot be in the future"})
        if self.date_of_birth is not None and self.date_of_birth > today():
            raise ValidationError({"date_of_birth": "The date of birth cannot be in the future"})


class StageOneCheck(models.Model):
    """One Stage 1 check of one adult of the household (households/checks.py): requested, then
    completed with its outcome. Changes are kept in its history."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="stage_one_checks")
    applicant = models.ForeignKey(Applicant, models.CASCADE, null=True, blank=True, related_name="checks")
    other_adult = models.ForeignKey(OtherAdult, models.CASCADE, null=True, blank=True, related_name="checks")
    kind = models.CharField(max_length=20, choices=list(checks.KIND_LABELS.items()))
    requested_on = models.DateField("Requested")
    completed_on = models.DateField("Completed", null=True, blank=True)
    outcome = models.CharField(max_length=10, blank=True, choices=list(checks.OUTCOME_LABELS.items()))
    note = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applicant__isnull=True) ^ models.Q(other_adult__isnull=True),
                name="stage_one_check_for_one_adult",
                violation_error_message="A check is for one adult: an applicant or another adult",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.household.reference})"

    @property
    def adult_key(self) -> str:
        if self.applicant_id:
            return f"{checks.AdultKind.APPLICANT}:{self.applicant_id}"
        return f"{checks.AdultKind.OTHER_ADULT}:{self.other_adult_id}"

    def as_check(self) -> checks.Check:
        return checks.Check(self.adult_key, self.kind, self.requested_on, self.completed_on, self.outcome)

    def clean(self) -> None:
        raise_domain_errors(checks.check_errors(self.as_check(), today()))
        for adult in (self.applicant, self.other_adult):
            if adult is not None and adult.household_id != self.household_id:
                raise ValidationError({"adult": "Choose an adult of this household"})


def check_adults(household: Household, *, names: bool) -> list[checks.Adult]:
    """The adults of the household whose checks count, labelled by name when the reader may see
    names (`names`), else as "Applicant 1", "Other adult 1"."""
    adults = []
    for number, applicant in enumerate(household.applicants.all(), start=1):
        label = str(applicant) if names else f"Applicant {number}"
        adults.append(checks.Adult(applicant.check_key, checks.AdultKind.APPLICANT, label))
    for number, adult in enumerate(household.other_adults.all(), start=1):
        if adult.moved_out_on is None:
            label = f"{adult} ({adult.relationship})" if names else f"Other adult {number}"
            adults.append(checks.Adult(adult.check_key, checks.AdultKind.OTHER_ADULT, label))
    return adults


def panel_checks_refusal(household: Household) -> str | None:
    """Why the household cannot go to panel for approval on its Stage 1 checks (None when it can).
    No names: the words go to whoever records the step."""
    facts = [c.as_check() for c in household.stage_one_checks.all()]
    return checks.panel_refusal(check_adults(household, names=False), facts, household.reference)


class Capability(models.Model):
    """The level of a need the household can meet (none / low / medium / high)."""

    household = models.ForeignKey(Household, models.CASCADE, related_name="capabilities")
    need = models.CharField(max_length=40, choices=NEED_CHOICES)
    level = models.CharField(max_length=10, choices=LEVEL_CHOICES)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "need"], name="one_level_per_household_need")]
        ordering = ["need"]
