from django.urls import path

from rapport.clients import views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("export.<str:fmt>", views.client_export, name="export"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_edit, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
]
