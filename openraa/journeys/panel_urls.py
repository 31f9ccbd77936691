from django.urls import path

from openraa.journeys import calendar_views
from openraa.journeys import panel_views as views

app_name = "panels"
urlpatterns = [
    path("", views.PanelListView.as_view(), name="list"),
    path("new/", views.PanelCreateView.as_view(), name="create"),
    path("members/", views.PanelMembersView.as_view(), name="members"),
    path("calendar/", calendar_views.CalendarView.as_view(), name="calendar"),
    path("calendar/panels.ics", calendar_views.CalendarDownloadView.as_view(), name="calendar-ics"),
    path("calendar/feed/<str:token>/panels.ics", calendar_views.CalendarFeedView.as_view(), name="calendar-feed"),
    path("<int:pk>/", views.PanelDetailView.as_view(), name="detail"),
    path("<int:pk>/pack.pdf", calendar_views.PanelPackView.as_view(), name="pack"),
    path("<int:pk>/papers/children/<int:child>/", views.ChildPaperView.as_view(), name="paper-child"),
    path("<int:pk>/papers/households/<int:household>/", views.HouseholdPaperView.as_view(), name="paper-household"),
    path("decisions/", views.DecisionQueueView.as_view(), name="decisions"),
    path("decisions/<int:item>/", views.DecisionView.as_view(), name="decide"),
    path("decisions/should-be-placed/<int:pk>/", views.ShouldBePlacedView.as_view(), name="should-be-placed"),
    path(
        "decisions/should-be-placed/<int:pk>/paper/",
        views.ShouldBePlacedPaperView.as_view(),
        name="paper-should-be-placed",
    ),
    path(
        "decisions/children/<int:pk>/<int:step>/",
        views.ChildDecisionCorrectionView.as_view(),
        name="correct-child-decision",
    ),
    path(
        "decisions/households/<int:pk>/<int:step>/",
        views.HouseholdDecisionCorrectionView.as_view(),
        name="correct-household-decision",
    ),
]
