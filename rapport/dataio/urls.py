from django.urls import path

from rapport.dataio import views

app_name = "dataio"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("import/", views.job_upload, name="upload"),
    path("import/<int:pk>/", views.job_detail, name="job"),
    path("import/<int:pk>/map/", views.job_map, name="map"),
    path("import/<int:pk>/confirm/", views.job_confirm, name="confirm"),
]
