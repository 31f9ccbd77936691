"""What one member of staff may see of one child: the information-sharing agreement's rules. Pure Python.

The role policy (roles.py) says which records a role reaches at all; these rules say how much of a
child's record it sees there. Each agency sets them (people.models.InformationSharing); the defaults
are the cautious reading of a regional information-sharing agreement:

- the responsible council's own staff, and agency staff allocated to the child, see the record;
- everyone else whose role reaches the child sees an anonymised family-finding profile: age band,
  needs, sibling group and stage, no name, no birth family, no address;
- names need the role's `view_restricted` grant; birth parents' names and area need, besides, a role
  the agreement names as needing them;
- after the adoption order the record is sealed: only the roles the agreement names may open it,
  each read with a stated reason and audited; nobody may change it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from openraa.common import ages
from openraa.people.roles import Role


class ChildAccess(IntEnum):
    NONE = 0
    PROFILE = 1  # the anonymised family-finding profile
    RECORD = 2  # the record without identities (what panel advisers and decision makers read)
    IDENTITY = 3  # and the child's name and where the child lives now
    BIRTH_FAMILY = 4  # and the birth parents' names and area


class CrossCouncil:
    PROFILE = "profile"
    RECORD = "record"


CROSS_COUNCIL_CHOICES = [
    (CrossCouncil.PROFILE, "The anonymised family-finding profile (age band, needs, sibling group, stage)"),
    (CrossCouncil.RECORD, "The whole record, as for their own council's children"),
]
# Profile fields an agency may add to the anonymised profile (reference, age band, needs, sibling
# group and stage are always in it).
PROFILE_OPTIONAL = {"sex": "Sex", "ethnicity": "Ethnicity", "responsible_council": "Responsible council"}

DEFAULT_BIRTH_FAMILY_ROLES = frozenset({Role.SOCIAL_WORKER, Role.FAMILY_FINDER, Role.TEAM_MANAGER})
DEFAULT_SEALED_RECORD_ROLES = frozenset({Role.TEAM_MANAGER, Role.SUPPORT_WORKER})


def default_birth_family_roles() -> list[str]:
    return sorted(DEFAULT_BIRTH_FAMILY_ROLES)


def default_sealed_record_roles() -> list[str]:
    return sorted(DEFAULT_SEALED_RECORD_ROLES)


@dataclass(frozen=True)
class SharingRules:
    cross_council: str = CrossCouncil.PROFILE
    profile_fields: frozenset[str] = field(default_factory=frozenset)
    full_record_roles: frozenset[str] = field(default_factory=frozenset)
    birth_family_roles: frozenset[str] = DEFAULT_BIRTH_FAMILY_ROLES
    sealed_record_roles: frozenset[str] = DEFAULT_SEALED_RECORD_ROLES

    def sees_every_record(self, roles: Collection[str]) -> bool:
        """Whether one of these roles sees every partner council's children in full (not only its own)."""
        return self.cross_council == CrossCouncil.RECORD or not self.full_record_roles.isdisjoint(roles)

    def sees_birth_family(self, roles: Collection[str]) -> bool:
        return not self.birth_family_roles.isdisjoint(roles)

    def opens_sealed(self, roles: Collection[str]) -> bool:
        return not self.sealed_record_roles.isdisjoint(roles)


def child_access(
    rules: SharingRules,
    *,
    roles: Collection[str],
    reaches: bool,
    may_view_restricted: bool,
    same_council: bool,
    allocated: bool,
    sealed: bool,
) -> ChildAccess:
    """How much of one child's record one member of staff, holding these roles, sees.

    `reaches`: the role policy lets the user view this child at all (agency and scope).
    `sealed`: the child's adoption order has been made.
    """
    if not reaches:
        return ChildAccess.NONE
    if sealed:
        if not rules.opens_sealed(roles):
            return ChildAccess.NONE
    elif not (same_council or allocated or rules.sees_every_record(roles)):
        return ChildAccess.PROFILE
    if not may_view_restricted:
        return ChildAccess.RECORD
    return ChildAccess.BIRTH_FAMILY if rules.sees_birth_family(roles) else ChildAccess.IDENTITY


def age_band(date_of_birth: date, today: date) -> str:
    return ages.age_band(ages.age_in_years(date_of_birth, today))
