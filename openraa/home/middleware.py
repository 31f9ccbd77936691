"""The site's own "Page not found" for a missing record, in development too."""

from django.conf import settings
from django.http import Http404
from django.urls import get_resolver


class OwnNotFoundPageMiddleware:
    """With DEBUG on (the demo), Django answers a view's Http404 (a record that is not there, or not
    yours to see) with its technical page, which lists every URL of the service; staff trying the demo
    get the site's own page instead, from the handler404 that production uses. An address that matches
    no URL never reaches a view, so it keeps the technical page a developer wants there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (settings.DEBUG and isinstance(exception, Http404)):
            return None  # without DEBUG, Django itself calls handler404
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(404)(request, exception)
