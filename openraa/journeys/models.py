"""The dated, attributed history of each journey, the agency's timescale targets, and panels with
their recommendations and the agency decision maker's decisions."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.audit.models import AppendOnlyError
from openraa.common.dates import long_date
from openraa.common.history import ChangeSummary
from openraa.common.machine import Entry
from openraa.common.models import target_field
from openraa.journeys import panels, routes, timescales
from openraa.partnership.models import Agency

IMPORTED = "import"  # details["source"] of entries that arrived in another system's return


class JourneyEntry(models.Model):
    """One step of a journey. Append-only: a mistake is corrected by a new entry that supersedes it."""

    kind = models.CharField(max_length=40)
    occurred_on = models.DateField("Date")
    details = models.JSONField(default=dict, blank=True)
    supersedes = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="corrections")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        help_text="Empty when the system recorded it (an import)",
    )
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
        return Entry(
            seq=self.pk,
            kind=self.kind,
            occurred_on=self.occurred_on,
            details=self.details,
            supersedes=self.supersedes_id,
            imported=self.details.get("source") == IMPORTED,
        )


class ChildStep(JourneyEntry):
    child = models.ForeignKey("children.Child", models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["child", "occurred_on"])]


class HouseholdStep(JourneyEntry):
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="steps")

    class Meta(JourneyEntry.Meta):
        indexes = [models.Index(fields=["household", "occurred_on"])]


# Labels in words, as forms and the change history show them (not "Stage1 months").
_TARGET_LABELS = {
    "stage1_months": "Stage 1 (months)",
    "stage2_months": "Stage 2 (months)",
    "fast_track_months": "Fast track (months)",
    "pause_between_stages_months": "Pause between the stages (months)",
    "adm_working_days": "ADM decision (working days)",
    "family_finding_referral_days": "Referral to family finding (days)",
    "order_to_match_days": "Placement order to match (days)",
    "waiting_days": "Children waiting (days)",
    "long_wait_months": "Long wait (months)",
    "approved_waiting_months": "Approved households waiting (months)",
    "approval_review_months": "Approval review (months)",
    "due_soon_days": "Due soon (days)",
}


def _targets_field(name: str, help_text: str, maximum: int = 730):
    default = getattr(timescales.Targets(), name)
    return target_field(
        default, maximum, f"{help_text} (statutory guidance default {default})", label=_TARGET_LABELS[name]
    )


class AgencyTargets(models.Model):
    """The agency's own timescale targets; each defaults to the statutory guidance."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="targets")
    stage1_months = _targets_field("stage1_months", "Stage 1 completed within, in months", 24)
    stage2_months = _targets_field("stage2_months", "Stage 2 completed within, in months", 24)
    fast_track_months = _targets_field("fast_track_months", "Fast track decision within, in months", 24)
    pause_between_stages_months = _targets_field(
        "pause_between_stages_months", "Pause between stages at most, in months", 24
    )
    adm_working_days = _targets_field(
        "adm_working_days", "ADM decision within, in working days of final panel minutes", 60
    )
    family_finding_referral_days = _targets_field(
        "family_finding_referral_days", "Referral to family finding within, in days of the should-be-placed decision"
    )
    order_to_match_days = _targets_field(
        "order_to_match_days", "Placement order to match within, in days (A2 threshold)"
    )
    waiting_days = _targets_field("waiting_days", "Flag children waiting longer than, in days since placement order")
    long_wait_months = _targets_field("long_wait_months", "Flag children waiting longer than, in months", 60)
    approved_waiting_months = _targets_field(
        "approved_waiting_months", "Flag approved households waiting longer than, in months", 60
    )
    approval_review_months = _targets_field("approval_review_months", "Review approval every, in months", 60)
    due_soon_days = _targets_field("due_soon_days", "Show items due within, in days", 90)
    history = HistoricalRecords(bases=[ChangeSummary])

    def as_targets(self) -> timescales.Targets:
        return timescales.Targets(**{f.name: getattr(self, f.name) for f in timescales.fields(timescales.Targets)})


