"""API of ratings: read-only. Every read starts from the caller's restricted queryset; others' rows are 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from rapport.accounts.permissions import IsManagement
from rapport.feedback import selectors
from rapport.feedback.api.serializers import (
    RatingRequestSerializer,
    RatingSerializer,
    RatingSummaryQuerySerializer,
    RatingSummarySerializer,
)
from rapport.feedback.filtersets import RatingFilterSet
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.periods import period_from
from rapport.managers.models import ClientManager


class RatingViewSet(viewsets.ReadOnlyModelViewSet):
    """Ratings the caller may see (Management, Admin and Payroll all; a manager their own), newest first."""

    serializer_class = RatingSerializer
    filterset_class = RatingFilterSet
    queryset = Rating.objects.none()

    def get_queryset(self):
        return selectors.rating_list(user=self.request.user, request=self.request)


class RatingSummaryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Per manager, the ratings of a period: count, plain mean and smoothed rating."""

    serializer_class = RatingSummarySerializer
    queryset = ClientManager.objects.none()
    filter_backends = []

    @extend_schema(parameters=[RatingSummaryQuerySerializer])
    def list(self, request, *args, **kwargs):
        """Managers whose ratings the caller sees, best smoothed rating first (``sort`` to change). Dismissed
        managers without ratings in the period are left out unless named with ``manager``."""
        query = RatingSummaryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        period = period_from(month=params.get("month"), start=params.get("start"), end=params.get("end"))
        rows = selectors.rating_summary_rows(
            user=request.user,
            period=period,
            manager_type=params.get("manager_type", ""),
            manager_ids=params.get("manager"),
            sort=params["sort"],
        )
        page = self.paginate_queryset(rows)
        for row in page:
            row.summary = selectors.summary_of(row)
        serializer = self.get_serializer(page, many=True, context={"period": period, "request": request})
        return self.get_paginated_response(serializer.data)


class RatingRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Rating requests (Management): whom they ask, about what, and whether they were sent, used or expired."""

    serializer_class = RatingRequestSerializer
    permission_classes = [IsAuthenticated, IsManagement]
    queryset = RatingRequest.objects.none()
    filter_backends = []

    def get_queryset(self):
        return selectors.rating_request_list(user=self.request.user)
