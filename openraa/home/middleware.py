"""The health check, answered ahead of every other middleware.

A load balancer or container probe asks by the server's own address (`Host: 10.0.3.7`), which
ALLOWED_HOSTS rightly refuses, and over plain HTTP; it needs no session, no database and no redirect.
Only this one path is answered here, with the same view the URL configuration names."""

from django.http import HttpRequest, HttpResponse

from openraa.home.views import health

HEALTH_PATH = "/health/"


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH:
            response = health(request)
            response["Cache-Control"] = "no-store"  # as every other answer (NoStoreMiddleware is not reached)
            return response
        return self.get_response(request)
