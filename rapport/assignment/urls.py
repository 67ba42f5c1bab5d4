from django.urls import path

from rapport.assignment import views

app_name = "assignment"

urlpatterns = [
    path("clients/<int:pk>/assign/", views.assign, name="assign"),
    path("clients/<int:pk>/unassign/", views.unassign, name="unassign"),
]
