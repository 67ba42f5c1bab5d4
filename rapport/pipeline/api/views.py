"""API of the pipeline: opportunities and their moves, prospects, stage changes and acquisitions."""

import django_filters
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.accounts.permissions import IsManagement
from rapport.accounts.roles import Role
from rapport.assignment.reasons import describe_reasons
from rapport.clients.models import Client
from rapport.core.filters import IdFilter
from rapport.pipeline import services
from rapport.pipeline.api.serializers import (
    AcquisitionSerializer,
    MoveSerializer,
    OpportunityCreateSerializer,
    OpportunitySerializer,
    ProspectCreateSerializer,
    StageChangeSerializer,
    UndoWinSerializer,
    WinResultSerializer,
)
from rapport.pipeline.filtersets import OpportunityFilterSet, StageChangeFilterSet
from rapport.pipeline.models import Acquisition, Opportunity, StageChange


def _win_data(result: services.WinResult) -> dict:
    placement = result.placement
    return {
        "opportunity": OpportunitySerializer(result.opportunity).data,
        "acquisition": AcquisitionSerializer(result.acquisition).data,
        "placement": {
            "outcome": placement.outcome,
            "manager": placement.assignment.manager_id if placement.assignment else None,
            "reasons": describe_reasons(placement.reasons),
        },
    }


class OpportunityViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Opportunities the caller sees (Management: all; a manager: their own). POST opens one on an existing
    prospect; ``move`` changes its stage (won returns the acquisition and the client's placement)."""

    write_roles = (Role.MANAGEMENT, Role.CLIENT_MANAGER)

    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet
    queryset = Opportunity.objects.none()

    def get_queryset(self):
        return Opportunity.objects.visible_to(self.request.user).order_by("-stage_changed_at", "-id")

    @extend_schema(request=OpportunityCreateSerializer, responses={201: OpportunitySerializer})
    def create(self, request, *args, **kwargs):
        serializer = OpportunityCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        client = Client.objects.visible_to(request.user).filter(pk=data.pop("client")).first()
        if client is None:
            raise Http404
        opportunity = services.opportunity_create(actor=request.user, client=client, **data)
        return Response(OpportunitySerializer(opportunity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveSerializer, responses={200: OpportunitySerializer, 201: WinResultSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move to another stage; moving to ``won`` answers 201 with the acquisition and the placement."""
        opportunity = self.get_object()
        serializer = MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.opportunity_move(opportunity=opportunity, actor=request.user, **serializer.validated_data)
        if isinstance(result, services.WinResult):
            return Response(_win_data(result), status=status.HTTP_201_CREATED)
        return Response(OpportunitySerializer(result).data)

    @extend_schema(request=UndoWinSerializer, responses={200: AcquisitionSerializer})
    @action(detail=True, methods=["post"], url_path="undo-win", permission_classes=[IsAuthenticated, IsManagement])
    def undo_win(self, request, pk=None):
        """Management undoes a win within the window; the acquisition credit is reversed."""
        opportunity = self.get_object()
        serializer = UndoWinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        acquisition = services.opportunity_undo_win(
            opportunity=opportunity, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(AcquisitionSerializer(acquisition).data)


class ProspectView(APIView):
    """Create a prospect and its first opportunity; duplicates are refused (400, code ``duplicate_client`` with
    ``details.client_id``), similar names need ``confirm_similar`` (code ``similar_client``)."""

    write_roles = (Role.MANAGEMENT, Role.CLIENT_MANAGER)

    @extend_schema(request=ProspectCreateSerializer, responses={201: OpportunitySerializer})
    def post(self, request):
        serializer = ProspectCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        extra = {key: serializer.validated_data[key] for key in ProspectCreateSerializer.OPPORTUNITY_KEYS}
        opportunity = services.prospect_create(actor=request.user, data=serializer.client_data(), **extra)
        return Response(OpportunitySerializer(opportunity).data, status=status.HTTP_201_CREATED)


class StageChangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every stage change of the opportunities the caller sees."""

    serializer_class = StageChangeSerializer
    filterset_class = StageChangeFilterSet
    queryset = StageChange.objects.none()

    def get_queryset(self):
        return StageChange.objects.visible_to(self.request.user).order_by("-at", "-id")


class AcquisitionFilterSet(django_filters.FilterSet):
    manager = IdFilter(field_name="manager_id")
    client = IdFilter(field_name="client_id")
    acquired_from = django_filters.DateFilter(field_name="acquired_on", lookup_expr="gte")
    acquired_to = django_filters.DateFilter(field_name="acquired_on", lookup_expr="lte")
    reversed = django_filters.BooleanFilter(field_name="reversed_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Acquisition
        fields = ["manager", "client", "acquired_from", "acquired_to", "reversed"]


class AcquisitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Acquisition credits (Management and Payroll: all; a manager: their own), reversed ones included."""

    serializer_class = AcquisitionSerializer
    filterset_class = AcquisitionFilterSet
    queryset = Acquisition.objects.none()

    def get_queryset(self):
        return Acquisition.objects.visible_to(self.request.user).order_by("-acquired_on", "-id")
