"""What one member of staff may see and do, and why, read off the policy table (roles.py) and the
agency's information-sharing rules (sharing.py). Pure Python: the staff administrator's "access"
page and its tests ask the same two sources every page obeys, so the explanation cannot drift
from what is enforced."""

from __future__ import annotations

from dataclasses import dataclass

from openraa.people.roles import POLICY, Action, Resource, Role, Scope
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
    role: str
    grants: tuple[Grant, ...]
    refused: tuple[str, ...]  # the areas the role has no grant on: deny by default
    children: tuple[str, ...]  # what of a child's record they see, and why


def explain(role: str, rules: SharingRules) -> Access:
    """The access a role holds in an agency with these sharing rules; no role holds nothing."""
    try:
        known = Role(role)
    except ValueError:
        return Access("No role", (), tuple(RESOURCE_LABELS.values()), ("No role: nothing is shown.",))
    table = POLICY[known]
    grants = []
    for resource, label in RESOURCE_LABELS.items():
        actions = table.get(resource, {})
        for scope in Scope:
            granted = tuple(ACTION_LABELS[a] for a in Action if actions.get(a) == scope)
            if granted:
                grants.append(Grant(label, granted, SCOPE_LABELS[scope]))
    refused = tuple(label for resource, label in RESOURCE_LABELS.items() if not table.get(resource))
    return Access(known.label, tuple(grants), refused, _children(known, rules))


def _children(role: Role, rules: SharingRules) -> tuple[str, ...]:
    grant = POLICY[role].get(Resource.CHILD, {})
    if Action.VIEW not in grant:
        return ("No children's records: the role has no grant on them.",)
    lines = ["Their own council's children, and any child allocated to them: the whole record."]
    if rules.sees_every_record(role):
        why = (
            "the agreement shares whole records across councils"
            if rules.cross_council == CrossCouncil.RECORD
            else "the agreement names this role as seeing every council's children in full"
        )
        lines.append(f"Other partner councils' children: the whole record, because {why}.")
    else:
        lines.append("Other partner councils' children: the anonymised family-finding profile only (the agreement).")
    if Action.VIEW_RESTRICTED in grant:
        lines.append("Children's names: yes (the role's grant to see names).")
        if role in rules.birth_family_roles:
            lines.append("Birth parents' names and area: yes, the agreement names this role as needing them.")
        else:
            lines.append("Birth parents' names and area: no, the agreement does not name this role.")
    else:
        lines.append("Children's names: no, the role has no grant to see names.")
    if role in rules.sealed_record_roles:
        lines.append("Sealed records (after the adoption order): may open one, with a stated reason, audited.")
    else:
        lines.append("Sealed records (after the adoption order): never, the agreement does not name this role.")
    return tuple(lines)
