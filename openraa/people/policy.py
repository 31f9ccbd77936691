"""Applies the declared role policy (roles.py) and the agency's information-sharing rules
(sharing.py) to querysets and objects. Pages, the API and exports all ask here; nothing else decides
who sees a record."""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value

from openraa.common.disclosure import EVERYONE, NOBODY, Viewer
from openraa.partnership.models import Agency, Council
from openraa.people.models import InformationSharing
from openraa.people.models import sharing_rules as saved_rules
from openraa.people.roles import Action, Resource, Scope, scope_for
from openraa.people.sharing import ChildAccess, SharingRules
from openraa.people.sharing import child_access as _child_access


def _usable(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id and user.roles)


def _scope(user, resource: str, action: str):
    """scope_for the user's roles, worked out once per user object (a request's) and question: a
    list page asks it for every row."""
    memo = getattr(user, "_openraa_scopes", None)
    if memo is None:
        memo = user._openraa_scopes = {}
    key = (tuple(user.roles), resource, action)
    if key not in memo:
        memo[key] = scope_for(user.role_set, resource, action)
    return memo[key]


def can(user, resource: str, action: str) -> bool:
    return _usable(user) and _scope(user, resource, action) is not None


def restrict(queryset: QuerySet, user, resource: str, action: str) -> QuerySet:
    """Only the rows the user may act on. Models name their scoping fields:
    `policy_agency_field` and `policy_council_field`."""
    if not _usable(user):
        return queryset.none()
    scope = _scope(user, resource, action)
    if scope is None:
        return queryset.none()
    model = queryset.model
    queryset = queryset.filter(**{model.policy_agency_field: user.agency_id})
    if scope == Scope.OWN_COUNCIL:
        queryset = queryset.filter(**{model.policy_council_field: user.employing_council_id})
    if resource == Resource.CHILD:
        queryset = queryset.filter(_child_rows(user, action, model))
    return queryset


def _reaches(user, obj, resource: str, action: str) -> bool:
    scope = _scope(user, resource, action)
    if scope is None or getattr(obj, obj.policy_agency_field + "_id") != user.agency_id:
        return False
    return scope != Scope.OWN_COUNCIL or getattr(obj, obj.policy_council_field + "_id") == user.employing_council_id


# What each action on a child needs of the information-sharing rules: viewing reaches the profile;
# names need the identity; every other action (change, add, decide) needs the record itself.
_CHILD_ACCESS_NEEDED = {Action.VIEW: ChildAccess.PROFILE, Action.VIEW_RESTRICTED: ChildAccess.IDENTITY}


def can_on(user, obj, resource: str, action: str) -> bool:
    """Whether the user may act on this one object (same rule as restrict)."""
    if not _usable(user) or not _reaches(user, obj, resource, action):
        return False
    if resource == Resource.CHILD:
        if action in (Action.ADD, Action.CHANGE) and obj.adoption_order_on is not None:
            return False  # a sealed record is never changed
        return child_access(user, obj) >= _CHILD_ACCESS_NEEDED.get(action, ChildAccess.RECORD)
    return True


def sharing_rules(user) -> SharingRules:
    """The user's agency's rules, read once per request (kept on the user object)."""
    rules = getattr(user, "_openraa_sharing_rules", None)
    if rules is None:
        rules = user._openraa_sharing_rules = _read_with_user(user) or saved_rules(user.agency_id)
    return rules


def _read_with_user(user) -> SharingRules | None:
    """The rules read in the signed-in user's own query (people/backends.py), when they were."""
    agency = user._state.fields_cache.get("agency") if hasattr(user, "_state") else None
    related = Agency.information_sharing.related
    if agency is None or not related.is_cached(agency):
        return None
    saved = related.get_cached_value(agency)  # None: the agency has not saved its own yet
    return saved.rules() if isinstance(saved, InformationSharing) else SharingRules()


def child_access(user, child) -> ChildAccess:
    """How much of this child's record the user sees (people/sharing.py). A child read through
    `with_child_access` carries the answer to "is it shown in full" and costs no query."""
    if not _usable(user):
        return ChildAccess.NONE
    rules = sharing_rules(user)
    same_council = child.responsible_council_id == user.employing_council_id
    sealed = child.adoption_order_on is not None
    # Read through with_child_access, the row already says whether it is shown in full (being
    # allocated is then one of the reasons, and the only one child_access does not know).
    in_full = getattr(child, "shown_in_full", None)
    if in_full is None:
        in_full = (
            not (same_council or sealed or rules.sees_every_record(user.role_set))
            and child.pk is not None
            and child.allocated_workers.filter(pk=user.pk).exists()
        )  # a form's unsaved probe has no workers
    return _child_access(
        rules,
        roles=user.role_set,
        reaches=_reaches(user, child, Resource.CHILD, Action.VIEW),
        may_view_restricted=_reaches(user, child, Resource.CHILD, Action.VIEW_RESTRICTED),
        same_council=same_council,
        allocated=bool(in_full),
        sealed=sealed,
    )


