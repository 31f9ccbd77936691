from django.urls import path

from openraa.agency import audit_views as views

app_name = "audit"  # the page keeps its name (audit:log); the audit trail itself stays in openraa.audit
urlpatterns = [
    path("", views.AuditLogView.as_view(), name="log"),
    path("sent-emails/", views.SentEmailsView.as_view(), name="sent-emails"),
    path("operations/", views.OperationsView.as_view(), name="operations"),
]
