from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "openraa.permanence"
    verbose_name = "Wider permanence"

    def ready(self) -> None:
        # The funding formula counts the partnership's plans and carers (finance cannot import them).
        from openraa.permanence import activity  # here: its models load only once the registry is ready

        activity.register()
