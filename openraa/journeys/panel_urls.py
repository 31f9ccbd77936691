from django.urls import path

from openraa.journeys import panel_views as views

app_name = "panels"
urlpatterns = [
    path("", views.PanelListView.as_view(), name="list"),
    path("new/", views.PanelCreateView.as_view(), name="create"),
    path("members/", views.PanelMembersView.as_view(), name="members"),
    path("<int:pk>/", views.PanelDetailView.as_view(), name="detail"),
    path("decisions/", views.DecisionQueueView.as_view(), name="decisions"),
    path("decisions/<int:item>/", views.DecisionView.as_view(), name="decide"),
]
