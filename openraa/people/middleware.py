"""Deny by default: every page needs a signed-in user and a declared permission that the user's
role holds. A page that declares none is refused, so a new page cannot ship open by accident.
API views are checked by the API's own permission class against the same policy."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.views import APIView

from openraa.people import policy


def public(view):
    """Mark a view as open to anyone (sign-in page, health check)."""
    view.openraa_public = True
    return view


class DenyByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
        if getattr(view_func, "openraa_public", False) or getattr(view_class, "openraa_public", False):
            return None
        if view_class is not None and issubclass(view_class, APIView):
            return None  # openraa.api.permissions.PolicyPermission applies the policy
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        permission = getattr(view_class, "permission", None) or getattr(view_func, "permission", None)
        if permission is None or not policy.can(request.user, *permission):
            raise PermissionDenied
        return None
