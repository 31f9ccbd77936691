from django.urls import path

from openraa.casework import views

app_name = "tasks"
urlpatterns = [
    path("tasks/new/", views.TaskAddView.as_view(), name="add"),
    path("tasks/<int:pk>/done/", views.TaskDoneView.as_view(), name="done"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications-read"),
]
