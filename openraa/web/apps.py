from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openraa.web"
    verbose_name = "Web pages: the base page and form classes"
