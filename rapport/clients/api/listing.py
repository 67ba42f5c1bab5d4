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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.db.models.query import BaseIterable
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
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
    iterable: type[BaseIterable] = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "iterable", type("ShapedRows", (_ShapedRows,), {"plan": self}))

    def shape(self, rows: Iterable[tuple]) -> list[dict]:
        """The serializer's representation of each ``values_list(*self.columns)`` row, as Django returns it."""
        return _shape(rows, self.names, self._formats(raw=None))

    def read(self, queryset: QuerySet) -> list[dict]:
        """Run ``queryset`` (a ``values_list(*self.columns)``, sliced and filtered at will) on the raw cursor and
        shape its rows. The driver's values are turned into the JSON ones directly, as Django's converters and the
        serializer's fields would turn them; a column of a type this does not know is read through Django."""
        compiler = queryset.query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return []
        connection = compiler.connection
        selected = {alias: index for index, (_expression, _sql, alias) in enumerate(compiler.select)}
        types = [_column_type(compiler.select[selected[column]][0].output_field) for column in self.columns]
        timed = {*self.dates, *(name for name, _zone in self.datetimes)}
        if any(
            kind is None or (kind in _TIMES and name not in timed) for name, kind in zip(self.names, types, strict=True)
        ):
            rows, raw = compiler.results_iter(tuple_expected=True), None
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows, raw = cursor.fetchall(), (connection, types)
        if list(selected) != list(self.columns):  # another order, or columns the page does not show
            positions = [selected[column] for column in self.columns]
            rows = ([row[index] for index in positions] for row in rows)
        return _shape(rows, self.names, self._formats(raw=raw))

    def _formats(self, *, raw) -> list[tuple[int, Callable]]:
        """(position, function) for each column whose JSON value is not the value read: from Django's value, or,
        with ``raw`` = (connection, column types), from the driver's (the functions take both)."""
        zone = timezone.get_current_timezone()
        stored_in = raw[0].timezone if raw else datetime.UTC  # naive times read raw are in the connection's zone
        jsons = {name: _iso_date for name in self.dates}
        jsons.update(
            {name: partial(_iso_datetime, stored_in=stored_in, zone=own or zone) for name, own in self.datetimes}
        )
        formats = []
        for index, name in enumerate(self.names):
            if name in jsons:
                formats.append((index, jsons[name]))
            elif raw and raw[1][index] == "BooleanField" and raw[0].vendor == "sqlite":
                formats.append((index, bool))  # stored as 0 and 1
        return formats


def _shape(rows: Iterable[Sequence], names: tuple[str, ...], formats: list[tuple[int, Callable]]) -> list[dict]:
    results = []
    for row in rows:
        if formats:
            row = list(row)
            for index, format_ in formats:
                value = row[index]
                if value is not None:
                    row[index] = format_(value)
        results.append(dict(zip(names, row, strict=True)))
    return results


def _iso_date(value: datetime.date | str) -> str:
    """``DateField.to_representation`` with the ISO 8601 format, of a date or SQLite's text of one."""
    return (parse_date(value) if isinstance(value, str) else value).isoformat()


def _iso_datetime(value: datetime.datetime | str, stored_in, zone) -> str:
    """``DateTimeField.to_representation`` with the ISO 8601 format in ``zone``, of an aware time, or of a naive
    one or SQLite's text of one (in ``stored_in``, as Django's converters read it)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=stored_in)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# Column types whose driver value is the Python value Django returns, on SQLite and PostgreSQL alike.
_DRIVER_VALUES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "CharField",
        "TextField",
        "EmailField",
        "SlugField",
        "URLField",
    }
)
_TIMES = frozenset({"DateField", "DateTimeField"})
_CONVERTED = frozenset({"BooleanField", *_TIMES})


def _column_type(field) -> str | None:
    """The internal type of a selected column's field (a key's, its target's), or None when ``read`` does not
    know how Django converts it."""
    while field.is_relation:
        field = field.target_field
    kind = field.get_internal_type()
    return kind if kind in _DRIVER_VALUES or kind in _CONVERTED else None


class _ShapedRows(BaseIterable):
    """Iterates a ``values_list`` queryset as the dicts of its plan (``RowPlan.read``)."""

    plan: RowPlan

    def __iter__(self):
        return iter(self.plan.read(self.queryset))


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
            if kind in (drf_fields.DateField, drf_fields.DateTimeField):
                # a date or a time field of the model itself (what ``read`` converts)
                if model_field is None or model_field.get_internal_type() != kind.__name__:
                    return None
                if kind is drf_fields.DateField:
                    dates.append(field.field_name)
                else:
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
    # The rows come out shaped (as ``values_list(named=True)`` swaps the iterable for named tuples): the paginator
    # slices and reads them as they are, and takes the last one's name and id for the next link.
    rows._iterable_class = plan.iterable
    page = view.paginate_queryset(rows)
    if page is None:
        return Response(list(rows))
    return view.get_paginated_response(page)
