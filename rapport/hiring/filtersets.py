"""FilterSets of HR, shared by the UI lists and the API lists. Candidates can be filtered and sorted by what
the work needs — never by a protected characteristic, which no candidate has."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rapport.core.filters import AnyChoiceFilter, IntegerFilter, YesNoFilter
from rapport.hiring.choices import CandidateStatus, EducationLevel, KnowledgeArea, TrainingKind
from rapport.hiring.models import (
    Candidate,
    EmploymentContract,
    JobDescription,
    JobDescriptionTemplate,
    Position,
    Training,
)
from rapport.managers.choices import ManagerLevel, ManagerType


class TemplateFilterSet(django_filters.FilterSet):
    manager_type = AnyChoiceFilter(choices=ManagerType.choices, label=_("Type"))
    level = AnyChoiceFilter(choices=ManagerLevel.choices, label=_("Level"))
    language = django_filters.ChoiceFilter(
        choices=[("en", "English"), ("hu", "Magyar"), ("ru", "Русский")], empty_label=_("Any"), label=_("Language")
    )

    class Meta:
        model = JobDescriptionTemplate
        fields = ["manager_type", "level", "language", "is_active"]


class JobDescriptionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    manager_type = AnyChoiceFilter(choices=ManagerType.choices, label=_("Type"))
    level = AnyChoiceFilter(choices=ManagerLevel.choices, label=_("Level"))

    class Meta:
        model = JobDescription
        fields = ["q", "manager_type", "level", "language", "position", "manager"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset


class PositionFilterSet(django_filters.FilterSet):
    is_open = YesNoFilter(label=_("Open"))
    manager_type = AnyChoiceFilter(choices=ManagerType.choices, label=_("Type"))
    level = AnyChoiceFilter(choices=ManagerLevel.choices, label=_("Level"))

    class Meta:
        model = Position
        fields = ["is_open", "manager_type", "level"]


CANDIDATE_ORDER = {
    "name": ("last_name", "first_name", "id"),
    "-experience": ("-years_of_experience", "last_name", "id"),
    "-client_base": ("-client_base_size", "last_name", "id"),
    "-activity": ("-last_activity_at", "id"),
    "-created": ("-created_at", "-id"),
}


class CandidateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = AnyChoiceFilter(choices=CandidateStatus.choices, label=_("Status"))
    position = django_filters.ModelChoiceFilter(
        queryset=Position.objects.all(), empty_label=_("Any"), label=_("Position")
    )
    education_level = AnyChoiceFilter(choices=EducationLevel.choices, label=_("Education"))
    min_experience = django_filters.NumberFilter(
        field_name="years_of_experience", lookup_expr="gte", label=_("At least years of experience")
    )
    has_client_base = YesNoFilter(method="client_base", label=_("Brings a client base"))
    anonymised = YesNoFilter(field_name="anonymised_at", lookup_expr="isnull", exclude=True, label=_("Anonymised"))
    order = django_filters.ChoiceFilter(
        method="sort",
        empty_label=None,
        label=_("Sort by"),
        choices=[
            ("name", _("Name")),
            ("-experience", _("Experience")),
            ("-client_base", _("Client base")),
            ("-activity", _("Last activity")),
            ("-created", _("Newest")),
        ],
    )

    class Meta:
        model = Candidate
        fields = ["q", "status", "position", "education_level", "min_experience", "has_client_base", "anonymised"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(first_name__icontains=value) | Q(last_name__icontains=value) | Q(email__icontains=value.lower())
        )

    def client_base(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(client_base_size__gt=0) if value else queryset.filter(client_base_size=0)

    def sort(self, queryset, name, value):
        return queryset.order_by(*CANDIDATE_ORDER.get(value, CANDIDATE_ORDER["name"]))


class ContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    current = YesNoFilter(field_name="ended_on", lookup_expr="isnull", label=_("Not ended"))

    class Meta:
        model = EmploymentContract
        fields = ["q", "manager", "current"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(manager__user__first_name__icontains=value) | Q(manager__user__last_name__icontains=value)
        )


class TrainingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = AnyChoiceFilter(choices=TrainingKind.choices, label=_("Kind"))
    area = AnyChoiceFilter(choices=KnowledgeArea.choices, method="covers", label=_("Covers"))
    year = IntegerFilter(field_name="starts_on", lookup_expr="year", min_value=1, max_value=9999, label=_("Year"))

    class Meta:
        model = Training
        fields = ["q", "kind", "area", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(provider__icontains=value) | Q(trainer__icontains=value))

    def covers(self, queryset, name, value):
        if not value:
            return queryset
        # JSON lists: a containment lookup is not portable to SQLite, so match the quoted code in the text.
        return queryset.filter(knowledge_areas__icontains=f'"{value}"')
