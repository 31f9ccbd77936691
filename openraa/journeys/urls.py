from django.urls import path

from openraa.journeys import check_views, views

app_name = "journeys"
urlpatterns = [
    path("children/<int:pk>/steps/new/", views.ChildStepView.as_view(), name="child-step"),
    path("children/<int:pk>/steps/<int:step>/correct/", views.ChildCorrectionView.as_view(), name="child-correct"),
    path(
        "children/<int:pk>/adoption-order/correct/",
        views.AdoptionOrderCorrectionView.as_view(),
        name="correct-adoption-order",
    ),
    path("households/<int:pk>/steps/new/", views.HouseholdStepView.as_view(), name="household-step"),
    path(
        "households/<int:pk>/steps/<int:step>/correct/",
        views.HouseholdCorrectionView.as_view(),
        name="household-correct",
    ),
    path("households/<int:pk>/checks/", check_views.HouseholdChecksView.as_view(), name="household-checks"),
    path("households/<int:pk>/checks/new/", check_views.CheckFormView.as_view(), name="household-check-new"),
    path("households/<int:pk>/checks/<int:check>/", check_views.CheckFormView.as_view(), name="household-check-edit"),
    path("households/<int:pk>/adults/new/", check_views.OtherAdultView.as_view(), name="household-adult-new"),
    path("households/<int:pk>/adults/<int:adult>/", check_views.OtherAdultView.as_view(), name="household-adult-edit"),
]
