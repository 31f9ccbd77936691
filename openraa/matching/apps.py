from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "openraa.matching"
    verbose_name = "Matching: family finding across the region"
