"""Filters of opportunities, shared by the board, the list, the API and exports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import IdFilter, IsoDateTimeFilter
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Opportunity, StageChange


def _managers(request):
    user = getattr(request, "user", None)
    return ClientManager.objects.visible_to(user).select_related("user")


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=Stage.choices)
    manager = django_filters.ModelChoiceFilter(label=_("Manager"), queryset=_managers)
    client = IdFilter(label=_("Client"), field_name="client_id")
    created_after = django_filters.DateFilter(label=_("Opened from"), field_name="created_at", lookup_expr="date__gte")
    created_before = django_filters.DateFilter(label=_("Opened to"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Opportunity
        fields = ["q", "stage", "manager", "client", "created_after", "created_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(title__icontains=value) | queryset.filter(client__name__icontains=value)


class StageChangeFilterSet(django_filters.FilterSet):
    opportunity = IdFilter(field_name="opportunity_id")
    to_stage = django_filters.ChoiceFilter(choices=Stage.choices)
    after = IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    before = IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = StageChange
        fields = ["opportunity", "to_stage", "after", "before"]
