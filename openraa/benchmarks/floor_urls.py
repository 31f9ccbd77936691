"""The service's URLs and the benches' do-nothing page (openraa/benchmarks/floor.py)."""

from django.urls import include, path

from openraa.benchmarks.floor import FLOOR_PATH, FloorView

urlpatterns = [
    path(FLOOR_PATH.strip("/") + "/", FloorView.as_view(), name="bench-floor"),
    path("", include("openraa.urls")),
]
handler403 = "openraa.home.views.forbidden"
handler404 = "openraa.home.views.not_found"
