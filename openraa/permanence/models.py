"""Wider permanence records: the functions an agency runs and from when, carers of each kind with
their assessment history, and children's permanence plans with theirs. Stages and milestone dates
on the records are rewritten from the append-only history (services.py), never typed in."""

from dataclasses import fields
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.common.models import (
    address_field,
    email_field,
    phone_field,
    postcode_district_validator,
    postcode_field,
    target_field,
)
from openraa.journeys.models import JourneyEntry
from openraa.partnership.models import Agency, Council
from openraa.permanence import definitions, phases, timescales
from openraa.reference import ETHNICITIES, LANGUAGES, LEVEL_CHOICES, NEEDS, RELIGION_CHOICES

_CARER_STAGES = sorted(
    {(s, label) for d in definitions.CARER_DEFINITIONS.values() for s, label in d.stage_labels.items()}
)
_PLAN_STAGES = sorted(
    {(s, label) for d in definitions.PLAN_DEFINITIONS.values() for s, label in d.stage_labels.items()}
)
LEVELS = {level for level, _ in LEVEL_CHOICES}


class PermanenceFunction(models.Model):
    """The date an agency took on one function of wider permanence (its phase of the partnership)."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="permanence_functions")
    function = models.CharField(max_length=30, choices=phases.FUNCTION_CHOICES)
    active_from = models.DateField("Runs it from", null=True, blank=True)
    note = models.CharField("Phase", max_length=200, blank=True, help_text="For example: phase 2, April 2021")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "function"], name="one_switch_per_agency_function")]
        ordering = ["function"]

    def __str__(self) -> str:
        return f"{self.get_function_display()} for {self.agency}"


def switches_for(agency) -> dict[str, date | None]:
    """function -> the date the agency runs it from (None: not run)."""
    return dict(PermanenceFunction.objects.filter(agency=agency).values_list("function", "active_from"))


def _practice_target(name: str, label: str, maximum: int):
    default = getattr(timescales.Targets(), name)  # the permanence practice targets
    return target_field(default, maximum, f"From 1 to {maximum} (practice default {default})", label)


class PermanenceTargets(models.Model):
    """The agency's own practice targets for wider permanence; statutory limits are not kept here
    (timescales.STATUTORY): no agency may change them."""

    policy_agency_field = "agency"

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="permanence_targets")
    court_report_weeks = _practice_target(
        "court_report_weeks",
        "Special guardianship report to court within, in weeks of the direction (when the court set no date)",
        26,
    )
    family_finding_working_days = _practice_target(
        "family_finding_working_days", "Family finding starts within, in working days of a long-term fostering plan", 60
    )
    long_term_match_months = _practice_target(
        "long_term_match_months", "Long-term fostering match within, in months of the plan", 24
    )
    connected_match_weeks = _practice_target(
        "connected_match_weeks", "Connected persons match within, in weeks of the plan", 52
    )
    due_soon_days = _practice_target("due_soon_days", "Show timescales as due soon within, in days", 90)
    history = HistoricalRecords(bases=[ChangeSummary])

    def __str__(self) -> str:
        return f"Permanence targets of {self.agency}"

    def as_targets(self) -> timescales.Targets:
        return timescales.Targets(**{f.name: getattr(self, f.name) for f in fields(timescales.Targets)})


def permanence_targets_for(agency) -> timescales.Targets:
    """The agency's practice targets, or the defaults until an administrator sets its own."""
    config = PermanenceTargets.objects.filter(agency=agency).first()
    return config.as_targets() if config else timescales.Targets()


class JourneyRecord(models.Model):
    """What a carer and a plan share: a reference, and a stage named by their kind's journey."""

    reference_prefix: str
    new_label: str

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.reference_prefix}-{self.pk:06d}" if self.pk else self.new_label

    @property
    def stage_label(self) -> str:
        return self.definition.stage_labels[self.stage]


