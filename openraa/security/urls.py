from django.urls import path

from openraa.security import views

urlpatterns = [
    path("security-code/", views.VerifyView.as_view(), name="otp-verify"),
    path("set-up-authenticator/", views.EnrolView.as_view(), name="otp-enrol"),
    path("council-account/", views.CouncilSignInView.as_view(), name="oidc-start"),
    path("council-account/callback/", views.CouncilSignInCallbackView.as_view(), name="oidc-callback"),
]

# The administrators' page, under /partnership/ (openraa/urls.py): ?provider=<id> changes one.
provider_urlpatterns = [path("", views.ProvidersView.as_view(), name="sso-providers")]
