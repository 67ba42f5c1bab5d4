"""The manager FilterSet, shared by the UI list, the API list and exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import AnyChoiceFilter, YesNoFilter
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager


class ManagerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    manager_type = AnyChoiceFilter(choices=ManagerType.choices, label=_("Type"))
    level = AnyChoiceFilter(choices=ManagerLevel.choices, label=_("Level"))
    work_mode = AnyChoiceFilter(choices=WorkMode.choices, label=_("Work mode"))
    employment_status = AnyChoiceFilter(choices=EmploymentStatus.choices, label=_("Employment status"))
    vip_qualified = YesNoFilter(label=_("VIP-qualified"))

    class Meta:
        model = ClientManager
        fields = ["q", "manager_type", "level", "work_mode", "employment_status", "vip_qualified"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__username__icontains=value)
        )
