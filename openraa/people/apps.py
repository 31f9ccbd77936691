from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "openraa.people"
    verbose_name = "People: staff and roles"
