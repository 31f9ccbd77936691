"""Staff: each works for one agency and is employed by one council (seconded when they differ)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.common.history import ChangeSummary
from openraa.partnership.models import Agency, Council
from openraa.people import sharing
from openraa.people.roles import ROLE_CHOICES, Role


class User(AbstractUser):
    agency = models.ForeignKey(Agency, models.PROTECT, null=True, related_name="staff")
    employing_council = models.ForeignKey(Council, models.PROTECT, null=True, related_name="employees")
    role = models.CharField(max_length=30, choices=ROLE_CHOICES, blank=True)
    history = HistoricalRecords(bases=[ChangeSummary], excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "No role"

    @property
    def is_seconded(self) -> bool:
        """Employed by a council other than the agency's host (hosted model secondments)."""
        host_id = self.agency.host_council_id if self.agency else None
        return bool(host_id and self.employing_council_id and self.employing_council_id != host_id)


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
