"""The public front door and the adopters' own accounts, under /adopt/."""

from django.urls import path  # noqa: F401

app_name = "adopt"
urlpatterns: list = []
