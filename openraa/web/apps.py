from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "openraa.web"
    verbose_name = "Web pages: layout, forms and home"
