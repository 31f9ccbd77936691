from django.urls import path

from openraa.households import views

app_name = "households"
urlpatterns = [
    path("", views.HouseholdListView.as_view(), name="list"),
    path("new/", views.HouseholdCreateView.as_view(), name="create"),
    path("<int:pk>/", views.HouseholdDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.HouseholdEditView.as_view(), name="edit"),
]
