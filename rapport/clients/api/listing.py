"""The client list answered from plain rows: the page is read with ``values_list`` and shaped as
``ClientSerializer`` shapes a client, without building model instances.

Through the serializer, a page of 50 clients costs several milliseconds before the JSON is written: the model
serializer rebuilds its ~20 fields from the model on every request, then each row becomes a model instance and
goes through ~20 attribute lookups and ``to_representation`` calls. That is many times the page's query (a fraction
of a millisecond on an index). Here the serializer's fields are read once per set of roles into a ``RowPlan``: the
column each field reads and, where the JSON value is not the column's value itself, a plain conversion. A page is
then one ``values_list`` query and a ``dict(zip(...))`` per row.

The plan copies only what it can copy exactly: the field types ``ClientSerializer`` uses, with the formats of
today's settings. Any other field (a method field, a nested serializer, a field with a dotted source, a custom
``to_representation``) makes ``row_plan`` answer ``None``, and the list takes the serializer path, so a field added
to the serializer is never silently dropped or shaped differently. Fields a role may not see are left out the
same way the serializer leaves them out: the plan is built from the serializer's fields for that role set.
``rapport/clients/tests/test_listing.py`` pins the two paths to the same JSON for every role.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings
from rest_framework.viewsets import GenericViewSet

from rapport.accounts.roles import role_names

# Field classes whose JSON value is the column's value as the database driver returns it (str for text and
# choices, int for ids and integers, bool for flags); subclasses are not trusted, they may convert.
_AS_STORED = (
    drf_fields.CharField,
    drf_fields.EmailField,
    drf_fields.SlugField,
    drf_fields.URLField,
    drf_fields.ChoiceField,
    drf_fields.IntegerField,
    drf_fields.BooleanField,
    drf_fields.ReadOnlyField,
)


@dataclass(frozen=True)
class RowPlan:
    """How one serializer's fields map onto the columns of a ``values_list`` row."""

    names: tuple[str, ...]  # the JSON keys, in the serializer's order
    columns: tuple[str, ...]  # the column (or annotation) each key reads, in the same order
    dates: tuple[str, ...]  # keys whose value is a date, written as ISO 8601
    datetimes: tuple[tuple[str, Any], ...]  # (key, the field's own time zone or None for the current one)

    def shape(self, rows: Sequence[tuple]) -> list[dict]:
        """The serializer's representation of each ``values_list(*self.columns)`` row."""
        names = self.names
        results = [dict(zip(names, row, strict=True)) for row in rows]
        for name in self.dates:
            for result in results:
                value = result[name]
                if value is not None:
                    result[name] = value.isoformat()
        if self.datetimes:
            current = timezone.get_current_timezone()
            for name, zone in self.datetimes:
                for result in results:
                    value = result[name]
                    if value:
                        result[name] = _iso_datetime(value, zone or current)
        return results


def _iso_datetime(value: datetime.datetime, zone) -> str:
    """``DateTimeField.to_representation`` with the ISO 8601 format, for an aware value."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_plans: dict[tuple[type, frozenset[str]], RowPlan | None] = {}


def row_plan(serializer_class: type[serializers.ModelSerializer], *, request) -> RowPlan | None:
    """The plan of ``serializer_class`` for the request's user, or ``None`` when a field cannot be shaped from a
    column exactly. Built once per serializer and set of roles (a serializer may drop fields by role)."""
    key = (serializer_class, role_names(request.user))
    if key not in _plans:
        _plans[key] = _build_plan(serializer_class(context={"request": request}))
    return _plans[key]


def _build_plan(serializer: serializers.ModelSerializer) -> RowPlan | None:
    if type(serializer).to_representation is not serializers.Serializer.to_representation:
        return None
    model = serializer.Meta.model
    model_fields = {f.name: f for f in model._meta.concrete_fields}
    if not _formats_are_iso():
        return None
    names, columns, dates, datetimes = [], [], [], []
    for field in serializer._readable_fields:
        source = field.source
        if "." in source or source == "*" or field.source_attrs != [source]:
            return None
        model_field = model_fields.get(source)
        kind = type(field)
        if kind is relations.PrimaryKeyRelatedField and field.pk_field is None:
            if model_field is None or not model_field.many_to_one:
                return None
            column = model_field.attname
        elif kind in _AS_STORED or kind in (drf_fields.DateField, drf_fields.DateTimeField):
            if getattr(field, "format", None) not in (None, ISO_8601):
                return None
            # a model column, or an annotation of the list's queryset (``current_manager_id``)
            column = model_field.attname if model_field is not None else source
            if kind is drf_fields.DateField:
                dates.append(field.field_name)
            elif kind is drf_fields.DateTimeField:
                datetimes.append((field.field_name, getattr(field, "timezone", None)))
        else:
            return None
        names.append(field.field_name)
        columns.append(column)
    return RowPlan(names=tuple(names), columns=tuple(columns), dates=tuple(dates), datetimes=tuple(datetimes))


def _formats_are_iso() -> bool:
    """Dates and times are written as ISO 8601 (DRF's default), times as aware values in a time zone."""
    return settings.USE_TZ and api_settings.DATE_FORMAT == ISO_8601 and api_settings.DATETIME_FORMAT == ISO_8601


def list_response(view: GenericViewSet, request) -> Response | None:
    """The ``list`` answer of ``view`` (its queryset, filters and paginator) shaped by the plan of its serializer,
    or ``None`` when the serializer has no plan."""
    plan = row_plan(view.get_serializer_class(), request=request)
    if plan is None:
        return None
    rows = view.filter_queryset(view.get_queryset()).values_list(*plan.columns)
    page = view.paginate_queryset(rows)
    if page is None:
        return Response(plan.shape(rows))
    # In place: the paginator keeps this list and reads the last row's sort key (name, id) for the next link.
    page[:] = plan.shape(page)
    return view.get_paginated_response(page)
