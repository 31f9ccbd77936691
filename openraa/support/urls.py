from django.urls import path

from openraa.support import allowance_views, views

app_name = "support"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/steps/new/", views.StepView.as_view(), name="step"),
    path("<int:pk>/steps/<int:step>/correct/", views.CorrectionView.as_view(), name="correct"),
    path("<int:pk>/services/new/", views.ServiceCreateView.as_view(), name="service"),
    path("<int:pk>/fund/", views.FundApplicationView.as_view(), name="fund"),
    path("letterbox/", views.LetterboxListView.as_view(), name="letterbox"),
    path("letterbox/<int:pk>/", views.LetterboxDetailView.as_view(), name="letterbox-detail"),
    path("letterbox/<int:pk>/letters/new/", views.ExchangeLogView.as_view(), name="letterbox-exchange-new"),
    path("letterbox/<int:pk>/letters/<int:exchange>/", views.ExchangeView.as_view(), name="letterbox-exchange"),
    path("budget/", views.BudgetView.as_view(), name="budget"),
    path("budget/set/", views.BudgetSetView.as_view(), name="budget-set"),
    path("counts/", views.CountsView.as_view(), name="counts"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("allowances/", allowance_views.AllowancesView.as_view(), name="allowances"),
    path("allowances/board/", allowance_views.AllowancesBoardView.as_view(), name="allowances-board"),
    path("allowances/new/", allowance_views.AllowanceCreateView.as_view(), name="allowance-create"),
    path("allowances/policy/", allowance_views.AllowancePolicyView.as_view(), name="allowance-policy"),
    path("allowances/budget/", allowance_views.AllowanceBudgetView.as_view(), name="allowance-budget"),
    path("allowances/<int:pk>/", allowance_views.AllowanceView.as_view(), name="allowance"),
    path("allowances/<int:pk>/review/", allowance_views.AllowanceReviewView.as_view(), name="allowance-review"),
    path("allowances/<int:pk>/payment/", allowance_views.AllowancePaymentView.as_view(), name="allowance-payment"),
    path("allowances/<int:pk>/end/", allowance_views.EndAllowanceView.as_view(), name="allowance-end"),
]