class Carer(JourneyRecord):
    """A foster carer for long-term fostering, a connected person or a special guardian: a household
    of its own kind, assessed under its own regulations."""

    policy_resource = "permanence"
    policy_agency_field = "agency"
    policy_council_field = "home_council"
    CONTACT_FIELDS = ("phone", "email", "address", "postcode")  # the carers', where held
    RESTRICTED_FIELDS = ("names", *CONTACT_FIELDS)

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="carers")
    kind = models.CharField(max_length=20, choices=list(definitions.CARER_KIND_LABELS.items()))
    home_council = models.ForeignKey(Council, models.PROTECT, related_name="carers")
    postcode_district = models.CharField(max_length=4, validators=[postcode_district_validator])
    names = models.CharField(
        "Carers' names", max_length=200, help_text="Restricted: shown only to those who may see names"
    )
    # Contact details, where the agency holds them: restricted like the names.
    phone = phone_field()
    email = email_field()
    address = address_field()
    postcode = postcode_field()
    approved_children = models.PositiveSmallIntegerField(
        "Number of children", null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    age_min = models.PositiveSmallIntegerField(
        "Youngest age (years)", null=True, blank=True, validators=[MaxValueValidator(17)]
    )
    age_max = models.PositiveSmallIntegerField(
        "Oldest age (years)", null=True, blank=True, validators=[MaxValueValidator(17)]
    )
    sibling_group_open = models.BooleanField("Open to a sibling group", default=False)
    capabilities = models.JSONField("Needs they can meet", default=dict, blank=True)  # need -> none..high
    ethnicities = models.JSONField(default=list, blank=True)
    religion = models.CharField(max_length=20, blank=True, choices=RELIGION_CHOICES)
    languages = models.JSONField("Languages spoken at home", default=list, blank=True)
    stage = models.CharField(
        max_length=30, choices=_CARER_STAGES, default=definitions.NEW, editable=False, db_index=True
    )
    approved_on = models.DateField(null=True, blank=True, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "kind", "stage"])]

    reference_prefix, new_label = "CR", "New carer"  # "C-" is a child's

    @property
    def definition(self) -> definitions.Definition:
        return definitions.CARER_DEFINITIONS[definitions.CarerKind(self.kind)]

    @property
    def approval_range(self) -> str:
        if self.approved_children is None:
            return "Not recorded"
        children = "1 child" if self.approved_children == 1 else f"up to {self.approved_children} children"
        return f"{children} aged {self.age_min} to {self.age_max}"

    def clean(self) -> None:
        errors = {}
        given = [v is not None for v in (self.approved_children, self.age_min, self.age_max)]
        if any(given) and not all(given):
            errors["approved_children"] = "Enter the number of children and both ages, or none of them"
        elif all(given) and self.age_min > self.age_max:
            errors["age_max"] = "The oldest age cannot be below the youngest"
        if any(need not in NEEDS or level not in LEVELS for need, level in self.capabilities.items()):
            errors["capabilities"] = "Unknown need or level"
        if any(code not in ETHNICITIES for code in self.ethnicities):
            errors["ethnicities"] = "Unknown ethnicity"
        if any(code not in LANGUAGES for code in self.languages):
            errors["languages"] = "Unknown language"
        if errors:
            raise ValidationError(errors)


class CarerStep(JourneyEntry):
    carer = models.ForeignKey(Carer, models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["carer", "occurred_on"])]


class PermanencePlan(JourneyRecord):
    """A child's plan for permanence other than adoption. The agency and responsible council are the
    child's, kept on the plan so the policy scopes it like the child (the council keeps the duty)."""

    policy_agency_field = "agency"
    policy_council_field = "responsible_council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="permanence_plans")
    responsible_council = models.ForeignKey(Council, models.PROTECT, related_name="permanence_plans")
    child = models.ForeignKey("children.Child", models.PROTECT, related_name="permanence_plans")
    kind = models.CharField(max_length=30, choices=list(definitions.PLAN_KIND_LABELS.items()))
    carer = models.ForeignKey(Carer, models.PROTECT, null=True, blank=True, editable=False, related_name="plans")
    stage = models.CharField(
        max_length=30, choices=_PLAN_STAGES, default=definitions.NEW, editable=False, db_index=True
    )
    closed_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "kind", "stage"])]

    reference_prefix, new_label = "P", "New plan"

    @property
    def definition(self) -> definitions.Definition:
        return definitions.PLAN_DEFINITIONS[definitions.PlanKind(self.kind)]


class PlanStep(JourneyEntry):
    plan = models.ForeignKey(PermanencePlan, models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["plan", "occurred_on"])]
