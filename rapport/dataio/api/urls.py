"""API routes of data imports, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from rapport.dataio.api.views import ImportJobViewSet

router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="importjob")

urlpatterns = [*router.urls]
