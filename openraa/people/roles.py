"""Who may do what: the one declared policy every page, API call and export obeys. Pure Python.

A grant is (resource, action) -> scope. No grant means no access: deny by default.
"""

from collections.abc import Collection
from enum import StrEnum
from typing import Final


class Role(StrEnum):
    FAMILY_FINDER = "family_finder"
    RECRUITMENT_ASSESSMENT = "recruitment_assessment"
    TEAM_MANAGER = "team_manager"
    PANEL_ADVISER = "panel_adviser"
    ADM = "adm"
    SOCIAL_WORKER = "social_worker"
    FINANCE_OFFICER = "finance_officer"
    BOARD_MEMBER = "board_member"
    ADMINISTRATOR = "administrator"
    SUPPORT_WORKER = "support_worker"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.FAMILY_FINDER: "Family finder",
    Role.RECRUITMENT_ASSESSMENT: "Recruitment and assessment worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.PANEL_ADVISER: "Panel adviser",
    Role.ADM: "Agency decision maker",
    Role.SOCIAL_WORKER: "Council children's social worker",
    Role.FINANCE_OFFICER: "Finance officer",
    Role.BOARD_MEMBER: "Board member",
    Role.ADMINISTRATOR: "Administrator",
    Role.SUPPORT_WORKER: "Adoption support worker",
}
ROLE_CHOICES = [(role.value, role.label) for role in Role]


class Scope(StrEnum):
    AGENCY = "agency"  # every record of the user's agency
    OWN_COUNCIL = "own_council"  # records of the user's employing council within the agency


class Resource(StrEnum):
    CHILD = "child"
    HOUSEHOLD = "household"
    AGGREGATES = "aggregates"  # counts with no record behind them
    AUDIT = "audit"
    PARTNERSHIP = "partnership"
    DRIFT = "drift"  # overdue and due-soon timescales of the records one may see
    CASELOADS = "caseloads"  # drift and caseloads across the whole agency
    PANEL = "panel"  # panel meetings, members, agenda items and recommendations
    MATCHING = "matching"  # shortlists, the regional suggestion, interests, visits and links
    INTERCHANGE = "interchange"  # SSDA903 imports (upload page, import runs and their reason reports)
    RETURNS = "returns"  # child-level and adopter-level files of the national quarterly return
    FINANCE = "finance"  # budgets, recharges, costs, fee ledger, support fund applications (money per child)
    SUPPORT = "support"  # adoption support: requests, assessments of need, plans, commissioned services, reviews
    PERMANENCE = "permanence"  # long-term fostering, connected persons and special guardianship plans and carers
    GOVERNANCE = "governance"  # agreements, documents, boards, meetings, decisions, actions, workstreams
    COMPLAINTS = "complaints"  # complaints and inter-country adoption cases: records about people


class Action(StrEnum):
    VIEW = "view"
    VIEW_RESTRICTED = "view_restricted"  # names and birth-family details
    ADD = "add"
    CHANGE = "change"
    DECIDE = "decide"  # the agency decision maker's decisions
    CONFIGURE = "configure"  # the agency's own settings for a resource (matching weights and sharing)


def agency_wide(*actions: Action) -> dict[Action, Scope]:
    """The actions granted on every record of the user's agency."""
    return dict.fromkeys(actions, Scope.AGENCY)


def own_council(*actions: Action) -> dict[Action, Scope]:
    """The actions granted on the records of the user's employing council only."""
    return dict.fromkeys(actions, Scope.OWN_COUNCIL)


# Short names for the table below, so that each grant reads as one line.
VIEW, VIEW_RESTRICTED, ADD, CHANGE = Action.VIEW, Action.VIEW_RESTRICTED, Action.ADD, Action.CHANGE
DECIDE, CONFIGURE = Action.DECIDE, Action.CONFIGURE

