from django.apps import AppConfig


class AgencyConfig(AppConfig):
    # The agency's own pages (its councils, targets and information sharing) sit above the areas
    # whose settings they edit; the partnership app below keeps the agency and council records.
    name = "openraa.agency"
    verbose_name = "The agency's pages: councils, targets, information sharing"
