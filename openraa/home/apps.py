from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "openraa.home"
    verbose_name = "Home page, sign-in, navigation and error pages"
