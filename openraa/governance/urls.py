from django.urls import path

from openraa.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.AgreementView.as_view(), name="agreement"),
    path("agreements/<int:pk>/change/", views.AgreementChangeView.as_view(), name="agreement-change"),
    path("agreements/<int:pk>/extensions/new/", views.ExtensionCreateView.as_view(), name="agreement-extend"),
    path("documents/new/", views.DocumentCreateView.as_view(), name="document-create"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/change/", views.DocumentChangeView.as_view(), name="document-change"),
    path("boards/new/", views.BoardCreateView.as_view(), name="board-create"),
    path("boards/<int:pk>/", views.BoardView.as_view(), name="board"),
    path("boards/<int:pk>/change/", views.BoardChangeView.as_view(), name="board-change"),
    path("boards/<int:pk>/members/new/", views.MemberCreateView.as_view(), name="member-create"),
    path("boards/<int:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("boards/<int:pk>/actions/new/", views.ActionCreateView.as_view(), name="action-create"),
    path("members/<int:pk>/change/", views.MemberChangeView.as_view(), name="member-change"),
    path("actions/<int:pk>/change/", views.ActionChangeView.as_view(), name="action-change"),
    path("workstreams/new/", views.WorkstreamCreateView.as_view(), name="workstream-create"),
    path("workstreams/<int:pk>/change/", views.WorkstreamChangeView.as_view(), name="workstream-change"),
    path("risks/", views.RiskRegisterView.as_view(), name="risks"),
    path("risks/new/", views.RiskCreateView.as_view(), name="risk-create"),
    path("risks/<int:pk>/", views.RiskView.as_view(), name="risk"),
    path("risks/<int:pk>/change/", views.RiskChangeView.as_view(), name="risk-change"),
    path("risks/<int:pk>/review/", views.RiskReviewView.as_view(), name="risk-review"),
    path("complaints/", views.ComplaintsView.as_view(), name="complaints"),
    path("complaints/new/", views.ComplaintCreateView.as_view(), name="complaint-create"),
    path("complaints/<int:pk>/", views.ComplaintView.as_view(), name="complaint"),
    path("complaints/<int:pk>/response/", views.ComplaintResponseView.as_view(), name="complaint-respond"),
    path("complaints/<int:pk>/escalate/", views.ComplaintEscalationView.as_view(), name="complaint-escalate"),
    path("inter-country/new/", views.InterCountryCreateView.as_view(), name="intercountry-create"),
    path("inter-country/<int:pk>/", views.InterCountryView.as_view(), name="intercountry"),
    path("inter-country/<int:pk>/change/", views.InterCountryChangeView.as_view(), name="intercountry-change"),
]
