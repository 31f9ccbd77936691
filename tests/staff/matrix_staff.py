"""Staff accounts for the permission matrix (tests/people/test_permission_matrix.py): one member of
staff per side, whom only the agency's administrators may open."""

from openraa.people.roles import Role
from tests import builders

_ADMINISTER = [("partnership", "change")]


def _pk(region, side):
    return {"pk": region["staff"][side].pk}


RECORD_LOOKUPS = {
    "staff:person": (_pk, _ADMINISTER),
    "staff:deactivate": (_pk, _ADMINISTER),
    "staff:reset-two-factor": (_pk, _ADMINISTER),
    "staff:reinvite": (_pk, _ADMINISTER),
}


def build(region, agencies, councils) -> None:
    region["staff"] = {
        side: builders.user(Role.SUPPORT_WORKER, agency, employer=councils[side], username=f"staff.{side}")
        for side, agency in agencies.items()
    }
