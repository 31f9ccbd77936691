"""A child with an adoption plan: who is responsible, who they are, what they need, how far their
journey has gone. The stage is derived from the milestones on every save, never typed in."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.children import domain, sealing
from openraa.common.dates import long_date
from openraa.common.history import ChangeSummary
from openraa.common.models import Versioned, domain_values, postcode_district_validator, raise_domain_errors, today
from openraa.partnership.models import Agency, Council
from openraa.reference import (
    CHILD_SEX_CHOICES,
    ETHNICITIES,
    ETHNICITY_CHOICES,
    LANGUAGES,
    NEED_CHOICES,
    RELIGION_CHOICES,
    SEVERITY_CHOICES,
)


class SiblingGroup(models.Model):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="sibling_groups")
    place_together = models.BooleanField(
        default=True, help_text="The plan's decision: place these brothers and sisters together"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    def __str__(self) -> str:
        return f"Sibling group G-{self.pk:05d}"

    @property
    def reference(self) -> str:
        return f"G-{self.pk:05d}"


class SealedRecordError(ValidationError):
    """A change to a sealed adoption record, or a record made about one: refused whatever the path."""

    def __init__(self, reference: str, what: str = "changed"):
        super().__init__(
            f"{reference} is a sealed adoption record: it cannot be {what}. A mistaken adoption order "
            "is put right by a team manager from the record's page (Correct the adoption order)."
        )


class RecordKeptError(ValidationError):
    """Adoption records are kept (at least sealing.RETENTION_YEARS years) and never deleted."""

    def __init__(self, what: str):
        super().__init__(
            f"{what} cannot be deleted: adoption records are kept for at least "
            f"{sealing.RETENTION_YEARS} years. Correct it by a superseding entry instead."
        )


# The one child whose sealed record may be written to now, for the length of one service call:
# the team manager's correction of a mistaken adoption order (journeys/services.correct_adoption_order), and
# the needs of a record created already adopted (services.save_child, an import).
_writable: ContextVar[int | None] = ContextVar("sealed_record_writable", default=None)


@contextmanager
def sealed_record_writable(child_pk: int) -> Iterator[None]:
    token = _writable.set(child_pk)
    try:
        yield
    finally:
        _writable.reset(token)


def refuse_if_sealed(child_ids, what: str = "changed") -> None:
    """Raise SealedRecordError if any of these children is sealed in the database (not in memory: a
    stale object must not let a write through)."""
    ids = {pk for pk in child_ids if pk is not None} - {_writable.get()}
    if not ids:
        return
    sealed = Child.objects.filter(pk__in=ids, adoption_order_on__isnull=False).values_list("pk", flat=True).first()
    if sealed is not None:
        raise SealedRecordError(f"C-{sealed:06d}", what)


class ChildQuerySet(models.QuerySet):
    def unsealed(self) -> "ChildQuerySet":
        """Children a record may be attached to or changed: every picker of a child starts here."""
        return self.filter(adoption_order_on__isnull=True)

    def delete(self):
        raise RecordKeptError("A child's record")


class Child(Versioned):
    policy_resource = "child"
    policy_agency_field = "agency"
    policy_council_field = "responsible_council"
    # Who the child is and where the child lives: roles with the child "view_restricted" grant, on
    # a child they see in full (people/sharing.py).
    IDENTITY_FIELDS = ("first_name", "last_name", "current_postcode_district")
    # And the birth family: only the roles the agency's information-sharing agreement says need it.
    BIRTH_FAMILY_FIELDS = (
        "birth_mother_name",
        "birth_father_name",
        "birth_family_council",
        "birth_family_postcode_district",
        "identification_risk",
        "excluded_councils",
    )
    RESTRICTED_FIELDS = IDENTITY_FIELDS + BIRTH_FAMILY_FIELDS

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="children")
    responsible_council = models.ForeignKey(Council, models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=CHILD_SEX_CHOICES)
    ethnicity = models.CharField(max_length=4, choices=ETHNICITY_CHOICES)
    birth_mother_name = models.CharField(max_length=160, blank=True)
    birth_father_name = models.CharField(max_length=160, blank=True)
    birth_family_council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where the birth family lives; family finding keeps the child away from it",
    )
    birth_family_postcode_district = models.CharField(
        max_length=4, blank=True, validators=[postcode_district_validator]
    )
    current_postcode_district = models.CharField(
        "Where the child lives now (postcode district)",
        max_length=4,
        blank=True,
        validators=[postcode_district_validator],
        help_text="The foster placement's area: family finding measures distances from here",
    )
    identification_risk = models.BooleanField(
        "Risk of identification by the birth family",
        default=False,
        help_text="Family finding then keeps the child a set distance away from the birth family's area",
    )
    excluded_councils = models.ManyToManyField(
        Council,
        blank=True,
        related_name="+",
        verbose_name="Other excluded areas",
        help_text="Councils where the child must not be placed, besides the birth family's",
    )
    preferred_ethnicities = models.JSONField(
        "Ethnicity the plan prefers in a family",
        default=list,
        blank=True,
        help_text="SSDA903 codes; empty when the plan states no preference",
    )
    preferred_religion = models.CharField(
        "Religion the plan prefers in a family", max_length=20, blank=True, choices=RELIGION_CHOICES
    )
    preferred_languages = models.JSONField("Languages the plan asks a family to speak", default=list, blank=True)
    sibling_group = models.ForeignKey(SiblingGroup, models.PROTECT, null=True, blank=True, related_name="children")
    household = models.ForeignKey(
        "households.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The household the child is linked with, matched with or placed with",
    )
    early_permanence_household = models.ForeignKey(
        "households.Household",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="early_permanence_children",
        help_text="The dually approved carers of the early permanence placement",
    )
    council_child_id = models.CharField(
        "Council's child ID (SSDA903 CHILD)",
        max_length=10,
        blank=True,
        help_text="The responsible council's own identifier, used by its SSDA903 return",
    )
    allocated_workers = models.ManyToManyField("people.User", blank=True, related_name="allocated_children")

    entered_care_on = models.DateField("Entered care", null=True, blank=True)
    should_be_placed_on = models.DateField("Should be placed decision (ADM)", null=True, blank=True)
    family_finding_referral_on = models.DateField("Referred for family finding", null=True, blank=True)
    placement_order_on = models.DateField("Placement order", null=True, blank=True)
    early_permanence_on = models.DateField("Early permanence placement", null=True, blank=True)
    early_permanence_kind = models.CharField(
        max_length=20, blank=True, choices=list(domain.EARLY_PERMANENCE_KINDS.items())
    )
    linked_on = models.DateField("Link", null=True, blank=True)
    matching_panel_on = models.DateField("Matching panel recommendation", null=True, blank=True)
    matched_on = models.DateField("Match decision (ADM)", null=True, blank=True)
    placed_on = models.DateField("Placed for adoption", null=True, blank=True)
    adoption_order_on = models.DateField("Adoption order", null=True, blank=True)
    plan_ended_on = models.DateField("Plan ended", null=True, blank=True)
    plan_ended_reason = models.CharField(max_length=20, blank=True, choices=list(domain.PLAN_ENDED_REASONS.items()))
    fostered_by_adopters_from = models.DateField(
        "Fostered by the adopters from",
        null=True,
        blank=True,
        help_text="For a child adopted by their own foster carers (SSDA903 AD1 FOSTER_CARE 1): the day the "
        "foster placement with them began, where A10's clock stops",
    )
    plan_ended_code = models.CharField(
        "Why the decision ceased (SSDA903 RD1-RD4)",
        max_length=3,
        blank=True,
        choices=list(domain.DISRUPTION_CODES.items()),
    )

    stage = models.CharField(max_length=20, choices=domain.STAGE_CHOICES, editable=False, db_index=True)
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[allocated_workers])
    objects = ChildQuerySet.as_manager()
    # Not a field: set on the rows of the children list (children/selectors.py mark_complex_needs).
    complex_needs: bool = False

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["agency", "responsible_council", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["responsible_council", "council_child_id"],
                condition=~models.Q(council_child_id=""),
                name="one_child_per_council_id",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}" if self.pk else "New child"

    @property
    def milestones(self) -> domain.Milestones:
        return domain_values(self, domain.Milestones)

    @property
    def stage_label(self) -> str:
        return domain.ChildStage(self.stage).label

    @property
    def sealed(self) -> bool:
        """After the adoption order the record is sealed (people/sharing.py)."""
        return self.adoption_order_on is not None

    def clean(self) -> None:
        raise_domain_errors(domain.validate(self.milestones, today()))
        errors = {}
        if (
            self.agency_id
            and self.responsible_council_id
            and not self.agency.member_councils().filter(pk=self.responsible_council_id).exists()
        ):
            errors["responsible_council"] = "The responsible council must be a member of the agency"
        if self.sibling_group_id and self.agency_id and self.sibling_group.agency_id != self.agency_id:
            errors["sibling_group"] = "The sibling group belongs to another agency"
        if self.household_id and self.agency_id and self.household.agency_id != self.agency_id:
            errors["household"] = "The household belongs to another agency"
        if self.household_id and not (self.early_permanence_on or self.linked_on or self.matched_on or self.placed_on):
            errors["household"] = "Record the link date when linking the child with a household"
        if (self.linked_on or self.matched_on) and not self.household_id and not self.plan_ended_on:
            errors.setdefault("household", "Choose the household the child is linked with")
        unknown = [code for code in self.preferred_ethnicities if code not in ETHNICITIES]
        if unknown:
            errors["preferred_ethnicities"] = f"Unknown ethnicity code: {', '.join(unknown)}"
        unknown = [code for code in self.preferred_languages if code not in LANGUAGES]
        if unknown:
            errors["preferred_languages"] = f"Unknown language: {', '.join(unknown)}"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Refused once the record is sealed in the database: the adoption order step that seals it goes
        through (the stored row is not sealed yet), nothing after it does but a team manager's
        correction of a mistaken order (sealed_record_writable)."""
        self.stage = domain.derive_stage(self.milestones)
        stored = (
            Child.objects.filter(pk=self.pk).values_list("household_id", "adoption_order_on").first()
            if self.pk
            else None
        )
        previous_household_id = stored[0] if stored else None
        if stored and stored[1] is not None and _writable.get() != self.pk:
            raise SealedRecordError(self.reference)
        super().save(*args, **kwargs)
        # The household model is reached through the link, not imported: households sit above children.
        households = Child._meta.get_field("household").related_model._default_manager
        for household_id in {previous_household_id, self.household_id} - {None}:
            households.get(pk=household_id).refresh_stage()

    def delete(self, *args, **kwargs):
        raise RecordKeptError(f"{self.reference}'s record")


