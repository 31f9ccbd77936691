from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "openraa.finance"
    label = "finance"
    verbose_name = "Finance: budgets, monitoring, the funding formula, fees and the support fund"
