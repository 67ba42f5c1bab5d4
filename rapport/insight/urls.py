from django.urls import path

from rapport.insight import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:key>.<str:fmt>", views.export, name="export"),
    path("report.pdf", views.report, name="report"),
]
