from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "openraa.support"
    label = "support"
    verbose_name = "Adoption support: requests, assessments of need, plans, commissioned services, budgets"
