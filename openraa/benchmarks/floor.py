"""The do-nothing page the benches measure beside the load mix: a signed-in request through the
whole middleware (session, authentication, two-factor, deny-by-default) to a view that does nothing,
so a page's CPU is read as a multiple of it and the result holds on any machine. Served only by the
benches (`openraa.benchmarks.floor_urls`, served by `openraa.benchmarks.wsgi`); production never
routes it."""

from django.http import HttpResponse
from django.views import View

FLOOR_PATH = "/bench/floor/"


class FloorView(View):
    permission = ("aggregates", "view")  # the cheapest permission every member of staff holds

    def get(self, request):
        return HttpResponse("ok", content_type="text/plain")


def ratio(mix_cpu_ms: float | None, floor_cpu_ms: float | None) -> float | None:
    """The mix's CPU per request as a multiple of the do-nothing request's (None when either is unknown)."""
    if mix_cpu_ms is None or floor_cpu_ms is None or floor_cpu_ms <= 0:
        return None
    return round(mix_cpu_ms / floor_cpu_ms, 1)
