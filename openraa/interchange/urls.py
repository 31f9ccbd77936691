from django.urls import path

from openraa.interchange import views

app_name = "interchange"
urlpatterns = [
    path("ssda903/", views.UploadView.as_view(), name="ssda903"),
    path("ssda903/reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("ssda903/runs/<int:pk>/", views.RunView.as_view(), name="run"),
    path("ssda903/runs/<int:pk>/report.csv", views.ReportView.as_view(), name="report"),
]
