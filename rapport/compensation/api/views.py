"""API of pay: plans and versions, periods (calculate, approve, summary), statements with their lines, queries,
overrides, salary bands and the what-if. Reads start from the caller's restricted queryset (others' statements are
404); writes parse and call a service, which checks authority (403) and refuses bad input (400 with a code)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.accounts.roles import Role
from rapport.compensation import selectors, services
from rapport.compensation.api.serializers import (
    AnswerSerializer,
    ApproveSerializer,
    CalculateResultSerializer,
    LineOverrideCreateSerializer,
    LineOverrideSerializer,
    LineQueryCreateSerializer,
    LineQuerySerializer,
    OpenPeriodSerializer,
    PayPeriodSerializer,
    PayPlanSerializer,
    PayPlanWriteSerializer,
    PeriodSummarySerializer,
    PlanVersionSerializer,
    PlanVersionUpdateSerializer,
    PlanVersionWriteSerializer,
    SalaryBandSerializer,
    SalaryBandWriteSerializer,
    StatementSerializer,
    WhatIfResultSerializer,
    WhatIfSerializer,
    figures_data,
)
from rapport.compensation.errors import CompensationError
from rapport.compensation.filtersets import (
    LineOverrideFilterSet,
    LineQueryFilterSet,
    PayPeriodFilterSet,
    StatementFilterSet,
)
from rapport.compensation.forms import WHATIF_MAX_MONTHS
from rapport.compensation.models import (
    CompensationPlan,
    LineOverride,
    LineQuery,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
    StatementLine,
)
from rapport.compensation.querysets import sees_pay, sees_pay_totals
from rapport.core.errors import refuse


class PlanViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Pay plans with their versions (Payroll writes; Management reads, to try them in a what-if)."""

    write_roles = (Role.PAYROLL,)

    serializer_class = PayPlanSerializer
    queryset = CompensationPlan.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return CompensationPlan.objects.visible_to(self.request.user).prefetch_related("versions").order_by("name")

    @extend_schema(request=PayPlanWriteSerializer, responses={201: PayPlanSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PayPlanWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_save(actor=request.user, data=serializer.validated_data)
        return Response(PayPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PayPlanWriteSerializer, responses={200: PayPlanSerializer})
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = PayPlanWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_save(actor=request.user, data=serializer.validated_data, plan=plan)
        return Response(PayPlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


class PlanVersionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Plan versions: figures from a month on, with warnings for base salaries outside the offered market band. A
    version that approved statements were paid with cannot change (400, ``version_in_use``)."""

    write_roles = (Role.PAYROLL,)

    serializer_class = PlanVersionSerializer
    queryset = PlanVersion.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            PlanVersion.objects.visible_to(self.request.user).select_related("plan").order_by("plan", "-effective_from")
        )

    @extend_schema(request=PlanVersionWriteSerializer, responses={201: PlanVersionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PlanVersionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = (
            CompensationPlan.objects.visible_to(request.user).filter(pk=serializer.validated_data.get("plan")).first()
        )
        if plan is None:
            raise Http404
        version = services.plan_version_save(actor=request.user, plan=plan, data=serializer.service_data())
        return Response(PlanVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanVersionUpdateSerializer, responses={200: PlanVersionSerializer})
    def partial_update(self, request, *args, **kwargs):
        version = self.get_object()
        serializer = PlanVersionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = services.plan_version_save(
            actor=request.user, plan=version.plan, data=serializer.service_data(), version=version
        )
        return Response(PlanVersionSerializer(version).data)


class PayPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pay periods (no personal pay in them). POST opens a month (Payroll); ``calculate`` runs it in the background
    (202) or at once with ``?sync=1`` (small companies, scripts); ``approve`` locks it; ``summary`` gives totals
    and distributions (Payroll and Management)."""

    write_roles = (Role.PAYROLL,)

    serializer_class = PayPeriodSerializer
    filterset_class = PayPeriodFilterSet
    queryset = PayPeriod.objects.none()

    def get_queryset(self):
        return PayPeriod.objects.visible_to(self.request.user).order_by("-month")

    @extend_schema(request=OpenPeriodSerializer, responses={201: PayPeriodSerializer})
    def create(self, request, *args, **kwargs):
        serializer = OpenPeriodSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.period_get_or_open(month=serializer.validated_data["month"], actor=request.user)
        return Response(PayPeriodSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("sync", bool, description="Calculate now instead of in the background.")],
        responses={202: PayPeriodSerializer, 200: CalculateResultSerializer},
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def calculate(self, request, pk=None):
        """Calculate (or recalculate) the period: queued for the task worker (202, poll ``progress``), or with
        ``?sync=1`` at once (200, with the counts)."""
        period = self.get_object()
        if request.query_params.get("sync") in ("1", "true"):
            result = services.period_calculate(period=period, actor=request.user)
            period.refresh_from_db()
            return Response(CalculateResultSerializer({"period": period, **result}).data)
        period = services.period_calculate_request(period=period, actor=request.user)
        period.refresh_from_db()
        return Response(PayPeriodSerializer(period).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=ApproveSerializer, responses={200: PayPeriodSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def approve(self, request, pk=None):
        """Approve (lock) a calculated period; with open queries only with ``force`` and a ``note``."""
        period = self.get_object()
        if not sees_pay(request.user):
            # Before parsing: someone who may not act learns nothing from validation errors.
            raise PermissionDenied
        serializer = ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = services.period_approve(period=period, actor=request.user, **serializer.validated_data)
        return Response(PayPeriodSerializer(period).data)

    @extend_schema(responses={200: PeriodSummarySerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def summary(self, request, pk=None):
        """Per currency: how many statements, their sum, lowest, median and highest total, and the sum per line
        kind. No individual statement."""
        period = self.get_object()
        summaries = selectors.period_summary(user=request.user, period=period)
        data = [
            {
                "currency": s.currency,
                "count": s.count,
                "total": s.total,
                "minimum": s.minimum,
                "median": s.median,
                "maximum": s.maximum,
                "by_kind": [{"kind": kind, "amount": amount} for kind, _label, amount in s.by_kind],
            }
            for s in summaries
        ]
        return Response(PeriodSummarySerializer(data, many=True).data)


class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Statements with their lines (each with its sentence and evidence): Payroll all, a manager their own; to
    anyone else none (404)."""

    serializer_class = StatementSerializer
    filterset_class = StatementFilterSet
    queryset = Statement.objects.none()

    def get_queryset(self):
        lines = StatementLine.objects.select_related("statement").order_by("position")
        return (
            Statement.objects.visible_to(self.request.user)
            .select_related("period", "manager__user")
            .prefetch_related(Prefetch("lines", queryset=lines))
            .order_by("-period__month", "manager_id")
        )


def _statement(request, pk: int) -> Statement:
    statement = Statement.objects.visible_to(request.user).select_related("period").filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


class LineQueryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Queries about statement lines: a manager asks about their own statement before approval; Payroll answers."""

    write_roles = {"create": (Role.CLIENT_MANAGER,), "*": (Role.PAYROLL,)}

    serializer_class = LineQuerySerializer
    filterset_class = LineQueryFilterSet
    queryset = LineQuery.objects.none()

    def get_queryset(self):
        return LineQuery.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=LineQueryCreateSerializer, responses={201: LineQuerySerializer})
    def create(self, request, *args, **kwargs):
        serializer = LineQueryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        statement = _statement(request, data.pop("statement"))
        query = services.line_query_create(actor=request.user, statement=statement, **data)
        return Response(LineQuerySerializer(query).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses={200: LineQuerySerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def answer(self, request, pk=None):
        """Payroll answers the query."""
        query = self.get_object()
        if not sees_pay(request.user):
            raise PermissionDenied
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        query = services.line_query_answer(actor=request.user, query=query, **serializer.validated_data)
        return Response(LineQuerySerializer(query).data)


class LineOverrideViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Payroll's amounts set by hand for statement lines, with their reasons (kept for audit, applied again on
    every recalculation)."""

    write_roles = (Role.PAYROLL,)

    serializer_class = LineOverrideSerializer
    filterset_class = LineOverrideFilterSet
    queryset = LineOverride.objects.none()

    def get_queryset(self):
        if not sees_pay(self.request.user):
            return LineOverride.objects.none()
        return LineOverride.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=LineOverrideCreateSerializer, responses={201: LineOverrideSerializer})
    def create(self, request, *args, **kwargs):
        if not sees_pay(request.user):
            raise PermissionDenied
        serializer = LineOverrideCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        statement = _statement(request, data.pop("statement"))
        query_id = data.pop("query")
        query = None
        if query_id is not None:
            query = (
                LineQuery.objects.visible_to(request.user)
                .filter(pk=query_id, period_id=statement.period_id, manager_id=statement.manager_id)
                .first()
            )
            if query is None:
                raise Http404
        override = services.line_override_set(actor=request.user, statement=statement, query=query, **data)
        return Response(LineOverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class SalaryBandViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Market salary bands (reference data): readable by everyone who works with pay or managers; Payroll edits."""

    write_roles = (Role.PAYROLL,)

    serializer_class = SalaryBandSerializer
    queryset = SalaryBand.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return SalaryBand.objects.visible_to(self.request.user)

    @extend_schema(request=SalaryBandWriteSerializer, responses={201: SalaryBandSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SalaryBandWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        band = services.salary_band_save(actor=request.user, data=serializer.validated_data)
        return Response(SalaryBandSerializer(band).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SalaryBandWriteSerializer, responses={200: SalaryBandSerializer})
    def partial_update(self, request, *args, **kwargs):
        band = self.get_object()
        serializer = SalaryBandWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        band = services.salary_band_save(actor=request.user, data=serializer.validated_data, band=band)
        return Response(SalaryBandSerializer(band).data)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end and len(months) <= WHATIF_MAX_MONTHS:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


class WhatIfView(APIView):
    """Run a plan version or draft figures on past months; nothing is saved. Management gets totals per month,
    Payroll also per manager."""

    @extend_schema(
        request=WhatIfSerializer,
        responses={200: WhatIfResultSerializer, 403: OpenApiResponse(description="Not Payroll or Management.")},
    )
    def post(self, request):
        if not sees_pay_totals(request.user):
            raise PermissionDenied
        serializer = WhatIfSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        months = _months(data["start"], data["end"])
        if not months or len(months) > WHATIF_MAX_MONTHS or months[-1] > timezone.localdate().replace(day=1):
            raise refuse(
                CompensationError.FUTURE_MONTH,
                _("Give up to %(n)s months, the first not after the last, none in the future.")
                % {"n": WHATIF_MAX_MONTHS},
                field="end",
            )
        if data["version"] is not None:
            version = PlanVersion.objects.visible_to(request.user).select_related("plan").filter(pk=data["version"])
            version = version.first()
            if version is None:
                raise Http404
            result = selectors.whatif_result(
                user=request.user, months=months, currency=version.plan.currency, version=version
            )
        else:
            draft = dict(data["draft"])
            currency = draft.pop("currency")
            rates = services.draft_rates(currency=currency, data=figures_data(draft))
            result = selectors.whatif_result(user=request.user, months=months, currency=currency, rates=rates)
        return Response(WhatIfResultSerializer(result).data)
