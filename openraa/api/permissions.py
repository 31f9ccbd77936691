"""The API obeys the same declared policy as the pages (openraa.people.roles)."""

from rest_framework.permissions import BasePermission

from openraa.people import policy
from openraa.people.roles import Action

# The app never deletes a record (adoption case records are kept); DELETE maps to no action at all.
_ACTIONS = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
}


def action_for(method: str, view=None) -> str | None:
    """The policy action a request needs; a view may map its own extra actions, e.g. recording a
    journey step (POST) changes the record rather than adding one."""
    overrides = getattr(view, "policy_actions", {}).get(getattr(view, "action", None), {})
    return overrides.get(method) or _ACTIONS.get(method)


class PolicyPermission(BasePermission):
    """Each API view names `policy_resource`; a view without one is refused (deny by default)."""

    def has_permission(self, request, view) -> bool:
        resource = getattr(view, "policy_resource", None)
        action = action_for(request.method, view)
        return bool(resource and action and policy.can(request.user, resource, action))

    def has_object_permission(self, request, view, obj) -> bool:
        action = action_for(request.method, view)
        if not hasattr(obj, "policy_agency_field"):
            # Not a case record (a council, the agency): the view's queryset already keeps it to the
            # user's agency, so the view-level grant decides.
            return bool(action and policy.can(request.user, view.policy_resource, action))
        return bool(action and policy.can_on(request.user, obj, view.policy_resource, action))
