"""Staff pages of the families' side, under /families/ (staff sign-in, the role policy)."""

from django.urls import path

from openraa.families import staff_views as views

app_name = "families-staff"
urlpatterns = [
    path(
        "households/<int:pk>/registrations/<int:registration>/decide/",
        views.DecideRegistrationView.as_view(),
        name="decide-registration",
    ),
    path("households/<int:pk>/documents/ask/", views.AskDocumentView.as_view(), name="ask-document"),
    path("households/<int:pk>/uploads/<int:upload>/", views.UploadDownloadView.as_view(), name="upload"),
    path("households/<int:pk>/messages/", views.SendMessageView.as_view(), name="send-message"),
    path("preparation-groups/", views.GroupListView.as_view(), name="groups"),
    path("preparation-groups/add/", views.GroupCreateView.as_view(), name="group-add"),
    path("preparation-groups/<int:pk>/", views.GroupDetailView.as_view(), name="group"),
    path("preparation-groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group-edit"),
    path("preparation-groups/<int:pk>/book/", views.BookPlaceView.as_view(), name="group-book"),
    path(
        "preparation-groups/<int:pk>/places/<int:place>/attendance/",
        views.AttendanceView.as_view(),
        name="group-attendance",
    ),
    path("children/<int:pk>/profile/publish/", views.PublishProfileView.as_view(), name="publish-profile"),
    path(
        "children/<int:pk>/profiles/<int:profile>/withdraw/",
        views.WithdrawProfileView.as_view(),
        name="withdraw-profile",
    ),
    path("recruitment/", views.RecruitmentView.as_view(), name="recruitment"),
    path("front-door/", views.FrontDoorSettingsView.as_view(), name="front-door"),
]
