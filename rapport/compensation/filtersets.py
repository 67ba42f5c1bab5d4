"""FilterSets of pay, shared by the API lists (and usable by page lists)."""

import django_filters

from rapport.compensation.choices import LineKind, PeriodStatus, QueryStatus
from rapport.compensation.models import LineOverride, LineQuery, PayPeriod, Statement
from rapport.core.filters import IdFilter


class PayPeriodFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")

    class Meta:
        model = PayPeriod
        fields = ["status", "month_from", "month_to"]


class StatementFilterSet(django_filters.FilterSet):
    period = IdFilter(field_name="period_id")
    month = django_filters.DateFilter(field_name="period__month")
    manager = IdFilter(field_name="manager_id")

    class Meta:
        model = Statement
        fields = ["period", "month", "manager"]


class LineQueryFilterSet(django_filters.FilterSet):
    period = IdFilter(field_name="period_id")
    manager = IdFilter(field_name="manager_id")
    status = django_filters.ChoiceFilter(choices=QueryStatus.choices)
    kind = django_filters.ChoiceFilter(choices=LineKind.choices)

    class Meta:
        model = LineQuery
        fields = ["period", "manager", "status", "kind"]


class LineOverrideFilterSet(django_filters.FilterSet):
    period = IdFilter(field_name="period_id")
    manager = IdFilter(field_name="manager_id")

    class Meta:
        model = LineOverride
        fields = ["period", "manager"]
