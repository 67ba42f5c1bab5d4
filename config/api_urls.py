"""The REST API, version 1."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from rapport.accounts.api.views import TokenObtainView, TokenRevokeAllView, TokenRevokeView
from rapport.assignment.api.plan_views import AssignmentPlanViewSet, DepartureView
from rapport.assignment.api.views import AssignmentViewSet
from rapport.clients.api.views import ClientGroupViewSet, ClientViewSet
from rapport.managers.api.views import ManagerViewSet

router = DefaultRouter()
# No ".json" twins of every URL: JSON is the default, and custom actions do not take a format argument.
router.include_format_suffixes = False
router.register("clients", ClientViewSet, basename="client")
router.register("client-groups", ClientGroupViewSet, basename="clientgroup")
router.register("managers", ManagerViewSet, basename="manager")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("assignment-plans", AssignmentPlanViewSet, basename="assignmentplan")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("auth/token/revoke/", TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/token/revoke-all/", TokenRevokeAllView.as_view(), name="api-token-revoke-all"),
    path("managers/<int:pk>/depart/", DepartureView.as_view(), name="manager-depart"),
    *router.urls,
    path("", include("rapport.pipeline.api.urls")),
    path("", include("rapport.cases.api.urls")),
    path("", include("rapport.feedback.api.urls")),
    path("", include("rapport.compensation.api.urls")),
    path("", include("rapport.consent.api.urls")),
    path("", include("rapport.dataio.api.urls")),
    path("hr/", include("rapport.hiring.api.urls")),
]
