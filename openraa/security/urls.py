from django.urls import path

from openraa.security import views

urlpatterns = [
    path("security-code/", views.VerifyView.as_view(), name="otp-verify"),
    path("set-up-authenticator/", views.EnrolView.as_view(), name="otp-enrol"),
]
