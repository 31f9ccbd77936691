"""The dated, attributed history of each journey, the agency's timescale targets, and panels with
their recommendations and the agency decision maker's decisions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.audit.history import ChangeSummary
from openraa.audit.models import AppendOnlyError
from openraa.journeys import timescales
from openraa.journeys.machine import Entry
from openraa.partnership.models import Agency


class JourneyEntry(models.Model):
    """One step of a journey. Append-only: a mistake is corrected by a new entry that supersedes it."""

    kind = models.CharField(max_length=40)
    occurred_on = models.DateField("Date")
    details = models.JSONField(default=dict, blank=True)
    supersedes = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="corrections")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+",
                                    help_text="Empty when the system recorded it (an import)")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["occurred_on", "id"]

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("A journey entry cannot be changed; record a correction")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A journey entry cannot be deleted; record a withdrawal")

    def as_entry(self) -> Entry:
        return Entry(seq=self.pk, kind=self.kind, occurred_on=self.occurred_on, details=self.details,
                     supersedes=self.supersedes_id)


class ChildStep(JourneyEntry):
    child = models.ForeignKey("children.Child", models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["child", "occurred_on"])]


class HouseholdStep(JourneyEntry):
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["household", "occurred_on"])]


def _targets_field(name: str, help_text: str, maximum: int = 730):
    default = getattr(timescales.Targets(), name)
    return models.PositiveSmallIntegerField(
        default=default, validators=[MinValueValidator(1), MaxValueValidator(maximum)],
        help_text=f"{help_text} (statutory guidance default {default})",
    )


class AgencyTargets(models.Model):
    """The agency's own timescale targets; each defaults to the statutory guidance."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="targets")
    stage1_months = _targets_field("stage1_months", "Stage 1 completed within, in months", 24)
    stage2_months = _targets_field("stage2_months", "Stage 2 completed within, in months", 24)
    fast_track_months = _targets_field("fast_track_months", "Fast track decision within, in months", 24)
    pause_between_stages_months = _targets_field("pause_between_stages_months", "Pause between stages at most, in months", 24)
    adm_working_days = _targets_field("adm_working_days", "ADM decision within, in working days of final panel minutes", 60)
    family_finding_referral_days = _targets_field("family_finding_referral_days", "Referral to family finding within, in days of the should-be-placed decision")
    order_to_match_days = _targets_field("order_to_match_days", "Placement order to match within, in days (A2 threshold)")
    waiting_days = _targets_field("waiting_days", "Flag children waiting longer than, in days since placement order")
    long_wait_months = _targets_field("long_wait_months", "Flag children waiting longer than, in months", 60)
    approved_waiting_months = _targets_field("approved_waiting_months", "Flag approved households waiting longer than, in months", 60)
    approval_review_months = _targets_field("approval_review_months", "Review approval every, in months", 60)
    due_soon_days = _targets_field("due_soon_days", "Show items due within, in days", 90)
    history = HistoricalRecords(bases=[ChangeSummary])

    def as_targets(self) -> timescales.Targets:
        return timescales.Targets(**{f.name: getattr(self, f.name) for f in timescales.fields(timescales.Targets)})


def targets_for(agency: Agency) -> timescales.Targets:
    config = AgencyTargets.objects.filter(agency=agency).first()
    return config.as_targets() if config else timescales.Targets()
