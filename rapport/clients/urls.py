from django.urls import path

from rapport.clients import deletion_views, views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("export.<str:fmt>", views.client_export, name="export"),
    path("new/", views.client_create, name="create"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/edit/", views.client_edit, name="edit"),
    path("<int:pk>/delete/", deletion_views.client_delete, name="delete"),
    path("deleted/", deletion_views.recently_deleted, name="deleted"),
    path("deleted/<str:kind>/<int:pk>/restore/", deletion_views.restore, name="restore"),
    path("deleted/clients/<int:pk>/export/", deletion_views.deleted_client_export, name="deleted_export"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_edit, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
]
