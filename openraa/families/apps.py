from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "openraa.families"
    verbose_name = "Families: the front door and adopters' accounts"

    def ready(self) -> None:
        from openraa.audit import log
        from openraa.families.audit import family_source

        log.EXTRA_SOURCES[log.FAMILY] = family_source
