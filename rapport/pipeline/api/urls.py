"""API routes of the pipeline, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rapport.pipeline.api.views import AcquisitionViewSet, OpportunityViewSet, ProspectView, StageChangeViewSet

router = SimpleRouter()
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("stage-changes", StageChangeViewSet, basename="stagechange")
router.register("acquisitions", AcquisitionViewSet, basename="acquisition")

urlpatterns = [path("prospects/", ProspectView.as_view(), name="prospect-create"), *router.urls]
