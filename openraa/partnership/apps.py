from django.apps import AppConfig


class PartnershipConfig(AppConfig):
    name = "openraa.partnership"
    verbose_name = "Partnership: councils and agencies"
