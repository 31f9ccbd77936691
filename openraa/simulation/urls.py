from django.urls import path

from openraa.simulation import views

app_name = "simulation"
urlpatterns = [
    path("", views.SimulationView.as_view(), name="board"),
]