class ChildNeed(models.Model):
    child = models.ForeignKey(Child, models.CASCADE, related_name="needs")
    need = models.CharField(max_length=40, choices=NEED_CHOICES)
    severity = models.CharField(max_length=10, choices=SEVERITY_CHOICES)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "need"], name="one_grade_per_child_need")]
        ordering = ["need"]

    def __str__(self) -> str:
        return f"{self.get_need_display()} ({self.get_severity_display()})"

    def save(self, *args, **kwargs):
        refuse_if_sealed([self.child_id])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_sealed([self.child_id])
        return super().delete(*args, **kwargs)


class RecordsRequest(models.Model):
    """An adopted adult's request for their adoption records (birth records access), as recorded
    by a member of staff who may open sealed records. Append-only; each one is also the sealed
    record's audit entry (audit.RecordView, channel "sealed", with the request as the reason)."""

    # The one record that may be made about a sealed child: it is the audited access itself.
    about_sealed_child = True

    child = models.ForeignKey(Child, models.PROTECT, related_name="records_requests")
    requester_name = models.CharField("Name of the adopted adult who asked", max_length=160)
    requested_on = models.DateField("Date of the request")
    identity_checked = models.BooleanField("I have checked the adopted adult's identity")
    identity_evidence = models.CharField("How the identity was checked", max_length=300)
    disclosed = models.TextField("What was disclosed")
    recorded_by = models.ForeignKey("people.User", models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Records request of {long_date(self.requested_on)} for {self.child.reference}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError("A records request cannot be changed once recorded")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordKeptError("A records request")
