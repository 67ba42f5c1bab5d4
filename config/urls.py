"""URL configuration: the UI, the API under /api/v1/, the OpenAPI schema and docs, the admin, i18n."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from rapport.accounts import views as account_views

# An unknown URL under /api/ answers JSON like every other API error.
handler404 = "rapport.core.api.not_found"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("no-role/", account_views.no_role, name="no_role"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("rapport.clients.urls")),
    path("managers/", include("rapport.managers.urls")),
    path("", include("rapport.assignment.urls")),
    path("pipeline/", include("rapport.pipeline.urls")),
    path("cases/", include("rapport.cases.urls")),
    path("ratings/", include("rapport.feedback.urls")),
    path("pay/", include("rapport.compensation.urls")),
    path("hr/", include("rapport.hiring.urls")),
    path("dashboard/", include("rapport.insight.urls")),
    path("data/", include("rapport.dataio.urls")),
    path("privacy/", include("rapport.privacy.urls")),
    path("consent/", include("rapport.consent.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page runs under the strict CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]
