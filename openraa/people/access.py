"""What one member of staff may see and do, and why, read off the policy table (roles.py) and the
agency's information-sharing rules (sharing.py). Pure Python: the staff administrator's "access"
page and its tests ask the same two sources every page obeys, so the explanation cannot drift
from what is enforced."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from openraa.people.roles import Action, Resource, Role, Scope, labels, scope_for
from openraa.people.sharing import CrossCouncil, SharingRules

RESOURCE_LABELS: dict[Resource, str] = {
    Resource.CHILD: "Children's records",
    Resource.HOUSEHOLD: "Adopters' records (households)",
    Resource.AGGREGATES: "Counts and charts (no record behind them)",
    Resource.AUDIT: "The audit log",
    Resource.PARTNERSHIP: "The partnership's settings and staff",
    Resource.DRIFT: "Overdue and due-soon timescales",
    Resource.CASELOADS: "Caseloads across the agency",
    Resource.PANEL: "Panels: meetings, agendas and recommendations",
    Resource.MATCHING: "Family finding and matching",
    Resource.INTERCHANGE: "SSDA903 imports",
    Resource.RETURNS: "The national quarterly return",
    Resource.FINANCE: "Finance",
    Resource.SUPPORT: "Adoption support",
    Resource.PERMANENCE: "Wider permanence (fostering, connected persons, special guardianship)",
    Resource.GOVERNANCE: "Governance: agreements, boards, decisions",
    Resource.COMPLAINTS: "Complaints and inter-country adoption cases",
}
ACTION_LABELS: dict[Action, str] = {
    Action.VIEW: "view",
    Action.VIEW_RESTRICTED: "see names",
    Action.ADD: "add",
    Action.CHANGE: "change",
    Action.DECIDE: "decide",
    Action.CONFIGURE: "set the agency's rules",
}
SCOPE_LABELS: dict[Scope, str] = {
    Scope.AGENCY: "every partner council's records",
    Scope.OWN_COUNCIL: "their employing council's records only",
}


@dataclass(frozen=True)
class Grant:
    area: str
    actions: tuple[str, ...]
    scope: str


@dataclass(frozen=True)
class Access:
    role: str  # the roles' labels
    grants: tuple[Grant, ...]
    refused: tuple[str, ...]  # the areas no role has a grant on: deny by default
    children: tuple[str, ...]  # what of a child's record they see, and why


def explain(roles: Collection[str], rules: SharingRules) -> Access:
    """The access one person holding these roles has in an agency with these sharing rules: the
    widest grant among their roles for each action, as the policy applies it. No role holds nothing."""
    held = frozenset(r for r in roles if r in Role.__members__.values())
    if not held:
        return Access("No role", (), tuple(RESOURCE_LABELS.values()), ("No role: nothing is shown.",))
    grants = []
    refused = []
    for resource, label in RESOURCE_LABELS.items():
        scopes = {action: scope_for(held, resource, action) for action in Action}
        if not any(scopes.values()):
            refused.append(label)
        for scope in Scope:
            granted = tuple(ACTION_LABELS[a] for a in Action if scopes[a] == scope)
            if granted:
                grants.append(Grant(label, granted, SCOPE_LABELS[scope]))
    return Access(", ".join(labels(held)), tuple(grants), tuple(refused), _children(held, rules))


def _children(roles: frozenset[str], rules: SharingRules) -> tuple[str, ...]:
    if scope_for(roles, Resource.CHILD, Action.VIEW) is None:
        return ("No children's records: no role of theirs has a grant on them.",)
    lines = ["Their own council's children, and any child allocated to them: the whole record."]
    if rules.sees_every_record(roles):
        why = (
            "the agreement shares whole records across councils"
            if rules.cross_council == CrossCouncil.RECORD
            else "the agreement names one of their roles as seeing every council's children in full"
        )
        lines.append(f"Other partner councils' children: the whole record, because {why}.")
    else:
        lines.append("Other partner councils' children: the anonymised family-finding profile only (the agreement).")
    if scope_for(roles, Resource.CHILD, Action.VIEW_RESTRICTED) is not None:
        lines.append("Children's names: yes (a role's grant to see names).")
        if rules.sees_birth_family(roles):
            lines.append("Birth parents' names and area: yes, the agreement names one of their roles as needing them.")
        else:
            lines.append("Birth parents' names and area: no, the agreement names none of their roles.")
    else:
        lines.append("Children's names: no, no role of theirs has a grant to see names.")
    if rules.opens_sealed(roles):
        lines.append("Sealed records (after the adoption order): may open one, with a stated reason, audited.")
    else:
        lines.append("Sealed records (after the adoption order): never, the agreement names none of their roles.")
    return tuple(lines)
