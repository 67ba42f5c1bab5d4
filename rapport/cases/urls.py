"""Pages of interactions and cases, under /cases/."""

from django.urls import path

from rapport.cases import deletion_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.<str:fmt>", views.case_export, name="export"),
    path("workspace/", views.workspace, name="workspace"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/delete/", deletion_views.case_delete, name="delete"),
    path("<int:pk>/<slug:action>/", views.case_transition, name="transition"),
    path("interactions/", views.interaction_list, name="interactions"),
    path("interactions/export.<str:fmt>", views.interaction_export, name="interaction_export"),
    path("interactions/new/", views.interaction_create, name="interaction_create"),
]
