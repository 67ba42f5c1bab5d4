"""API of assignment plans and of a manager's departure (Management only)."""

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.accounts.permissions import IsManagement
from rapport.assignment import departure, plans
from rapport.assignment.choices import ChangeKind
from rapport.assignment.filtersets import PlanChangeFilterSet
from rapport.assignment.models import AssignmentPlan, PlanChange
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.managers.models import ClientManager


class PlanSerializer(StrictModelSerializer):
    class Meta:
        model = AssignmentPlan
        exclude = ["fingerprint"]
        read_only_fields = [f.name for f in AssignmentPlan._meta.fields]


class PlanCreateSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PlanChangeSerializer(StrictModelSerializer):
    reasons = serializers.JSONField(source="reason.reasons", read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = PlanChange
        fields = ["id", "client", "kind", "from_manager", "to_manager", "reasons", "explanation"]

    def get_explanation(self, obj) -> list[str]:
        return obj.explanation()


class AssignmentPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignment plans: compute (POST), review the changes, apply or discard."""

    serializer_class = PlanSerializer
    permission_classes = [IsAuthenticated, IsManagement]
    queryset = AssignmentPlan.objects.none()
    filterset_class = None

    def get_queryset(self):
        return AssignmentPlan.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request):
        """Compute a new plan for the current data; it is stored as a draft."""
        data = PlanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plans.assignment_plan_create(actor=request.user, note=data.validated_data["note"])
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Apply a draft plan atomically; a stale plan answers 400 with code plan_stale."""
        plan = plans.assignment_plan_apply(plan=self.get_object(), actor=request.user)
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=None, responses={200: PlanSerializer})
    @action(detail=True, methods=["post"])
    def discard(self, request, pk=None):
        plan = plans.assignment_plan_discard(plan=self.get_object(), actor=request.user)
        return Response(PlanSerializer(plan).data)

    @extend_schema(
        responses={200: PlanChangeSerializer(many=True)},
        parameters=[
            OpenApiParameter("kind", str, enum=ChangeKind.values, description="Kind of change."),
            OpenApiParameter("manager", int, description="A manager on either side of the change."),
            OpenApiParameter("q", str, description="Part of the client's name."),
        ],
    )
    @action(detail=True, methods=["get"])
    def changes(self, request, pk=None):
        """The plan's changes, each with its reasons; filter by kind, manager or client name."""
        plan = self.get_object()
        filterset = PlanChangeFilterSet(
            data=request.query_params,
            queryset=plan.changes.select_related("client", "from_manager__user", "reason").order_by("kind", "id"),
            request=request,
        )
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(PlanChangeSerializer(page, many=True).data)


class DepartureSerializer(StrictSerializer):
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)
    dry_run = serializers.BooleanField(default=False)
    queue_unplaced = serializers.BooleanField(default=False)


class DepartureResultSerializer(StrictSerializer):
    plan = PlanSerializer()
    changes = PlanChangeSerializer(many=True)


class DepartureView(APIView):
    """A manager leaves: every client is handed over in one step, or nothing changes (400 with the clients)."""

    permission_classes = [IsAuthenticated, IsManagement]

    @extend_schema(request=DepartureSerializer, responses={200: DepartureResultSerializer})
    def post(self, request, pk):
        manager = ClientManager.objects.visible_to(request.user).filter(pk=pk).first()
        if manager is None:
            raise Http404
        data = DepartureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        options = data.validated_data
        with transaction.atomic():
            if options["dry_run"]:
                plan = departure.departure_preview(
                    manager=manager, effective_on=options["effective_on"], actor=request.user
                )
            else:
                plan = departure.manager_depart(
                    manager=manager,
                    effective_on=options["effective_on"],
                    actor=request.user,
                    queue_unplaced=options["queue_unplaced"],
                )
            body = {
                "plan": PlanSerializer(plan).data,
                "changes": PlanChangeSerializer(
                    plan.changes.select_related("from_manager__user", "reason"), many=True
                ).data,
            }
            if options["dry_run"]:
                transaction.set_rollback(True)
        return Response(body)