def _full_record_q(user, children) -> Q:
    """Children (rows of the model `children`, which names its `allocated_workers`) the user sees in
    full, leaving sealed records aside."""
    if sharing_rules(user).sees_every_record(user.role_set):
        return Q()
    allocated = children.allocated_workers.through.objects.filter(child=OuterRef("pk"), user=user.pk)
    return Q(responsible_council=user.employing_council_id) | Q(Exists(allocated))


def children_in_full(queryset: QuerySet, user) -> QuerySet:
    """Only the children shown to the user in full and not sealed: what the API serves (it has no
    anonymised profile, and a sealed record opens only on its page, with a reason)."""
    if not _usable(user):
        return queryset.none()
    return queryset.filter(_full_record_q(user, queryset.model), adoption_order_on__isnull=True)


# What the anonymised profile may show of a child besides the optional fields (people/sharing.py).
_PROFILE_FIELDS = frozenset({"id", "agency", "sibling_group", "stage"})


# Purposes that open more of a record than its pages show, each under its own grant.
STATUTORY_RETURN = "statutory_return"  # the national returns: every child of the agency, never names
# A panel paper or a decision: those who decide see the whole record they decide on (the caller has
# checked that the record is on the agenda the reader decides), the birth family only with its grant.
DECISION = "decision"


def hidden_fields(user, record, *, opened: bool = False, purpose: str | None = None) -> frozenset[str]:
    """The one rule for what a person may see of a record: the names of the fields of `record` the
    user may not see. Every renderer asks here - pages, lists, filters, forms, messages and errors,
    change history, shortlists, API, exports, e-mails - so a field the viewer may not see is never
    in the bytes sent to them. Models declare their restricted fields (`RESTRICTED_FIELDS`) and the
    resource whose `view_restricted` grant opens them (`policy_resource`); a part of a record (an
    applicant of a household, a case note) names its owner in `policy_owner`. A sealed child's record is hidden
    but for its reference and stage unless the reader opened it with a stated reason (`opened`).
    `purpose` STATUTORY_RETURN: what the returns grant opens for a child-level return file, the
    record without names or birth family."""
    owner = getattr(type(record), "policy_owner", None)
    if owner:
        parent = getattr(record, owner)
        hidden = hidden_fields(user, parent, opened=opened)
        # A part says which of its owner's hidden fields hide it (a case note or document asks
        # more: whether the record itself is shown, and its restricted details if it is restricted).
        hidden_with = getattr(record, "policy_hidden_with", None)
        whole = hidden_with(user, hidden) if hidden_with else type(record).policy_owner_field in hidden
        return _all_fields(type(record)) if whole else frozenset()
    resource = getattr(type(record), "policy_resource", None)
    if purpose == DECISION:
        if (
            not _usable(user)
            or not can(user, Resource.PANEL, Action.VIEW)
            or getattr(record, type(record).policy_agency_field + "_id", None) != user.agency_id
        ):
            return _all_fields(type(record))
        if getattr(record, "sealed", False) and not opened:
            return _all_fields(type(record)) - _PROFILE_FIELDS
        if resource == Resource.CHILD and not sees_birth_family(user):
            return frozenset(type(record).BIRTH_FAMILY_FIELDS)
        return frozenset()
    if purpose == STATUTORY_RETURN:
        if not (_usable(user) and _reaches(user, record, Resource.RETURNS, Action.VIEW)) or (
            getattr(record, "sealed", False) and not opened
        ):
            return _all_fields(type(record)) - _PROFILE_FIELDS
        return frozenset(getattr(type(record), "RESTRICTED_FIELDS", ()))
    if resource == Resource.CHILD:
        return _hidden_of_child(user, record, opened)
    restricted = frozenset(getattr(type(record), "RESTRICTED_FIELDS", ()))
    if not restricted or (resource and can_on(user, record, resource, Action.VIEW_RESTRICTED)):
        return frozenset()
    return restricted


