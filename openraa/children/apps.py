from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "openraa.children"
    verbose_name = "Children"
