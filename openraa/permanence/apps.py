from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "openraa.permanence"
    verbose_name = "Wider permanence"
