from django.urls import path

from openraa.performance import annex_a_views, views

app_name = "performance"
urlpatterns = [
    path("", views.ScorecardView.as_view(), name="scorecard"),
    path("board/", views.BoardPackView.as_view(), name="board"),
    path("board/pack.<str:file_format>", views.BoardPackDownloadView.as_view(), name="board-download"),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("returns/annex-a/", annex_a_views.AnnexAView.as_view(), name="annex-a"),
    path("api/scorecard/", views.ScorecardApiView.as_view(), name="api-scorecard"),
]
