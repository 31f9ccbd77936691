"""Staff: each works for one agency and is employed by one council; seconded only while a recorded
secondment (with its own dates and terms) runs, never merely because the employer is not the host."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.partnership import secondments
from openraa.partnership.models import Agency, Base, Council, Team
from openraa.people import roles, sharing
from openraa.people.roles import Role


def validate_roles(value) -> None:
    if not isinstance(value, list):
        raise ValidationError("Roles must be a list")
    problems = roles.role_problems(value)
    if problems:
        raise ValidationError(problems)


class StaffManager(UserManager):
    def holding(self, *roles: str):
        """Staff who hold any of these roles among theirs. JSON containment is not portable to
        SQLite; a role's quoted value is unique in the stored list's text, so matching it is exact."""
        wanted = models.Q(pk__in=[])
        for role in roles:
            wanted |= models.Q(roles__icontains=f'"{Role(role).value}"')
        return self.filter(wanted)


class User(AbstractUser):
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, related_name="staff")
    employing_council = models.ForeignKey(Council, models.PROTECT, null=True, related_name="employees")
    # One person may hold several roles (a team manager who also chairs panel business, a family
    # finder who also assesses); each page asks the policy for the widest grant among them.
    roles = models.JSONField("Roles", default=list, blank=True, validators=[validate_roles])
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="members")
    base = models.ForeignKey(
        Base, models.PROTECT, null=True, blank=True, related_name="staff", help_text="Where they usually work from"
    )
    starts_on = models.DateField("Starts on", null=True, blank=True)
    ends_on = models.DateField("Leaves on", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary], excluded_fields=["password", "last_login"])

    objects: ClassVar[StaffManager] = StaffManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles or ())

    def has_role(self, role: Role) -> bool:
        return role in self.role_set

    @property
    def role_label(self) -> str:
        return ", ".join(roles.labels(self.role_set)) or "No role"

    @property
    def status(self) -> str:
        """Invited until they set a password from their invitation; deactivated when they leave."""
        if not self.is_active:
            return "Deactivated"
        return "Active" if self.has_usable_password() else "Invited"

    @property
    def is_seconded(self) -> bool:
        """A secondment runs today: staff a partnership leaves with their own council are not seconded."""
        return self.is_seconded_on(timezone.localdate())

    def is_seconded_on(self, day) -> bool:
        # A secondment recorded under a model without secondment (or before the model changed) does
        # not make anyone seconded: the agreement's model decides, not a stored host or row.
        if self.agency is not None and not secondments.counts(self.agency.staffing):
            return False
        # Iterates the related rows so that a list read with prefetch_related("secondments") asks no
        # query per person; without the prefetch this is one query.
        return any(
            s.starts_on <= day and (s.ends_on is None or s.ends_on >= day)
            for s in self.secondments.all()  # type: ignore[attr-defined]
        )


class InformationSharing(models.Model):
    """The agency's information-sharing agreement as rules the record applies (people/sharing.py).
    Until an administrator saves its own, the cautious defaults apply."""

    agency = models.OneToOneField(Agency, models.PROTECT, related_name="information_sharing")
    cross_council = models.CharField(
        "What staff see of another partner council's child",
        max_length=10,
        choices=sharing.CROSS_COUNCIL_CHOICES,
        default=sharing.CrossCouncil.PROFILE,
        help_text="Staff always see their own council's children, and any child allocated to them, in full",
    )
    profile_fields = models.JSONField("Also show in the anonymised profile", default=list, blank=True)
    full_record_roles = models.JSONField(
        "Roles that see every partner council's children in full", default=list, blank=True
    )
    birth_family_roles = models.JSONField(
        "Roles that need birth parents' names and area", default=sharing.default_birth_family_roles, blank=True
    )
    sealed_record_roles = models.JSONField(
        "Roles that may open a sealed adoption record", default=sharing.default_sealed_record_roles, blank=True
    )
    history = HistoricalRecords(bases=[ChangeSummary])

    def __str__(self) -> str:
        return f"Information sharing for {self.agency}"

    def rules(self) -> sharing.SharingRules:
        return sharing.SharingRules(
            cross_council=self.cross_council,
            profile_fields=frozenset(self.profile_fields),
            full_record_roles=frozenset(self.full_record_roles),
            birth_family_roles=frozenset(self.birth_family_roles),
            sealed_record_roles=frozenset(self.sealed_record_roles),
        )


def sharing_rules(agency_id: int) -> sharing.SharingRules:
    saved = InformationSharing.objects.filter(agency_id=agency_id).first()
    return saved.rules() if saved else sharing.SharingRules()


class SealedRolesChange(models.Model):
    """A change to who may open sealed adoption records (InformationSharing.sealed_record_roles). It
    takes effect only when a second administrator of the agency, not the one who proposed it,
    confirms it: no administrator can give their own role (or anyone's) sealed records alone."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="sealed_roles_changes")
    previous_roles = models.JSONField("Roles before the change", default=list)
    roles = models.JSONField("Roles that would open sealed adoption records", default=list)
    proposed_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"Change to who may open sealed records, proposed by {self.proposed_by}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None and self.withdrawn_at is None

    def role_labels(self) -> list[str]:
        return _labels(self.roles)

    def previous_labels(self) -> list[str]:
        return _labels(self.previous_roles)


def _labels(codes) -> list[str]:
    known = {role.value for role in Role}
    return [Role(code).label for code in codes if code in known]


class Secondment(models.Model):
    """A member of staff seconded from the council that employs them into the agency (its host, in a
    hosted agency), on the terms agreed, from its first day to its last. Written only by
    people/staffing.py."""

    user = models.ForeignKey(User, models.PROTECT, related_name="secondments")
    from_council = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name="Seconded from")
    starts_on = models.DateField("From")
    ends_on = models.DateField("Last day", null=True, blank=True)
    terms = models.TextField("Terms", blank=True, help_text="For example who pays, and the notice either side gives")
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="secondment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} seconded from {self.from_council}"


class HeadOfService(models.Model):
    """Who heads the agency's service, term by term (partnership/terms.py): the past stays on record."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="heads_of_service")
    user = models.ForeignKey(User, models.PROTECT, related_name="+")
    starts_on = models.DateField("From")
    ends_on = models.DateField("Last day", null=True, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary])

    class Meta:
        ordering = ["starts_on"]
        verbose_name_plural = "heads of service"
        constraints = [
            models.UniqueConstraint(fields=["agency", "starts_on"], name="one_head_of_service_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="head_of_service_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}, Head of Service of {self.agency}"


def head_of_service_on(agency, day=None) -> User | None:
    day = day or timezone.localdate()
    term = (
        HeadOfService.objects.filter(agency=agency, starts_on__lte=day)
        .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day))
        .select_related("user")
        .first()
    )
    return term.user if term else None
