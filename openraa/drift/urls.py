from django.urls import path

from openraa.drift import views

app_name = "drift"
urlpatterns = [
    path("", views.MyDriftView.as_view(), name="mine"),
    path("agency/", views.AgencyDriftView.as_view(), name="agency"),
]
