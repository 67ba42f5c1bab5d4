"""FilterSets of cases, interactions and case events, shared by the UI lists and the API lists.

Date filters take dates in the company's time zone: ``opened_from=2026-03-01`` starts at local midnight.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from rapport.cases import sla
from rapport.cases.choices import OPEN_STATUSES, CaseCategory, CaseEventKind, CasePriority, CaseStatus, Channel
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.core.filters import AnyChoiceFilter, AnyModelChoiceFilter, IdFilter, YesNoFilter
from rapport.managers.models import ClientManager

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _managers(request):
    return ClientManager.objects.visible_to(getattr(request, "user", None)).select_related("user")


@extend_schema_field(OpenApiTypes.INT)
class _ManagerFilter(AnyModelChoiceFilter):
    """A client manager id."""


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


def _date_range(queryset, field: str, start: datetime.date | None, end: datetime.date | None):
    """Rows whose ``field`` falls on local dates ``start``..``end`` (both inclusive)."""
    if start:
        queryset = queryset.filter(**{f"{field}__gte": _local_midnight(start)})
    if end:
        queryset = queryset.filter(**{f"{field}__lt": _local_midnight(end + datetime.timedelta(days=1))})
    return queryset


class CaseFilterSet(django_filters.FilterSet):
    """Filters of the case list: lifecycle, handler, client, missed targets, the unrouted queue, opening dates."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = AnyChoiceFilter(choices=CaseStatus.choices, method="filter_status", label=_("Status"))
    priority = AnyChoiceFilter(choices=CasePriority.choices, label=_("Priority"))
    category = AnyChoiceFilter(choices=CaseCategory.choices, label=_("Category"))
    handler = _ManagerFilter(queryset=_managers, label=_("Handler"))
    client = IdFilter(field_name="client_id", label=_("Client"))
    open = YesNoFilter(method="filter_open", label=_("Open"))
    breached = YesNoFilter(method="filter_breached", label=_("Target missed"))
    unrouted = YesNoFilter(method="filter_unrouted", label=_("Without a handler"))
    opened_from = django_filters.DateFilter(widget=DATE, method="filter_opened_from", label=_("Opened from"))
    opened_to = django_filters.DateFilter(widget=DATE, method="filter_opened_to", label=_("Opened until"))

    class Meta:
        model = Case
        fields = [
            "q",
            "status",
            "priority",
            "category",
            "handler",
            "client",
            "open",
            "breached",
            "unrouted",
            "opened_from",
            "opened_to",
        ]

    def search(self, queryset, name, value):
        value = value.strip().lstrip("#")
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(Q(pk=int(value)) | Q(subject__icontains=value))
        return queryset.filter(Q(subject__icontains=value) | Q(client__name__icontains=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_breached(self, queryset, name, value):
        """Cases that missed a target as of now (see ``sla.breach``), or none."""
        if value is None:
            return queryset
        breach = sla.breach(timezone.now())
        return queryset.filter(breach) if value else queryset.exclude(breach)

    def filter_unrouted(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(handler__isnull=value)

    def filter_opened_from(self, queryset, name, value):
        return _date_range(queryset, "opened_at", value, None)

    def filter_opened_to(self, queryset, name, value):
        return _date_range(queryset, "opened_at", None, value)


class InteractionFilterSet(django_filters.FilterSet):
    """Filters of the interaction list: client, manager, channel, linked case, dates, follow-ups."""

    client = IdFilter(field_name="client_id", label=_("Client"))
    manager = _ManagerFilter(queryset=_managers, label=_("Manager"))
    channel = AnyChoiceFilter(choices=Channel.choices, label=_("Channel"))
    case = IdFilter(field_name="case_id", label=_("Case"))
    occurred_from = django_filters.DateFilter(widget=DATE, method="filter_from", label=_("From"))
    occurred_to = django_filters.DateFilter(widget=DATE, method="filter_to", label=_("Until"))
    follow_up_due = YesNoFilter(method="filter_follow_up_due", label=_("Follow-up due"))

    class Meta:
        model = Interaction
        fields = ["client", "manager", "channel", "case", "occurred_from", "occurred_to", "follow_up_due"]

    def filter_from(self, queryset, name, value):
        return _date_range(queryset, "occurred_at", value, None)

    def filter_to(self, queryset, name, value):
        return _date_range(queryset, "occurred_at", None, value)

    def filter_follow_up_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = Q(follow_up_on__lte=timezone.localdate())
        return queryset.filter(due) if value else queryset.exclude(due)


class CaseEventFilterSet(django_filters.FilterSet):
    """Filters of the timeline entries: case, kind, credited manager."""

    case = IdFilter(field_name="case_id", label=_("Case"))
    kind = AnyChoiceFilter(choices=CaseEventKind.choices, label=_("Kind"))
    manager = IdFilter(field_name="manager_id", label=_("Manager"))

    class Meta:
        model = CaseEvent
        fields = ["case", "kind", "manager"]
