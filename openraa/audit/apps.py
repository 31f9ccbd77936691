from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openraa.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from openraa.audit import history, signals  # noqa: F401  (connect the change-summary and sign-in signals)
