from django.urls import path, register_converter

from openraa.common import years
from openraa.finance import views

register_converter(years.PathConverter, "fy")

app_name = "finance"
urlpatterns = [
    path("", views.BudgetView.as_view(), name="budget"),
    path("years/new/", views.YearCreateView.as_view(), name="year-create"),
    path("<fy:year>/lines/new/", views.LineCreateView.as_view(), name="line-create"),
    path("<fy:year>/contributions/", views.ContributionView.as_view(), name="contribution"),
    path("<fy:year>/pay-award/", views.PayAwardView.as_view(), name="pay-award"),
    path("<fy:year>/stated-totals/new/", views.StatedTotalCreateView.as_view(), name="stated-total-create"),
    path("<fy:year>/costs/new/", views.CostCreateView.as_view(), name="cost-create"),
    path("<fy:year>/support-fund-income/new/", views.IncomeCreateView.as_view(), name="income-create"),
    path("<fy:year>/sharing/", views.SharingRuleView.as_view(), name="sharing"),
    path("<fy:year>/recharges/", views.RechargeImportView.as_view(), name="recharges"),
    path("monitoring/", views.MonitoringView.as_view(), name="monitoring"),
    path("formula/", views.FormulaView.as_view(), name="formula"),
    path("formula/new/", views.FormulaCreateView.as_view(), name="formula-create"),
    path("formula/<int:pk>/agree/", views.FormulaAgreeView.as_view(), name="formula-agree"),
    path("fees/", views.FeesView.as_view(), name="fees"),
    path("fees/placements/new/", views.PlacementCreateView.as_view(), name="placement-create"),
    path("fees/rates/new/", views.FeeRateCreateView.as_view(), name="rate-create"),
    path("fees/<int:pk>/paid/", views.FeePaidView.as_view(), name="fee-paid"),
    path("fees/compensation/new/", views.CompensationCreateView.as_view(), name="compensation-create"),
    path("grants/", views.GrantsView.as_view(), name="grants"),
    path("grants/new/", views.GrantCreateView.as_view(), name="grant-create"),
    path("support-fund/", views.SupportFundView.as_view(), name="support-fund"),
    path("support-fund/new/", views.SupportFundApplyView.as_view(), name="support-fund-apply"),
    path("councils/", views.CouncilsView.as_view(), name="councils"),
    path("councils/<str:ons>/", views.CouncilView.as_view(), name="council"),
    path("councils/<str:ons>/report.<str:fmt>", views.CouncilExportView.as_view(), name="council-export"),
]
