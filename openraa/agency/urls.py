from django.urls import path

from openraa.agency import views

app_name = "partnership"  # the pages' names (partnership:agency...) are kept so links don't change
urlpatterns = [
    path("", views.AgencyView.as_view(), name="agency"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("sharing/", views.InformationSharingView.as_view(), name="sharing"),
    path(
        "sharing/sealed-roles/<int:pk>/<str:decision>/",
        views.SealedRolesDecisionView.as_view(),
        name="sealed-roles-decision",
    ),
]
