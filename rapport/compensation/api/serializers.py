"""API shapes of pay. Input serializers only parse; the services validate and decide."""

from rest_framework import serializers

from rapport.compensation import services
from rapport.compensation.choices import BandKind, LineKind
from rapport.compensation.explain import explain
from rapport.compensation.models import (
    CURRENCY_CHOICES,
    MONEY,
    CompensationPlan,
    LineOverride,
    LineQuery,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
    StatementLine,
)
from rapport.compensation.snapshot import line_evidence
from rapport.core.serializers import StrictModelSerializer, StrictSerializer


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"], **kwargs)


def figures_data(validated: dict) -> dict:
    """Parsed figures as the services take them (rating tiers as decimal strings)."""
    data = dict(validated)
    if "rating_tiers" in data:
        data["rating_tiers"] = [
            {"threshold": str(t["threshold"]), "amount": str(t["amount"])} for t in data["rating_tiers"]
        ]
    return data


class TierSerializer(StrictSerializer):
    threshold = serializers.DecimalField(max_digits=4, decimal_places=2)
    amount = _money()


class PlanVersionSerializer(StrictModelSerializer):
    rating_tiers = TierSerializer(many=True, read_only=True)
    band_warnings = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "effective_from",
            "base_junior",
            "base_middle",
            "base_senior",
            "allowance_corporate",
            "allowance_vip",
            "acquisition_bonus",
            "acquisition_bonus_vip",
            "service_bonus",
            "rating_tiers",
            "rating_min_count",
            "bonus_cap_percent",
            "note",
            "created_by",
            "created_at",
            "band_warnings",
        ]
        read_only_fields = fields

    def get_band_warnings(self, obj) -> list[str]:
        """Base salaries outside the offered market band of the plan's currency."""
        return services.band_warnings(obj)


class FiguresSerializer(StrictSerializer):
    """The figures of a plan version (a saved version or a what-if draft)."""

    base_junior = _money(min_value=0)
    base_middle = _money(min_value=0)
    base_senior = _money(min_value=0)
    allowance_corporate = _money(min_value=0)
    allowance_vip = _money(min_value=0)
    acquisition_bonus = _money(min_value=0)
    acquisition_bonus_vip = _money(min_value=0)
    service_bonus = _money(min_value=0)
    rating_tiers = TierSerializer(many=True, required=False, default=list)
    rating_min_count = serializers.IntegerField(min_value=0, required=False, default=3)
    bonus_cap_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )

    def service_data(self) -> dict:
        return figures_data(self.validated_data)


class PlanVersionWriteSerializer(FiguresSerializer):
    plan = serializers.IntegerField(help_text="The plan's id (creating only).", required=False)
    effective_from = serializers.DateField(help_text="The first day of a month.")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def service_data(self) -> dict:
        data = super().service_data()
        data.pop("plan", None)
        return data


class PlanVersionUpdateSerializer(PlanVersionWriteSerializer):
    """A partial change of a version: only the fields sent change."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            if hasattr(field, "default"):
                field.default = serializers.empty


class PayPlanSerializer(StrictModelSerializer):
    versions = PlanVersionSerializer(many=True, read_only=True)

    class Meta:
        model = CompensationPlan
        fields = ["id", "name", "currency", "description", "versions"]
        read_only_fields = fields


class PayPlanWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class PayPeriodSerializer(StrictModelSerializer):
    class Meta:
        model = PayPeriod
        fields = [
            "id",
            "month",
            "status",
            "calculated_at",
            "calculated_by",
            "approved_at",
            "approved_by",
            "approval_note",
            "running",
            "progress",
            "error",
        ]
        read_only_fields = fields


class OpenPeriodSerializer(StrictSerializer):
    month = serializers.DateField(help_text="Any day of the month to pay.")


class ApproveSerializer(StrictSerializer):
    force = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CalculateResultSerializer(StrictSerializer):
    period = PayPeriodSerializer()
    statements = serializers.IntegerField()
    unpaid = serializers.ListField(child=serializers.IntegerField(), help_text="Managers on no plan.")
    adjustments = serializers.IntegerField()


class KindSumSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=LineKind.choices)
    amount = _money()


class PeriodSummarySerializer(StrictSerializer):
    currency = serializers.CharField()
    count = serializers.IntegerField()
    total = _money()
    minimum = _money(allow_null=True)
    median = _money(allow_null=True)
    maximum = _money(allow_null=True)
    by_kind = KindSumSerializer(many=True)


class StatementLineSerializer(StrictModelSerializer):
    sentence = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = StatementLine
        fields = [
            "position",
            "kind",
            "reference_month",
            "quantity",
            "rate",
            "amount",
            "computed_amount",
            "sentence",
            "explanation",
            "evidence",
        ]
        read_only_fields = fields

    def get_sentence(self, obj) -> str:
        """The explanation as a sentence in the caller's language."""
        return explain(obj.explanation, obj.statement.currency)

    def get_evidence(self, obj) -> dict:
        """What the line counts, with its clients listed (from the statement's inputs snapshot where kept there)."""
        return line_evidence(obj)


