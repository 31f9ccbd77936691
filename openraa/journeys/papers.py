"""Panel papers: the whole record of each child and household a panel or a decision maker decides
on, for those who decide. Those who decide see what they decide (not the anonymised profile), names
included; birth-family fields only for the roles the information-sharing agreement names.
Every paper opened is audited."""

from datetime import date

from openraa.children.models import Child
from openraa.households.models import Household
from openraa.journeys.models import PanelMember
from openraa.people import policy
from openraa.people.roles import Role

# Who reads papers: panel advisers and decision makers by role, and panel members who are users.
PAPER_ROLES = frozenset({Role.PANEL_ADVISER, Role.ADM})
_LEFT_OUT = {"id", "agency", "version", "stage", "sibling_group", "household", "early_permanence_household"}


def may_read_papers(user) -> bool:
    if not policy.can(user, "panel", "view"):
        return False
    return (
        not PAPER_ROLES.isdisjoint(user.role_set)
        or PanelMember.objects.filter(agency=user.agency_id, user=user, active=True).exists()
    )


def _shown(value) -> str:
    if value in (None, "", []):
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _rows(record, hidden: frozenset[str]) -> list[tuple[str, str]]:
    rows = []
    for field in record._meta.concrete_fields:
        if field.name in _LEFT_OUT or field.name in hidden:
            continue
        value = getattr(record, f"get_{field.name}_display")() if field.choices else getattr(record, field.name)
        rows.append((field.verbose_name[:1].upper() + field.verbose_name[1:], _shown(value)))
    return rows


def child_paper(child: Child, user) -> dict:
    hidden = policy.hidden_fields(user, child, purpose=policy.DECISION)
    birth_family = not hidden & set(Child.BIRTH_FAMILY_FIELDS)
    rows = _rows(child, hidden)
    if birth_family:
        rows.append(("Excluded areas", _shown([str(c) for c in child.excluded_councils.all()])))
    return {
        "rows": rows,
        "needs": [(n.get_need_display(), n.get_severity_display()) for n in child.needs.all()],
        "birth_family_shown": birth_family,
    }


def household_paper(household: Household, user) -> dict:
    hidden = policy.hidden_fields(user, household, purpose=policy.DECISION)
    return {
        "rows": _rows(household, hidden),
        "applicants": [] if "applicants" in hidden else list(household.applicants.all()),
        "needs": [
            (c.get_need_display(), c.get_level_display()) for c in household.capabilities.all() if c.level != "none"
        ],
    }
