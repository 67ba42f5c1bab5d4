from django.urls import path

from rapport.privacy import views

app_name = "privacy"

urlpatterns = [
    path("clients/<int:pk>/export.json", views.client_export, name="client_export"),
    path("clients/<int:pk>/erase/", views.client_erase, name="client_erase"),
]
