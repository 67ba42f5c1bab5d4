"""One FilterSet per model, shared by the UI list, the API list and exports."""

import django_filters
from django.db.models import F, OuterRef, Q, Subquery
from django.forms import DateInput, HiddenInput
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.core.filters import AnyChoiceFilter, AnyModelChoiceFilter, IdFilter, YesNoFilter
from rapport.managers.choices import ManagerType
from rapport.managers.models import ClientManager


def _groups(request):
    user = getattr(request, "user", None)
    return ClientGroup.objects.visible_to(user)


def _managers(request):
    user = getattr(request, "user", None)
    return ClientManager.objects.visible_to(user).select_related("user")


@extend_schema_field(OpenApiTypes.INT)
class _ManagerFilter(AnyModelChoiceFilter):
    """A personal manager id."""


class ClientFilterSet(django_filters.FilterSet):
    """Filters of the client list: search by name or registration number, and the registry's dimensions."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    group = AnyModelChoiceFilter(queryset=_groups, label=_("Client group"))
    kind = AnyChoiceFilter(choices=ClientKind.choices, label=_("Kind"))
    is_vip = YesNoFilter(label=_("VIP"))
    motivation = AnyChoiceFilter(choices=Motivation.choices, label=_("Motivation"))
    status = AnyChoiceFilter(choices=ClientStatus.choices, label=_("Status"))
    manager = _ManagerFilter(queryset=_managers, method="filter_manager", label=_("Personal manager"))
    unassigned = YesNoFilter(method="filter_unassigned", label=_("Without a personal manager"))
    manager_type = AnyChoiceFilter(
        choices=ManagerType.choices, method="filter_manager_type", label=_("Personal manager's type")
    )
    motivation_match = YesNoFilter(method="filter_motivation_match", label=_("Motivation matches the manager's type"))
    manager_vip_qualified = YesNoFilter(
        method="filter_manager_vip_qualified", label=_("Personal manager is VIP-qualified")
    )
    # An id, not a choice: the dashboard's figures link here, and a second select of every manager would cost a
    # query and a page of options for a filter people rarely set by hand.
    acquired_by = IdFilter(field_name="acquired_by", label=_("Acquired by"), widget=HiddenInput)
    acquired_from = django_filters.DateFilter(
        field_name="acquired_on", lookup_expr="gte", label=_("Acquired from"), widget=DateInput(attrs={"type": "date"})
    )
    acquired_to = django_filters.DateFilter(
        field_name="acquired_on", lookup_expr="lte", label=_("Acquired until"), widget=DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Client
        fields = [
            "q",
            "group",
            "kind",
            "is_vip",
            "motivation",
            "status",
            "manager",
            "unassigned",
            "manager_type",
            "motivation_match",
            "manager_vip_qualified",
            "acquired_by",
            "acquired_from",
            "acquired_to",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(registration_number=value))

    def filter_manager(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(assignments__end_date__isnull=True, assignments__manager=value)

    def filter_manager_type(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(assignments__end_date__isnull=True, assignments__manager__manager_type=value)

    def filter_motivation_match(self, queryset, name, value):
        """Assigned clients with a known motivation whose current manager's type is (or is not) that motivation."""
        if value is None:
            return queryset
        assignment = Client._meta.get_field("assignments").related_model
        current_type = assignment.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True).values(
            "manager__manager_type"
        )[:1]
        queryset = queryset.exclude(motivation=Motivation.UNKNOWN).annotate(current_type=Subquery(current_type))
        queryset = queryset.filter(current_type__isnull=False)
        same = Q(motivation=F("current_type"))
        return queryset.filter(same) if value else queryset.exclude(same)

    def filter_manager_vip_qualified(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(assignments__end_date__isnull=True, assignments__manager__vip_qualified=value)

    def filter_unassigned(self, queryset, name, value):
        if value is None:
            return queryset
        # One join for both conditions: an assignment exists and it has not ended (``end_date IS NULL`` alone would
        # also match clients without any assignment, through the outer join).
        has_current = queryset.filter(assignments__isnull=False, assignments__end_date__isnull=True).values("pk")
        return queryset.exclude(pk__in=has_current) if value else queryset.filter(pk__in=has_current)


class ClientGroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = ClientGroup
        fields = ["q"]