class StatementSerializer(StrictModelSerializer):
    month = serializers.DateField(source="period.month", read_only=True)
    period_status = serializers.CharField(source="period.status", read_only=True)
    manager_name = serializers.CharField(source="manager.name", read_only=True)
    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "period",
            "month",
            "period_status",
            "manager",
            "manager_name",
            "plan_version",
            "currency",
            "total",
            "calculated_at",
            "lines",
        ]
        read_only_fields = fields


class LineQuerySerializer(StrictModelSerializer):
    class Meta:
        model = LineQuery
        fields = [
            "id",
            "period",
            "manager",
            "kind",
            "reference_month",
            "comment",
            "author",
            "status",
            "answer",
            "answered_by",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields


class LineQueryCreateSerializer(StrictSerializer):
    statement = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LineKind.choices)
    reference_month = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField()


class AnswerSerializer(StrictSerializer):
    answer = serializers.CharField()


class LineOverrideSerializer(StrictModelSerializer):
    class Meta:
        model = LineOverride
        fields = ["id", "period", "manager", "kind", "reference_month", "amount", "reason", "created_by", "created_at"]
        read_only_fields = fields


class LineOverrideCreateSerializer(StrictSerializer):
    statement = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=LineKind.choices)
    reference_month = serializers.DateField(required=False, allow_null=True, default=None)
    amount = _money()
    reason = serializers.CharField()
    query = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="A query it closes.")


class DraftSerializer(FiguresSerializer):
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)


class WhatIfSerializer(StrictSerializer):
    """A plan version (``version``) or unsaved figures (``draft``), tried on the months ``start``..``end``."""

    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    draft = DraftSerializer(required=False, allow_null=True, default=None)
    start = serializers.DateField(help_text="The first month (any day of it).")
    end = serializers.DateField(help_text="The last month (any day of it).")

    def validate(self, attrs):
        if (attrs.get("version") is None) == (attrs.get("draft") is None):
            raise serializers.ValidationError("Give either a version or a draft.", code="version_or_draft")
        return attrs


class WhatIfMonthSerializer(StrictSerializer):
    month = serializers.DateField()
    paid = _money()
    whatif = _money()
    difference = _money()


class WhatIfManagerSerializer(WhatIfMonthSerializer):
    manager_id = serializers.IntegerField()
    paid = _money(allow_null=True)


class WhatIfResultSerializer(StrictSerializer):
    currency = serializers.CharField()
    months = WhatIfMonthSerializer(many=True)
    managers = WhatIfManagerSerializer(many=True, required=False, help_text="Payroll only.")


class SalaryBandSerializer(StrictModelSerializer):
    class Meta:
        model = SalaryBand
        fields = ["id", "name", "kind", "currency", "minimum", "maximum", "source"]
        read_only_fields = fields


class SalaryBandWriteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=BandKind.choices)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    minimum = _money(min_value=0)
    maximum = _money(min_value=0)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
