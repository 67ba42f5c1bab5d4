"""The assignment FilterSet, shared by UI, API and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rapport.assignment.choices import AssignmentReason, ChangeKind
from rapport.assignment.models import Assignment, PlanChange
from rapport.core.filters import AnyChoiceFilter, AnyModelChoiceFilter, IdFilter, YesNoFilter
from rapport.managers.models import ClientManager


class AssignmentFilterSet(django_filters.FilterSet):
    client = IdFilter(field_name="client_id", label=_("Client"))
    manager = IdFilter(field_name="manager_id", label=_("Manager"))
    reason = AnyChoiceFilter(choices=AssignmentReason.choices, label=_("Reason"))
    current = YesNoFilter(field_name="end_date", lookup_expr="isnull", label=_("Current"))

    class Meta:
        model = Assignment
        fields = ["client", "manager", "reason", "current"]


def _managers(request):
    return ClientManager.objects.visible_to(getattr(request, "user", None)).select_related("user")


class PlanChangeFilterSet(django_filters.FilterSet):
    """Filters of a plan's diff: the kind of change, a manager on either side, a client's name."""

    kind = AnyChoiceFilter(choices=ChangeKind.choices, label=pgettext_lazy("plan change", "Change"))
    manager = AnyModelChoiceFilter(queryset=_managers, method="filter_manager", label=_("Manager"))
    q = django_filters.CharFilter(field_name="client__name", lookup_expr="icontains", label=_("Client"))

    class Meta:
        model = PlanChange
        fields = ["kind", "manager", "q"]

    def filter_manager(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(Q(from_manager=value) | Q(to_manager=value))
