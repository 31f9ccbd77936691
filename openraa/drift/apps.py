from django.apps import AppConfig


class DriftConfig(AppConfig):
    name = "openraa.drift"
    label = "drift"
    verbose_name = "Drift and caseloads"
