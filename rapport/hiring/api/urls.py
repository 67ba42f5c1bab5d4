"""API routes of HR, included under /api/v1/hr/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from rapport.hiring.api import views

router = SimpleRouter()
router.register("job-description-templates", views.TemplateViewSet, basename="jdtemplate")
router.register("job-descriptions", views.JobDescriptionViewSet, basename="jobdescription")
router.register("job-description-versions", views.VersionViewSet, basename="jdversion")
router.register("requirement-profiles", views.ProfileViewSet, basename="requirementprofile")
router.register("positions", views.PositionViewSet, basename="position")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("trainings", views.TrainingViewSet, basename="training")
router.register("training-participants", views.ParticipantViewSet, basename="trainingparticipant")

urlpatterns = [path("wording-check/", views.AdCheckView.as_view(), name="wording-check"), *router.urls]
