"""Applies the declared role policy (roles.py) to querysets and objects. Pages, the API and
exports all ask here; nothing else decides who sees a record."""

from django.db.models import QuerySet

from openraa.people.roles import Scope, scope_of


def _usable(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id and user.role)


def can(user, resource: str, action: str) -> bool:
    return _usable(user) and scope_of(user.role, resource, action) is not None


def restrict(queryset: QuerySet, user, resource: str, action: str) -> QuerySet:
    """Only the rows the user may act on. Models name their scoping fields:
    `policy_agency_field` and `policy_council_field`."""
    if not _usable(user):
        return queryset.none()
    scope = scope_of(user.role, resource, action)
    if scope is None:
        return queryset.none()
    model = queryset.model
    queryset = queryset.filter(**{model.policy_agency_field: user.agency_id})
    if scope == Scope.OWN_COUNCIL:
        queryset = queryset.filter(**{model.policy_council_field: user.employing_council_id})
    return queryset


def can_on(user, obj, resource: str, action: str) -> bool:
    """Whether the user may act on this one object (same rule as restrict)."""
    if not _usable(user):
        return False
    scope = scope_of(user.role, resource, action)
    if scope is None or getattr(obj, obj.policy_agency_field + "_id") != user.agency_id:
        return False
    return scope != Scope.OWN_COUNCIL or getattr(obj, obj.policy_council_field + "_id") == user.employing_council_id


def councils_for(user, resource: str, action: str) -> QuerySet:
    """Councils whose records the user may act on: the agency's current members, or only the
    user's own council when the grant is own-council."""
    from openraa.partnership.models import Council

    if not _usable(user):
        return Council.objects.none()
    scope = scope_of(user.role, resource, action)
    if scope is None:
        return Council.objects.none()
    councils = user.agency.member_councils()
    if scope == Scope.OWN_COUNCIL:
        councils = councils.filter(pk=user.employing_council_id)
    return councils
