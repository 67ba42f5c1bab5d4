"""URL configuration: the UI (language-neutral paths), the API under /api/v1/, the admin, i18n."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
]
