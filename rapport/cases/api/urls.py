"""API routes of the cases app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from rapport.cases.api.views import CaseEventViewSet, CaseViewSet, InteractionViewSet

router = SimpleRouter()
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("cases", CaseViewSet, basename="case")
router.register("case-events", CaseEventViewSet, basename="caseevent")

urlpatterns = [*router.urls]
