from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "openraa.households"
    verbose_name = "Adopter households"
