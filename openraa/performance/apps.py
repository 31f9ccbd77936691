from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "openraa.performance"
    label = "performance"
    verbose_name = "Performance: scorecard, board pack and national quarterly return"
