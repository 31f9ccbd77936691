"""Staff pages of the families' side, under /families/ (staff sign-in, the role policy)."""

from django.urls import path  # noqa: F401

app_name = "families-staff"
urlpatterns: list = []
