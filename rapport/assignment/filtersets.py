"""The assignment FilterSet, shared by UI, API and exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from rapport.assignment.choices import AssignmentReason
from rapport.assignment.models import Assignment
from rapport.core.filters import AnyChoiceFilter, YesNoFilter


class AssignmentFilterSet(django_filters.FilterSet):
    client = django_filters.NumberFilter(field_name="client_id", label=_("Client"))
    manager = django_filters.NumberFilter(field_name="manager_id", label=_("Manager"))
    reason = AnyChoiceFilter(choices=AssignmentReason.choices, label=_("Reason"))
    current = YesNoFilter(field_name="end_date", lookup_expr="isnull", label=_("Current"))

    class Meta:
        model = Assignment
        fields = ["client", "manager", "reason", "current"]
