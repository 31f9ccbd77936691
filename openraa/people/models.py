"""Staff: each works for one agency and is employed by one council (seconded when they differ)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from openraa.audit.history import ChangeSummary
from openraa.partnership.models import Agency, Council
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
