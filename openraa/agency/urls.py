from django.urls import path

from openraa.agency import admin_views, views

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
    path("councils/", admin_views.CouncilsView.as_view(), name="councils"),
    path("councils/leave/", admin_views.LeaveView.as_view(), name="leave"),
    path("host/", admin_views.CouncilRolesView.as_view(), name="council-roles"),
    path("bases/", admin_views.BasesView.as_view(), name="bases"),
    path("teams/", admin_views.TeamsView.as_view(), name="teams"),
    path("head-of-service/", admin_views.HeadOfServiceView.as_view(), name="head-of-service"),
    path("secondments/", admin_views.SecondmentsView.as_view(), name="secondments"),
    path("staffing/", admin_views.StaffArrangementView.as_view(), name="staffing"),
    path("secondments/end/", admin_views.EndSecondmentView.as_view(), name="end-secondment"),
]
