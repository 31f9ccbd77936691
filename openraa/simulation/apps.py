from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "openraa.simulation"
    label = "simulation"
    verbose_name = "Simulation: policies for matching compared over a few years"
