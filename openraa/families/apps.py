from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "openraa.families"
    verbose_name = "Families: the front door and adopters' accounts"
