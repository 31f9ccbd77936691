from django.urls import path

from openraa.security import views

urlpatterns = [
    path("security-code/", views.VerifyView.as_view(), name="otp-verify"),
    path("set-up-authenticator/", views.EnrolView.as_view(), name="otp-enrol"),
    path("council-account/", views.CouncilSignInView.as_view(), name="oidc-start"),
    path("council-account/<int:key>/", views.CouncilSignInView.as_view(), name="oidc-start-council"),
    path("council-account/callback/", views.CouncilSignInCallbackView.as_view(), name="oidc-callback"),
]

# The administrators' pages, under /partnership/ (openraa/urls.py).
provider_urlpatterns = [
    path("", views.ProvidersView.as_view(), name="sso-providers"),
    path("<int:pk>/", views.ProvidersView.as_view(), name="sso-provider"),
]
