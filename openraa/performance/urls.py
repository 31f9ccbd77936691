from django.urls import path

from openraa.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.ScorecardView.as_view(), name="scorecard"),
    path("board/", views.BoardPackView.as_view(), name="board"),
    path("board/pack.<str:file_format>", views.BoardPackDownloadView.as_view(), name="board-download"),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("api/scorecard/", views.ScorecardApiView.as_view(), name="api-scorecard"),
]
