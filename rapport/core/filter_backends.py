"""API filter backends."""

import functools

from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend


class IdleFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` that builds only the filters the request names: each filter of a FilterSet is
    deep-copied and gets a form field on every request, a fixed millisecond or two for the fourteen filters of the
    client list, a large share of a list page read by an index (see ``bench/bench_api.py``). A filter whose
    parameter is absent changes nothing, so leaving it out changes no answer; without any, the queryset is left as
    it is. The FilterSet of the named filters is a subclass built once per set of names."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return super().filter_queryset(request, queryset, view)
        named = named_filters(filterset_class, request.query_params)
        if not named:
            return queryset
        filterset = _with_only(filterset_class, named)(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid() and self.raise_exception:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs


def named_filters(filterset_class, params) -> frozenset[str]:
    """The filters of ``filterset_class`` the query ``params`` name. A prefix match keeps multi-widget filters
    (``<name>_min``, ``<name>_after``)."""
    return _named(filterset_class, frozenset(params))


@functools.lru_cache(maxsize=1024)
def _named(filterset_class, params: frozenset[str]) -> frozenset[str]:
    return frozenset(name for name in filterset_class.base_filters if any(p.startswith(name) for p in params))


def filter_cleaned(filterset_class, request, queryset, cleaned: dict):
    """``queryset`` filtered by the filters ``cleaned`` names with these values, taken as already cleaned: what
    ``IdleFilterBackend`` answers for a request whose form cleans to ``cleaned``, without reading or validating
    a form (``rapport.core.compiled`` builds a shape's twin with it)."""
    filterset = _with_only(filterset_class, frozenset(cleaned))(data=cleaned, queryset=queryset, request=request)
    # in the order of the filters, as the form cleans them (the order of the query's conditions)
    filterset.form.cleaned_data = {name: cleaned[name] for name in filterset.filters if name in cleaned}
    return filterset.filter_queryset(queryset)


@functools.lru_cache(maxsize=256)
def _with_only(filterset_class, names: frozenset[str]):
    """``filterset_class`` with only the filters ``names``."""
    narrowed = type(filterset_class.__name__, (filterset_class,), {"__module__": filterset_class.__module__})
    narrowed.base_filters = {name: f for name, f in filterset_class.base_filters.items() if name in names}
    return narrowed
