from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openraa.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        # Imported once the apps are loaded (signal receivers need the models): connect the
        # change-summary (common.history) and sign-in signals.
        from openraa.audit import signals  # noqa: F401
        from openraa.common import history  # noqa: F401
