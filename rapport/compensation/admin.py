"""Pay in the admin: read-only through the restricted querysets (pay changes only through the services, so every
rule and lock holds); the reference salary bands may be edited."""

from django.contrib import admin

from rapport.compensation.models import (
    Adjustment,
    CompensationPlan,
    LineOverride,
    LineQuery,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
    StatementLine,
)
from rapport.core.admin import ReadOnlyAdmin, RestrictedAdmin


class _ReadOnlyWithoutHistory(ReadOnlyAdmin):
    """Statements, lines, queries and adjustments keep no django-simple-history records: the admin's plain log is
    their history page."""

    object_history_template = None
    history_view = admin.ModelAdmin.history_view


@admin.register(CompensationPlan)
class CompensationPlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "currency"]
    search_fields = ["name"]


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "effective_from", "base_junior", "base_middle", "base_senior", "bonus_cap_percent"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


@admin.register(ManagerPlan)
class ManagerPlanAdmin(ReadOnlyAdmin):
    list_display = ["manager", "plan"]
    list_filter = ["plan"]
    list_select_related = ["manager__user", "plan"]


@admin.register(SalaryBand)
class SalaryBandAdmin(RestrictedAdmin):
    """Reference data: editable, with history."""

    list_display = ["name", "kind", "currency", "minimum", "maximum"]
    list_filter = ["kind", "currency"]


@admin.register(PayPeriod)
class PayPeriodAdmin(ReadOnlyAdmin):
    list_display = ["month", "status", "calculated_at", "approved_at", "approved_by"]
    list_filter = ["status"]


@admin.register(Statement)
class StatementAdmin(_ReadOnlyWithoutHistory):
    list_display = ["period", "manager", "total", "currency", "calculated_at"]
    list_filter = ["period", "currency"]
    list_select_related = ["period", "manager__user"]
    show_full_result_count = False
    # The inputs snapshot is shown as stored; it is what recomputes the statement.
    fields = ["period", "manager", "plan_version", "currency", "total", "calculated_at", "inputs"]
    readonly_fields = fields


@admin.register(StatementLine)
class StatementLineAdmin(_ReadOnlyWithoutHistory):
    list_display = ["statement", "position", "kind", "quantity", "rate", "amount", "reference_month"]
    list_filter = ["kind"]
    list_select_related = ["statement__period", "statement__manager__user"]
    show_full_result_count = False


@admin.register(LineOverride)
class LineOverrideAdmin(ReadOnlyAdmin):
    list_display = ["period", "manager", "kind", "reference_month", "amount", "created_by"]
    list_select_related = ["period", "manager__user", "created_by"]


@admin.register(LineQuery)
class LineQueryAdmin(_ReadOnlyWithoutHistory):
    list_display = ["period", "manager", "kind", "status", "author", "answered_by"]
    list_filter = ["status"]
    list_select_related = ["period", "manager__user", "author", "answered_by"]


@admin.register(Adjustment)
class AdjustmentAdmin(_ReadOnlyWithoutHistory):
    list_display = ["manager", "original_period", "posted_period", "kind", "line_kind", "amount"]
    list_filter = ["kind", "line_kind"]
    list_select_related = ["manager__user", "original_period", "posted_period"]
    show_full_result_count = False
