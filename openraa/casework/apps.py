from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "openraa.casework"
    verbose_name = "Case notes and documents"

    def ready(self) -> None:
        from openraa.casework import notify  # noqa: F401  (connects the notification signals)
