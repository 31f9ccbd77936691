from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openraa.audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from openraa.audit import history  # noqa: F401  (connects the change-summary signal)
