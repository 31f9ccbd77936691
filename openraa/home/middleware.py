"""The health check, answered ahead of every other middleware, and the site's own "Page not found"
for a missing record, in development too."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_resolver

from openraa.home.views import health

HEALTH_PATH = "/health/"


class HealthCheckMiddleware:
    """A load balancer or container probe asks by the server's own address (`Host: 10.0.3.7`), which
    ALLOWED_HOSTS rightly refuses, and over plain HTTP; it needs no session, no database and no redirect.
    Only this one path is answered here, with the same view the URL configuration names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            response = health(request)
            response["Cache-Control"] = "no-store"  # as every other answer (NoStoreMiddleware is not reached)
            return response
        return self.get_response(request)


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
