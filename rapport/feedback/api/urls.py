"""API routes of the feedback app, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from rapport.feedback.api.views import RatingRequestViewSet, RatingSummaryViewSet, RatingViewSet

router = SimpleRouter()
router.register("ratings", RatingViewSet, basename="rating")
router.register("rating-summaries", RatingSummaryViewSet, basename="ratingsummary")
router.register("rating-requests", RatingRequestViewSet, basename="ratingrequest")

urlpatterns = [*router.urls]
