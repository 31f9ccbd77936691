"""The partnership: the councils and the regional agencies they deliver adoption through."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary

# ONS GSS codes of English local authorities: E06 unitary, E08 metropolitan, E09 London, E10 county.
ons_code_validator = RegexValidator(
    r"^E(06|08|09|10)\d{6}$", "Enter an ONS code for an English council, like E08000011"
)


class Council(models.Model):
    name = models.CharField(max_length=120, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, validators=[ons_code_validator])
    region = models.CharField(max_length=60)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Governance(models.TextChoices):
        HOSTED = "hosted", "Hosted by one council"
        PARTNERSHIP = "partnership", "Partnership of councils"
        HUB_AND_SPOKE = "hub_and_spoke", "Hub and spoke"

    code = models.SlugField(max_length=20, unique=True, help_text="Short name used in references, like aim")
    name = models.CharField(max_length=120, unique=True)
    governance_model = models.CharField(max_length=20, choices=Governance.choices)
    host_council = models.ForeignKey(Council, models.PROTECT, null=True, blank=True, related_name="+")
    commissioning_council = models.ForeignKey(Council, models.PROTECT, null=True, blank=True, related_name="+")
    councils = models.ManyToManyField(Council, through="Membership", related_name="agencies")
    decisions_by_council_adm = models.BooleanField(
        "Each council's own ADM decides for its children",
        default=False,
        help_text="Statutory decisions stay with the responsible council (hub and spoke, as in North Midlands)",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def member_councils(self, on=None):
        """Councils that are members on the given day (today when not given)."""
        on = on or timezone.localdate()
        current = Membership.objects.filter(agency=self, joined_on__lte=on).filter(
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=on)
        )
        return Council.objects.filter(memberships__in=current).distinct()


class Membership(models.Model):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="memberships")
    council = models.ForeignKey(Council, models.PROTECT, related_name="memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "council", "joined_on"], name="one_membership_per_start"),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gt=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} in {self.agency}"