def _hidden_of_child(user, child, opened: bool) -> frozenset[str]:
    in_full = getattr(child, "shown_in_full", None)
    if in_full is None:
        return _hidden_of_child_now(user, child, opened)
    # A list asks for every row: rows alike in all the answer depends on share it (per request).
    key = (
        type(child),
        child.agency_id,
        child.responsible_council_id,
        in_full,
        child.adoption_order_on is not None,
        opened,
        user.agency_id,
        user.employing_council_id,
        user.is_active,
        tuple(user.roles),
    )
    memo = getattr(user, "_openraa_hidden_of_child", None)
    if memo is None:
        memo = user._openraa_hidden_of_child = {}
    if key not in memo:
        memo[key] = _hidden_of_child_now(user, child, opened)
    return memo[key]


def _hidden_of_child_now(user, child, opened: bool) -> frozenset[str]:
    access = child_access(user, child)
    model = type(child)
    if access <= ChildAccess.PROFILE or (child.sealed and not opened):
        shown = set(_PROFILE_FIELDS)
        if access == ChildAccess.PROFILE:
            shown |= sharing_rules(user).profile_fields
        return _all_fields(model) - shown
    if access == ChildAccess.RECORD:
        return frozenset(model.RESTRICTED_FIELDS)
    if access == ChildAccess.IDENTITY:
        return frozenset(model.BIRTH_FAMILY_FIELDS)
    return frozenset()


_ALL_FIELDS: dict[type, frozenset[str]] = {}


def _all_fields(model) -> frozenset[str]:
    if model not in _ALL_FIELDS:
        _ALL_FIELDS[model] = frozenset(f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many))
    return _ALL_FIELDS[model]


def sees_birth_family(user) -> bool:
    """The role may see birth families' names and area (on the children it sees in full)."""
    return can(user, Resource.CHILD, Action.VIEW_RESTRICTED) and sharing_rules(user).sees_birth_family(user.role_set)


def _child_rows(user, action: str, children) -> Q:
    sealed = Q(adoption_order_on__isnull=False)
    may_open_sealed = sharing_rules(user).opens_sealed(user.role_set)
    if action == Action.VIEW:
        return Q() if may_open_sealed else ~sealed
    in_full = _full_record_q(user, children) & ~sealed
    if action in (Action.ADD, Action.CHANGE) or not may_open_sealed:
        return in_full
    return in_full | sealed


def with_child_access(queryset: QuerySet, user) -> QuerySet:
    """Children annotated with `shown_in_full`, which `child_access` then reads without a query."""
    rows = _child_rows(user, Action.VIEW_RESTRICTED, queryset.model)
    return queryset.annotate(
        shown_in_full=ExpressionWrapper(rows, output_field=BooleanField()) if rows else Value(True)
    )


def councils_for(user, resource: str, action: str) -> QuerySet:
    """Councils whose records the user may act on: the agency's current members, or only the
    user's own council when the grant is own-council."""
    if not _usable(user):
        return Council.objects.none()
    scope = _scope(user, resource, action)
    if scope is None:
        return Council.objects.none()
    councils = user.agency.member_councils()
    if scope == Scope.OWN_COUNCIL:
        councils = councils.filter(pk=user.employing_council_id)
    return councils


def disclosure_viewer(user) -> Viewer:
    """The one decision of whose counts a user sees exactly; every aggregate page, API answer and
    file asks here. A council is exact when the user sees that council's records in full: the
    role reaches them (people/roles.py) and the information-sharing agreement shows them whole
    (people/sharing.py), or the user may download the child-level national return."""
    if not can(user, "aggregates", "view"):
        return NOBODY
    if can(user, "returns", "view"):  # the child-level file of every council's children
        return EVERYONE
    child_scope = scope_for(user.role_set, "child", "view")
    all_children, children = False, frozenset[str]()
    if child_scope is not None:
        if child_scope == Scope.AGENCY and sharing_rules(user).sees_every_record(user.role_set):
            all_children = True
        else:  # everyone sees their own council's children in full, and only those
            reached = councils_for(user, "child", "view").filter(pk=user.employing_council_id)
            children = frozenset(reached.values_list("ons_code", flat=True))
    # Households have no council-level sharing rule: a household grant reaches every council's.
    household_scope = scope_for(user.role_set, "household", "view")
    all_households = household_scope == Scope.AGENCY
    households = frozenset[str]()
    if household_scope == Scope.OWN_COUNCIL:
        households = frozenset(councils_for(user, "household", "view").values_list("ons_code", flat=True))
    return Viewer(children, households, all_children, all_households)
