from django.urls import path

from rapport.managers import deletion_views, views

app_name = "managers"

urlpatterns = [
    path("", views.manager_list, name="list"),
    path("export.<str:fmt>", views.manager_export, name="export"),
    path("new/", views.manager_edit, name="create"),
    path("<int:pk>/", views.manager_detail, name="detail"),
    path("<int:pk>/edit/", views.manager_edit, name="edit"),
    path("<int:pk>/delete/", deletion_views.manager_delete, name="delete"),
]
