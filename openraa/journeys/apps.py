from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "openraa.journeys"
    verbose_name = "Journeys: steps, timescales, panels and decisions"
