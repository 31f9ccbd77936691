"""Family-finding records around the engine: the agency's weights and settings, expressions of
interest in both directions, and visits. Links themselves are journey steps (journeys app)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.matching import engine
from openraa.partnership.models import Agency


def _weight(name: str):
    default = getattr(engine.Weights(), name)
    return models.FloatField(default=default, help_text=f"Points when fully met (default {default:g})")


class MatchingSettings(models.Model):
    """An agency's matching weights and rules. Households of another agency are searched only when
    both agencies name each other (mutual opt-in under their information-sharing agreements)."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="matching_settings")
    needs = _weight("needs")
    ethnicity = _weight("ethnicity")
    religion = _weight("religion")
    language = _weight("language")
    distance = _weight("distance")
    child_waiting = _weight("child_waiting")
    household_waiting = _weight("household_waiting")
    early_permanence = _weight("early_permanence")
    identification_radius_km = models.FloatField(default=engine.Settings().identification_radius_km)
    max_distance_km = models.FloatField(null=True, blank=True)
    max_open_interests = models.PositiveSmallIntegerField(
        default=3,
        help_text="A household of this agency may hold at most this many open expressions of interest at once",
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        default=91,
        help_text="A child or sibling group with no viable household in the region this many days after the "
        "placement order is offered to neighbouring agencies that take offers",
    )
    receive_escalations = models.BooleanField(
        default=False,
        help_text="This agency takes anonymised profiles of children other agencies cannot place, and scores "
        "its households for them",
    )
    share_with = models.ManyToManyField(
        Agency, blank=True, related_name="+", help_text="Neighbouring agencies whose households this agency searches"
    )
    history = HistoricalRecords(bases=[ChangeSummary], m2m_fields=[share_with])

    def weights(self) -> engine.Weights:
        return engine.Weights(**{name: getattr(self, name) for name in engine.FACTORS})


class Interest(models.Model):
    """An expression of interest: a household in a child, or the child's family finder in a household."""

    class Direction(models.TextChoices):
        FROM_HOUSEHOLD = "from_household", "The household is interested in the child"
        FROM_AGENCY = "from_agency", "The child's family finder is interested in the household"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECLINED = "declined", "Declined by the child's family finder"
        WITHDRAWN = "withdrawn", "Withdrawn by the household"
        LINKED = "linked", "Led to a link"
        CLOSED = "closed", "Closed: another link was made"

    CLOSING = (Status.DECLINED, Status.WITHDRAWN)

    policy_agency_field = "child__agency"
    policy_council_field = "child__responsible_council"

    child = models.ForeignKey("children.Child", models.PROTECT, related_name="interests")
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="interests")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    expressed_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    # None: the family expressed it themselves, from their own account (families app).
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Closure, seen by the child's and the household's workers alike: nobody is left waiting on an
    # interest that went nowhere.
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-expressed_on", "-id"]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Visit(models.Model):
    """A visit or meeting while a link is explored (profile sharing, meeting the child's carers...)."""

    child = models.ForeignKey("children.Child", models.PROTECT, related_name="visits")
    household = models.ForeignKey("households.Household", models.PROTECT, related_name="visits")
    visited_on = models.DateField()
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-visited_on", "-id"]


class Escalation(models.Model):
    """A child or sibling group with no viable household in its agency's region, offered as its
    anonymised profile to a neighbouring agency that takes offers. The receiving agency reads only
    `profile` (no name, date of birth, council or birth family) and its own households' scores."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        PUT_FORWARD = "put_forward", "A household was put forward"
        CLOSED = "closed", "Closed"

    policy_agency_field = "child__agency"
    policy_council_field = "child__responsible_council"

    child = models.ForeignKey("children.Child", models.PROTECT, related_name="escalations")
    unit_reference = models.CharField(max_length=20)  # the child's, or the sibling group's placed together
    to_agency = models.ForeignKey(Agency, models.PROTECT, related_name="escalations_received")
    offered_on = models.DateField()
    profile = models.JSONField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFFERED)
    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.TextField(blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-offered_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit_reference", "to_agency"], name="one_offer_per_agency")]

    @property
    def reference(self) -> str:
        return f"P-{self.pk:06d}"


def settings_for(agency: Agency) -> MatchingSettings:
    return MatchingSettings.objects.filter(agency=agency).first() or MatchingSettings(agency=agency)
