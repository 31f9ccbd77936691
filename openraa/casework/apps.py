from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "openraa.casework"
    verbose_name = "Case notes and documents"
