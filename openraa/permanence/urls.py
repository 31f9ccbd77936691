from django.urls import path

from openraa.permanence import views

app_name = "permanence"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("functions/", views.FunctionsView.as_view(), name="functions"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("carers/", views.CarerListView.as_view(), name="carers"),
    path("carers/new/", views.CarerAddView.as_view(), name="carer-add"),
    path("carers/<int:pk>/", views.CarerDetailView.as_view(), name="carer"),
    path("carers/<int:pk>/edit/", views.CarerEditView.as_view(), name="carer-edit"),
    path("carers/<int:pk>/steps/new/", views.CarerStepView.as_view(), name="carer-step"),
    path("carers/<int:pk>/decision/", views.CarerDecisionView.as_view(), name="carer-decision"),
    path("carers/<int:pk>/steps/<int:step>/correct/", views.CarerCorrectionView.as_view(), name="carer-correct"),
    path(
        "carers/<int:pk>/decision/<int:step>/correct/",
        views.CarerDecisionCorrectionView.as_view(),
        name="carer-decision-correct",
    ),
    path("plans/", views.PlanListView.as_view(), name="plans"),
    path("children/<int:pk>/plans/new/", views.PlanAddView.as_view(), name="plan-add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan"),
    path("plans/<int:pk>/steps/new/", views.PlanStepView.as_view(), name="plan-step"),
    path("plans/<int:pk>/decision/", views.PlanDecisionView.as_view(), name="plan-decision"),
    path("plans/<int:pk>/steps/<int:step>/correct/", views.PlanCorrectionView.as_view(), name="plan-correct"),
    path(
        "plans/<int:pk>/decision/<int:step>/correct/",
        views.PlanDecisionCorrectionView.as_view(),
        name="plan-decision-correct",
    ),
    path("plans/<int:pk>/shortlist/", views.ShortlistView.as_view(), name="shortlist"),
]
