"""The rating FilterSet, shared by the UI lists and the API list."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from rapport.core.filters import AnyChoiceFilter, AnyModelChoiceFilter
from rapport.feedback.choices import RequestSubject
from rapport.feedback.models import Rating
from rapport.feedback.periods import Period
from rapport.feedback.querysets import managers_with_visible_ratings

STAR_CHOICES = [(n, str(n)) for n in range(1, 6)]


def _managers(request):
    return managers_with_visible_ratings(getattr(request, "user", None)).select_related("user")


@extend_schema_field(OpenApiTypes.INT)
class _ManagerFilter(AnyModelChoiceFilter):
    """A manager id."""


class RatingFilterSet(django_filters.FilterSet):
    """Filters of ratings: the manager rated, the days given (both included, site time zone), stars, subject."""

    manager = _ManagerFilter(queryset=_managers, label=_("Manager"))
    start = django_filters.DateFilter(method="filter_start", label=_("From"))
    end = django_filters.DateFilter(method="filter_end", label=_("To"))
    stars = AnyChoiceFilter(choices=STAR_CHOICES, label=_("Stars"))
    subject = AnyChoiceFilter(field_name="request__subject", choices=RequestSubject.choices, label=_("Rated"))

    class Meta:
        model = Rating
        fields = ["manager", "start", "end", "stars", "subject"]

    def filter_start(self, queryset, name, value):
        return queryset.filter(created_at__gte=Period(value, value).bounds()[0])

    def filter_end(self, queryset, name, value):
        return queryset.filter(created_at__lt=Period(value, value).bounds()[1])
