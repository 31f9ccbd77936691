from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "openraa.interchange"
    verbose_name = "Data interchange (SSDA903)"