# The whole policy, written out role by role: a role, resource or action missing here is refused.
# Resources come in the same order in every role. Rules that hold across roles (tests/people/test_policy_table.py
# checks the first two):
# - everyone signed in sees their own agency's aggregate counts (board members and finance officers see
#   money only there, never per child);
# - drift and caseloads are derived, never granted on their own: the drift pages show only records the
#   child and household grants already reach (they restrict through them). Drift: anyone who views
#   children or households, at the wider of the two scopes. Caseloads: only those who view both across
#   the whole agency;
# - governance records hold no personal data: the board and managers read them, administrators keep them.
#   Complaints and inter-country cases are about people: managers and administrators only.
POLICY: Final[dict[Role, dict[Resource, dict[Action, Scope]]]] = {
    Role.FAMILY_FINDER: {
        Resource.CHILD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED),
        Resource.PANEL: agency_wide(VIEW),
        Resource.MATCHING: agency_wide(VIEW, CHANGE),
        Resource.PERMANENCE: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    Role.RECRUITMENT_ASSESSMENT: {
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.PANEL: agency_wide(VIEW),
        Resource.PERMANENCE: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    Role.TEAM_MANAGER: {
        Resource.CHILD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.PANEL: agency_wide(VIEW, ADD, CHANGE),
        Resource.MATCHING: agency_wide(VIEW, CHANGE, CONFIGURE),
        Resource.PERMANENCE: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.SUPPORT: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.RETURNS: agency_wide(VIEW),
        Resource.FINANCE: agency_wide(VIEW),
        Resource.GOVERNANCE: agency_wide(VIEW),
        Resource.COMPLAINTS: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    # Panel advisers and decision makers read the record, not the birth family's identity.
    Role.PANEL_ADVISER: {
        Resource.CHILD: agency_wide(VIEW),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED),
        Resource.PANEL: agency_wide(VIEW, ADD, CHANGE),
        Resource.MATCHING: agency_wide(VIEW),
        Resource.PERMANENCE: agency_wide(VIEW),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    Role.ADM: {
        Resource.CHILD: agency_wide(VIEW),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED),
        Resource.PANEL: agency_wide(VIEW, DECIDE),
        Resource.MATCHING: agency_wide(VIEW),
        Resource.PERMANENCE: agency_wide(VIEW, DECIDE),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    # The council's social worker keeps care planning, wider permanence included, for their own
    # council's children.
    Role.SOCIAL_WORKER: {
        Resource.CHILD: own_council(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.PERMANENCE: own_council(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.DRIFT: own_council(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    # Finance officers keep the money records and read adoption support for its commissioned costs and
    # Support Fund money.
    Role.FINANCE_OFFICER: {
        Resource.SUPPORT: agency_wide(VIEW),
        Resource.FINANCE: agency_wide(VIEW, ADD, CHANGE),
        Resource.GOVERNANCE: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    Role.BOARD_MEMBER: {
        Resource.GOVERNANCE: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    # Support workers run adoption support; they read adoptive families and, in full, their own
    # council's children; after the order, the sealed records the information-sharing agreement opens
    # to them (birth records access).
    Role.SUPPORT_WORKER: {
        Resource.CHILD: agency_wide(VIEW, VIEW_RESTRICTED),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED),
        Resource.SUPPORT: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
    Role.ADMINISTRATOR: {
        Resource.CHILD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.HOUSEHOLD: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.PANEL: agency_wide(VIEW, ADD, CHANGE),
        Resource.MATCHING: agency_wide(VIEW, CHANGE, CONFIGURE),
        Resource.PERMANENCE: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.SUPPORT: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        Resource.RETURNS: agency_wide(VIEW),
        Resource.INTERCHANGE: agency_wide(VIEW, ADD),
        Resource.FINANCE: agency_wide(VIEW, ADD, CHANGE),
        Resource.GOVERNANCE: agency_wide(VIEW, ADD, CHANGE),
        Resource.COMPLAINTS: agency_wide(VIEW, VIEW_RESTRICTED, ADD, CHANGE),
        # The agency's own settings (timescale targets, sharing) and its administration: councils joining and
        # leaving, host and commissioning terms, bases, teams, the Head of Service and secondments.
        Resource.PARTNERSHIP: agency_wide(VIEW, CHANGE),
        Resource.AUDIT: agency_wide(VIEW),
        Resource.DRIFT: agency_wide(VIEW),
        Resource.CASELOADS: agency_wide(VIEW),
        Resource.AGGREGATES: agency_wide(VIEW),
    },
}


# Wider scopes first: one person holding several roles acts at the widest scope any of them grants.
_WIDEST_FIRST = (Scope.AGENCY, Scope.OWN_COUNCIL)


def scope_for(roles: Collection[str], resource: str, action: str) -> Scope | None:
    """The widest scope the roles (one person may hold several) give for an action on a resource,
    or None: no access. Unknown roles grant nothing."""
    try:
        wanted_resource, wanted_action = Resource(resource), Action(action)
    except ValueError:
        return None
    granted = {
        POLICY[Role(role)].get(wanted_resource, {}).get(wanted_action)
        for role in roles
        if role in Role.__members__.values()
    }
    return next((scope for scope in _WIDEST_FIRST if scope in granted), None)


def scope_of(role: str | None, resource: str, action: str) -> Scope | None:
    """The scope one role holds for an action on a resource, or None: no access."""
    return scope_for((role,) if role else (), resource, action)


def roles_granted(resource: str, action: str) -> list[Role]:
    """The roles that hold any grant for this action (who may be allocated a child, say)."""
    return [role for role in Role if scope_of(role, resource, action) is not None]


# Roles one person may not hold together, and why: the agency decision maker decides on the panel's
# recommendation independently of the panel (Adoption Agencies Regulations 2005, regs 19 and 33), so
# must not also advise it; and the person who runs the partnership's accounts and audit log should
# not also be the one making statutory decisions recorded in them.
INCOMPATIBLE: Final[dict[frozenset[Role], str]] = {
    frozenset({Role.ADM, Role.PANEL_ADVISER}): (
        "An agency decision maker cannot also be a panel adviser: the decision is made independently of the panel"
    ),
    frozenset({Role.ADM, Role.ADMINISTRATOR}): (
        "An agency decision maker cannot also be an administrator, who keeps the audit log of the decisions"
    ),
}


def role_problems(roles: Collection[str]) -> list[str]:
    """Why this set of roles cannot be given to one person; empty when it can."""
    problems = [f"Unknown role {role!r}" for role in roles if role not in Role.__members__.values()]
    if not roles:
        problems.append("Give at least one role")
    held = set(roles)
    problems += [reason for pair, reason in INCOMPATIBLE.items() if pair <= held]
    return problems


def labels(roles: Collection[str]) -> list[str]:
    """The roles' labels in the table's order."""
    return [role.label for role in Role if role in roles]
