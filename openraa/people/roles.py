"""Who may do what: the one declared policy every page, API call and export obeys. Pure Python.

A grant is (resource, action) -> scope. No grant means no access: deny by default.
"""

from enum import StrEnum


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


A, C = Scope.AGENCY, Scope.OWN_COUNCIL
_VIEW, _RESTRICTED, _ADD, _CHANGE = Action.VIEW, Action.VIEW_RESTRICTED, Action.ADD, Action.CHANGE
_ALL = {_VIEW: A, _RESTRICTED: A, _ADD: A, _CHANGE: A}
_RUN_PANELS = {_VIEW: A, _ADD: A, _CHANGE: A}

POLICY: dict[Role, dict[Resource, dict[Action, Scope]]] = {
    Role.FAMILY_FINDER: {Resource.CHILD: _ALL, Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
                         Resource.PANEL: {_VIEW: A}, Resource.MATCHING: {_VIEW: A, _CHANGE: A}},
    Role.RECRUITMENT_ASSESSMENT: {Resource.HOUSEHOLD: _ALL, Resource.PANEL: {_VIEW: A}},
    Role.TEAM_MANAGER: {Resource.CHILD: _ALL, Resource.HOUSEHOLD: _ALL, Resource.PANEL: _RUN_PANELS,
                        Resource.MATCHING: {_VIEW: A, _CHANGE: A, Action.CONFIGURE: A}, Resource.RETURNS: {_VIEW: A}},
    # Panel advisers and decision makers read the record, not the birth family's identity.
    Role.PANEL_ADVISER: {Resource.CHILD: {_VIEW: A}, Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
                         Resource.PANEL: _RUN_PANELS, Resource.MATCHING: {_VIEW: A}},
    Role.ADM: {Resource.CHILD: {_VIEW: A}, Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A},
               Resource.PANEL: {_VIEW: A, Action.DECIDE: A}, Resource.MATCHING: {_VIEW: A}},
    Role.SOCIAL_WORKER: {Resource.CHILD: {_VIEW: C, _RESTRICTED: C, _ADD: C, _CHANGE: C}},
    Role.FINANCE_OFFICER: {},
    Role.BOARD_MEMBER: {},
    # Support workers read adoptive families and, in full, their own council's children; after the
    # order, the sealed records the information-sharing agreement opens to them (birth records access).
    Role.SUPPORT_WORKER: {Resource.CHILD: {_VIEW: A, _RESTRICTED: A}, Resource.HOUSEHOLD: {_VIEW: A, _RESTRICTED: A}},
    Role.ADMINISTRATOR: {
        Resource.CHILD: _ALL,
        Resource.HOUSEHOLD: _ALL,
        Resource.AUDIT: {_VIEW: A},
        Resource.PARTNERSHIP: {_VIEW: A, _CHANGE: A},  # the agency's own settings, such as its timescale targets
        Resource.PANEL: _RUN_PANELS,
        Resource.MATCHING: {_VIEW: A, _CHANGE: A, Action.CONFIGURE: A},
        Resource.INTERCHANGE: {_VIEW: A, _ADD: A},
        Resource.RETURNS: {_VIEW: A},
    },
}
# Finance: finance officers and administrators keep the money records; team managers read them.
# Board members see money only in aggregate, through the aggregates grant (never per child).
for _role, _finance in ((Role.FINANCE_OFFICER, {_VIEW: A, _ADD: A, _CHANGE: A}),
                        (Role.ADMINISTRATOR, {_VIEW: A, _ADD: A, _CHANGE: A}), (Role.TEAM_MANAGER, {_VIEW: A})):
    POLICY[_role][Resource.FINANCE] = _finance
# Adoption support: support workers run the cases; team managers and administrators too; finance
# officers read them (commissioned costs and Support Fund money).
for _role, _support in ((Role.SUPPORT_WORKER, _ALL), (Role.TEAM_MANAGER, _ALL), (Role.ADMINISTRATOR, _ALL),
                        (Role.FINANCE_OFFICER, {_VIEW: A})):
    POLICY[_role][Resource.SUPPORT] = _support
# Wider permanence: the agency's family finding and assessment staff run it; the council's social
# worker keeps care planning for their own council's children; decision makers decide.
for _role, _permanence in ((Role.FAMILY_FINDER, _ALL), (Role.RECRUITMENT_ASSESSMENT, _ALL), (Role.TEAM_MANAGER, _ALL),
                           (Role.ADMINISTRATOR, _ALL), (Role.SOCIAL_WORKER, {_VIEW: C, _RESTRICTED: C, _ADD: C, _CHANGE: C}),
                           (Role.ADM, {_VIEW: A, Action.DECIDE: A}), (Role.PANEL_ADVISER, {_VIEW: A})):
    POLICY[_role][Resource.PERMANENCE] = _permanence
# Governance records hold no personal data: the board and managers read them, administrators keep them.
# Complaints and inter-country cases are about people: managers and administrators only.
for _role, _governance in ((Role.ADMINISTRATOR, {_VIEW: A, _ADD: A, _CHANGE: A}), (Role.TEAM_MANAGER, {_VIEW: A}),
                           (Role.BOARD_MEMBER, {_VIEW: A}), (Role.FINANCE_OFFICER, {_VIEW: A})):
    POLICY[_role][Resource.GOVERNANCE] = _governance
for _role in (Role.ADMINISTRATOR, Role.TEAM_MANAGER):
    POLICY[_role][Resource.COMPLAINTS] = _ALL
# Everyone signed in sees their own agency's aggregate counts.
for _grants in POLICY.values():
    _grants.setdefault(Resource.AGGREGATES, {_VIEW: A})
# Derived, never granted on their own: drift pages show only records the child and household grants
# already reach (the pages restrict through them). Drift: anyone who may view children or
# households. Caseloads: only those who view both across the whole agency.
for _grants in POLICY.values():
    _scopes = {_grants.get(r, {}).get(_VIEW) for r in (Resource.CHILD, Resource.HOUSEHOLD)} - {None}
    if _scopes:
        _grants[Resource.DRIFT] = {_VIEW: A if A in _scopes else C}
    if all(_grants.get(r, {}).get(_VIEW) == A for r in (Resource.CHILD, Resource.HOUSEHOLD)):
        _grants[Resource.CASELOADS] = {_VIEW: A}


def scope_of(role: str | None, resource: str, action: str) -> Scope | None:
    """The scope a role holds for an action on a resource, or None: no access."""
    try:
        return POLICY[Role(role)].get(Resource(resource), {}).get(Action(action))
    except ValueError:
        return None
