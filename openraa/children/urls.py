from django.urls import path

from openraa.children import views

app_name = "children"
urlpatterns = [
    path("", views.ChildListView.as_view(), name="list"),
    path("new/", views.ChildCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ChildDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ChildEditView.as_view(), name="edit"),
    path("<int:pk>/records-requests/new/", views.RecordsRequestView.as_view(), name="records-request"),
    path("sibling-groups/new/", views.SiblingGroupCreateView.as_view(), name="sibling-group-create"),
]
