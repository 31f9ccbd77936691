from django.urls import path

from openraa.matching import views

app_name = "matching"
urlpatterns = [
    path("matching/", views.RegionalMatchingView.as_view(), name="regional"),
    path("matching/settings/", views.MatchingSettingsView.as_view(), name="settings"),
    path("matching/offers/", views.OffersView.as_view(), name="offers"),
    path("matching/offers/<int:pk>/put-forward/<int:household>/", views.PutForwardView.as_view(), name="put_forward"),
    path("matching/profile-pack.json", views.ProfilePackView.as_view(), name="profile_pack"),
    path("matching/interests/<int:pk>/close/", views.CloseInterestView.as_view(), name="close_interest"),
    path("matching/settings/edit/", views.MatchingSettingsEditView.as_view(), name="settings_edit"),
    path("children/<int:pk>/matching/", views.ChildShortlistView.as_view(), name="child"),
    path("households/<int:pk>/matching/", views.HouseholdCandidatesView.as_view(), name="household"),
    path("children/<int:pk>/matching/<int:household>/interest/", views.InterestView.as_view(), name="interest"),
    path("children/<int:pk>/matching/<int:household>/visit/", views.VisitView.as_view(), name="visit"),
    path("children/<int:pk>/matching/<int:household>/link/", views.LinkView.as_view(), name="link"),
]