def targets_for(agency: Agency) -> timescales.Targets:
    config = AgencyTargets.objects.filter(agency=agency).first()
    return config.as_targets() if config else timescales.Targets()


class PanelMember(models.Model):
    """A member of the agency's central list of panel members (not necessarily a user of OpenRAA)."""

    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="panel_members")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=list(panels.MEMBER_ROLE_LABELS.items()))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_seats",
        verbose_name="Staff user (optional)",
        help_text="The member's OpenRAA account, if they have one: a decision maker who sat on "
        "a panel does not decide its items",
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class PanelMeeting(models.Model):
    policy_agency_field = "agency"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="panel_meetings")
    held_on = models.DateField("Date of the panel")
    attended_by = models.ManyToManyField(PanelMember, related_name="meetings", blank=True)
    final_minutes_on = models.DateField(
        "Final minutes received", null=True, blank=True, help_text="The ADM's seven working days run from this date"
    )
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[attended_by])

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Panel of {long_date(self.held_on)}"

    def quorum_problems(self) -> list[str]:
        return panels.quorum_problems(m.role for m in self.attended_by.all())


class AgendaItem(models.Model):
    meeting = models.ForeignKey(PanelMeeting, models.PROTECT, related_name="items")
    kind = models.CharField(max_length=20, choices=list(panels.ITEM_KIND_LABELS.items()))
    household = models.ForeignKey(
        "households.Household", models.PROTECT, null=True, blank=True, related_name="panel_items"
    )
    children = models.ManyToManyField("children.Child", blank=True, related_name="panel_items")
    recommendation = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            (panels.Recommendation.RECOMMEND, "Recommended"),
            (panels.Recommendation.NOT_RECOMMEND, "Not recommended"),
            (panels.Recommendation.DEFERRED, "Deferred"),
        ],
    )
    reasons = models.TextField("Panel's reasons", blank=True)
    position = models.PositiveIntegerField(
        "Place on the agenda", default=0, help_text="Items are taken in this order (then in the order added)"
    )
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[children])

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.meeting}"


class AdmDecision(models.Model):
    """The agency decision maker's decision on a panel's recommendation. Never changed once made."""

    item = models.OneToOneField(AgendaItem, models.PROTECT, related_name="decision")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="adm_decisions")
    agrees = models.BooleanField("Agrees with the panel's recommendation")
    reasons = models.TextField()
    decided_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    def save(self, *args, **kwargs):
        if self.pk:
            raise AppendOnlyError("A decision cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A decision cannot be deleted")


class QualifyingDetermination(models.Model):
    """The ADM's proposal not to approve prospective adopters (journeys/routes.py): the household may
    make representations or apply to the Independent Review Mechanism before the final decision.
    The determination itself never changes; the household's response is added once."""

    item = models.OneToOneField(AgendaItem, models.PROTECT, related_name="determination")
    determined_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    determined_on = models.DateField("Date of the qualifying determination")
    reasons = models.TextField()
    response = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("representations", "Representations to the decision maker"),
            ("irm", "Application to the Independent Review Mechanism"),
        ],
    )
    response_on = models.DateField("Date of the response", null=True, blank=True)
    irm_recommendation = models.CharField(
        "The IRM panel's recommendation",
        max_length=20,
        blank=True,
        choices=[("approve", "Suitable to adopt"), ("not_approve", "Not suitable to adopt")],
    )
    irm_recommended_on = models.DateField("IRM recommendation received", null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    def as_determination(self) -> routes.Determination:
        return routes.Determination(
            determined_on=self.determined_on,
            representations_on=self.response_on if self.response == "representations" else None,
            irm_applied_on=self.response_on if self.response == "irm" else None,
            irm_recommended_on=self.irm_recommended_on,
        )

    @property
    def representations_due(self):
        return routes.representations_due(self.determined_on)
