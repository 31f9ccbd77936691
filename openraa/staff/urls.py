from django.urls import path

from openraa.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.StaffListView.as_view(), name="list"),
    path("invite/", views.InviteView.as_view(), name="invite"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("<int:pk>/", views.PersonView.as_view(), name="person"),
    path("<int:pk>/deactivate/", views.DeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/two-factor/reset/", views.ResetTwoFactorView.as_view(), name="reset-two-factor"),
    path("<int:pk>/invitation/", views.ReinviteView.as_view(), name="reinvite"),
    path("welcome/<str:uid>/<str:token>/", views.WelcomeView.as_view(), name="welcome"),
]
