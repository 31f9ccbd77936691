"""The public front door and the adopters' own accounts, under /adopt/. Every view here is open to
the staff deny-by-default middleware: the front door needs no sign-in, and the account pages are
gated by the adopters' own sign-in (accounts.adopter_required), never by a staff session."""

from django.urls import path

from openraa.families import account_views, public_views

app_name = "adopt"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("privacy/", public_views.privacy, name="privacy"),
    path("register/", public_views.start, name="start"),
    path("register/check/", public_views.check, name="check"),
    path("register/done/", public_views.done, name="done"),
    path("register/skip-equality-questions/", public_views.skip_monitoring, name="skip-monitoring"),
    path("register/<slug:step>/", public_views.question, name="question"),
    path("account/", account_views.home, name="home"),
    path("account/sign-in/", account_views.sign_in, name="sign-in"),
    path("account/code/", account_views.code, name="code"),
    path("account/sign-out/", account_views.sign_out, name="sign-out"),
    path("account/set-password/<str:token>/", account_views.set_password, name="set-password"),
    path("account/authenticator/", account_views.authenticator, name="authenticator"),
    path("account/registration/", account_views.registration, name="registration"),
    path("account/preparation-groups/", account_views.preparation_groups, name="preparation-groups"),
    path("account/documents/", account_views.documents, name="documents"),
    path("account/documents/<int:pk>/", account_views.upload, name="upload"),
    path("account/messages/", account_views.messages_page, name="messages"),
    path("account/profiles/", account_views.profiles, name="profiles"),
    path("account/profiles/<slug:code>/", account_views.profile, name="profile"),
    path("account/interests/", account_views.interests, name="interests"),
    path("account/interests/<int:pk>/withdraw/", account_views.withdraw_interest, name="withdraw-interest"),
    # Last: an agency's own page by its short name (aim, bkm), after every fixed word above.
    path("<slug:code>/", public_views.agency_page, name="agency"),
]
