"""API filter backends."""

from django_filters.rest_framework import DjangoFilterBackend


class IdleFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` that leaves the queryset as it is when the request names none of the FilterSet's
    filters: building and validating the filter form would cost a fixed millisecond or two to change nothing, a
    large share of a list page read by an index (see ``bench/bench_api.py``)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            names = filterset_class.base_filters.keys()
            # A prefix match keeps multi-widget filters (``<name>_min``, ``<name>_after``) on the full path.
            if not any(param.startswith(name) for param in request.query_params for name in names):
                return queryset
        return super().filter_queryset(request, queryset, view)
