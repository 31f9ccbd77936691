"""The partnership: the councils and the regional agencies they deliver adoption through."""

from datetime import date

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.partnership import secondments

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
    councils = models.ManyToManyField(Council, through="Membership", related_name="agencies")
    decisions_by_council_adm = models.BooleanField(
        "Each council's own ADM decides for its children",
        default=False,
        help_text="Statutory decisions stay with the responsible council (hub and spoke, as in North Midlands)",
    )
    staff_arrangement = models.CharField(
        "How staff work for the agency",
        max_length=20,
        choices=secondments.CHOICES,
        blank=True,
        help_text="As the partnership agreement says; not given: hosted agencies second into the host, others do not second",
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def staffing(self) -> secondments.StaffArrangement:
        """The agreement's staffing model, which decides whether anyone is seconded (not the host)."""
        return secondments.arrangement(self.governance_model, self.staff_arrangement)

    def member_councils(self, on=None):
        """Councils that are members on the given day (today when not given)."""
        on = on or timezone.localdate()
        current = Membership.objects.filter(agency=self, joined_on__lte=on).filter(
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=on)
        )
        return Council.objects.filter(memberships__in=current).distinct()

    def _council_on(self, kind: str, day: date | None) -> Council | None:
        day = day or timezone.localdate()
        term = (
            self.council_roles.filter(kind=kind, starts_on__lte=day)
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))
            .select_related("council")
            .first()
        )
        return term.council if term else None

    def host_on(self, day: date | None = None) -> Council | None:
        """The council hosting the agency on the day (today when not given): its dated terms
        (CouncilRole), so a past day shows who hosted then."""
        return self._council_on(CouncilRole.Kind.HOST, day)

    def commissioning_on(self, day: date | None = None) -> Council | None:
        return self._council_on(CouncilRole.Kind.COMMISSIONING, day)

    # Today's values, read from the terms: there is no stored copy to fall out of date.
    @property
    def host_council(self) -> Council | None:
        return self.host_on()

    @property
    def commissioning_council(self) -> Council | None:
        return self.commissioning_on()


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


class CouncilRole(models.Model):
    """A council's term as the agency's host or as its commissioning council (the one that holds the
    host to account on the others' behalf). Written only by partnership/services.py, which ends the
    running term the day before a change: terms of one kind never overlap."""

    class Kind(models.TextChoices):
        HOST = "host", "Host council"
        COMMISSIONING = "commissioning", "Commissioning council"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="council_roles")
    council = models.ForeignKey(Council, models.PROTECT, related_name="roles")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField("From")
    ends_on = models.DateField("Last day", null=True, blank=True)
    note = models.CharField("Why", max_length=200, blank=True, help_text="For example the decision that made it")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["kind", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "starts_on"], name="one_council_role_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="council_role_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} as {self.get_kind_display().lower()} of {self.agency}"


class Base(models.Model):
    """Where the agency's staff work from: an office in a council's area, or hot desks in a centre."""

    class Kind(models.TextChoices):
        OFFICE = "office", "Office"
        HOT_DESKS = "hot_desks", "Hot desks"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="bases")
    name = models.CharField(max_length=120)
    council = models.ForeignKey(
        Council, models.PROTECT, null=True, blank=True, related_name="+", help_text="The council area it is in"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    desks = models.PositiveSmallIntegerField("Hot desks", null=True, blank=True)
    address = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="one_base_per_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    class Kind(models.TextChoices):
        RECRUITMENT_ASSESSMENT = "recruitment_assessment", "Recruitment and assessment"
        FAMILY_FINDING = "family_finding", "Family finding"
        ADOPTION_SUPPORT = "adoption_support", "Adoption support"
        PANEL = "panel", "Panel"
        OTHER = "other", "Another team"

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    base = models.ForeignKey(Base, models.PROTECT, null=True, blank=True, related_name="teams")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="one_team_per_name")]

    def __str__(self) -> str:
        return self.name
