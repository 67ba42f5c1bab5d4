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
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import BaseIterable
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django_filters import filters
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.response import Response
from rest_framework.settings import ISO_8601, api_settings
from rest_framework.viewsets import GenericViewSet

from rapport.accounts import roles
from rapport.accounts.roles import role_names
from rapport.core.compiled import CompiledQuery, compile_shape
from rapport.core.filter_backends import filter_cleaned, named_filters
from rapport.core.pagination import SeekPagination, decode_cursor, parse_page_number

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
        types, positions = self.columns_of(compiler)
        if not self.reads_raw(types):
            rows, raw = compiler.results_iter(tuple_expected=True), None
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows, raw = cursor.fetchall(), (connection, types)
        if positions is not None:
            rows = ([row[index] for index in positions] for row in rows)
        return _shape(rows, self.names, self._formats(raw=raw))

    def columns_of(self, compiler) -> tuple[list[str | None], list[int] | None]:
        """The type of each of the plan's columns in a compiled ``values_list`` (see ``_column_type``), and where
        each is in its rows: ``None`` when in the plan's order, else the position of each."""
        selected = {alias: index for index, (_expression, _sql, alias) in enumerate(compiler.select)}
        types = [_column_type(compiler.select[selected[column]][0].output_field) for column in self.columns]
        if list(selected) == list(self.columns):
            return types, None
        return types, [selected[column] for column in self.columns]  # another order, or columns not shown

    def reads_raw(self, types: list[str | None]) -> bool:
        """Whether rows of these column types are shaped from the driver's values (``read``)."""
        timed = {*self.dates, *(name for name, _zone in self.datetimes)}
        return not any(
            kind is None or (kind in _TIMES and name not in timed) for name, kind in zip(self.names, types, strict=True)
        )

    def _formats(self, *, raw) -> list[tuple[int, Callable]]:
        """(position, function) for each column whose JSON value is not the value read: from Django's value, or,
        with ``raw`` = (connection, column types), from the driver's (the functions take both)."""
        zone = timezone.get_current_timezone()
        stored_in = raw[0].timezone if raw else datetime.UTC  # naive times read raw are in the connection's zone
        jsons = {name: _iso_date for name in self.dates}
        jsons.update({name: _iso_datetime_in(stored_in=stored_in, zone=own or zone) for name, own in self.datetimes})
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


def row_shaper(
    names: tuple[str, ...], formats: list[tuple[int, Callable]], positions: Sequence[int] | None = None
) -> Callable[[Iterable[Sequence]], list[dict]]:
    """``_shape`` for rows of one layout, as one function: ``rows -> [{name: value}]``, each value the row's
    column (at ``positions[i]`` if given, else ``i``) or its format's function of it when not ``None``. Written as
    one dict display per row (like ``namedtuple`` writes its class) it costs a third of the general loop."""
    functions = dict(formats)
    namespace: dict[str, Any] = {}
    items = []
    for index, name in enumerate(names):
        column = f"row[{positions[index] if positions is not None else index}]"
        if index in functions:
            namespace[f"format_{index}"] = functions[index]
            items.append(f"{name!r}: None if {column} is None else format_{index}({column})")
        else:
            items.append(f"{name!r}: {column}")
    source = "def shape(rows):\n    return [{%s} for row in rows]\n" % ", ".join(items)  # noqa: UP031
    exec(source, namespace)  # noqa: S102 - the keys are repr()s of the serializer's field names
    return namespace["shape"]


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


def _iso_datetime_in(*, stored_in, zone) -> Callable[[datetime.datetime | str], str]:
    """``_iso_datetime`` in ``zone`` of times stored in ``stored_in``, as a function of the value alone."""
    if stored_in is datetime.UTC or stored_in == datetime.UTC:
        return _UtcTimes(zone)
    return partial(_iso_datetime, stored_in=stored_in, zone=zone)


class _UtcTimes:
    """``_iso_datetime`` of UTC times (naive or aware) in ``zone``, three times as fast: a zone's offset is the
    same all through an hour but the hour of a change, so the offset and its text are looked up per hour of UTC
    (``astimezone`` and writing an aware time cost most of the time of a page of 50 clients otherwise). An hour
    whose two ends have other offsets is written the long way, like any time of another zone than UTC."""

    _MAX_HOURS = 100_000

    def __init__(self, zone):
        self.zone = zone
        self.hours: dict[int, tuple[datetime.timedelta, str] | None] = {}

    def __call__(self, value) -> str:
        if value.__class__ is str:
            value = parse_datetime(value)
        aware = value.tzinfo is not None
        if aware and value.utcoffset():
            return _iso_datetime(value, stored_in=datetime.UTC, zone=self.zone)
        hour = value.toordinal() * 24 + value.hour
        known = self.hours.get(hour, False)
        if known is False:
            known = self._hour(value)
        if known is None:
            return _iso_datetime(value, stored_in=datetime.UTC, zone=self.zone)
        shift, suffix = known
        text = (value + shift).isoformat()
        return (text[:-6] if aware else text) + suffix

    def _hour(self, value: datetime.datetime) -> tuple[datetime.timedelta, str] | None:
        """The offset of ``zone`` through the UTC hour of ``value`` and its text as ``_iso_datetime`` ends with it,
        or ``None`` when the offset changes within the hour (or the hour is at the end of time)."""
        start = datetime.datetime(value.year, value.month, value.day, value.hour, tzinfo=datetime.UTC)
        try:
            local, after = start.astimezone(self.zone), (start + datetime.timedelta(hours=1)).astimezone(self.zone)
            (start + 2 * local.utcoffset()).isoformat()  # the shifted times of the hour are representable
        except OverflowError:
            local = after = None
        known = None
        if local is not None and local.utcoffset() == after.utcoffset():
            text = _iso_datetime(start, stored_in=datetime.UTC, zone=self.zone)
            known = (local.utcoffset(), text[len(local.replace(tzinfo=None).isoformat()) :])
        if len(self.hours) >= self._MAX_HOURS:
            self.hours.clear()
        self.hours[value.toordinal() * 24 + value.hour] = known
        return known


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
    response = compiled_response(view, request, plan)
    if response is not None:
        return response
    rows = view.filter_queryset(view.get_queryset()).values_list(*plan.columns)
    # The rows come out shaped (as ``values_list(named=True)`` swaps the iterable for named tuples): the paginator
    # slices and reads them as they are, and takes the last one's name and id for the next link.
    rows._iterable_class = plan.iterable
    page = view.paginate_queryset(rows)
    if page is None:
        return Response(list(rows))
    return view.get_paginated_response(page)


# The compiled path: a page of a request whose filters, page size and cursor are all of a known kind is read by the
# SQL of its shape (``rapport.core.compiled``), compiled from the view's own queryset, filters and paginator the
# first time the shape is asked for. Anything else (another filter, a repeated or unusual value, a reader who does
# not see every client) takes the path above, which validates it and answers errors.

_PAGING = frozenset({"page", "page_size", "cursor"})
_CURSOR_KEY, _CURSOR_ID = "cursor key", "cursor id"  # sources of the cursor (no filter name holds a space)
_TWIN_ID = 10**15  # twin ids: beyond any real id, one per source


@dataclass(frozen=True)
class _Cleaner:
    """Reads the one value of a filter the compiled path takes, as the filter's form field cleans it; ``None`` when
    the value is not one this reads with certainty (the request then takes the validating path)."""

    kind: str  # "choice", "bool", "id" (a model choice, read as its id) or "text"
    choices: frozenset[str] = frozenset()
    model: type | None = None

    def clean(self, raw: str):
        if self.kind == "choice":
            return raw if raw in self.choices else None
        if self.kind == "bool":
            return _BOOLEANS.get(raw)
        if self.kind == "id":
            # plain ASCII digits only: int() also reads " 7", "+7", "7_0" and other digits, as the form may not
            return int(raw) if raw.isascii() and raw.isdigit() and raw[0] != "0" and len(raw) <= 18 else None
        value = raw.strip()
        return value if value and "\x00" not in value else None

    def twin(self, value, index: int) -> tuple[Any, Any]:
        """Another value (the source's and the form's cleaned one) than ``value``, for ``compile_shape``."""
        if self.kind == "id":
            return _TWIN_ID + index, self.model(pk=_TWIN_ID + index)
        twin = f"~twin {index}~"  # any text: a twin is compiled, never validated or run
        return twin, twin


_BOOLEANS = {"true": True, "false": False}


@functools.cache
def _cleaners(filterset_class, names: tuple[str, ...]) -> dict[str, _Cleaner]:
    """The cleaner of each filter ``names`` lists whose kind the compiled path knows (filters on the model's own
    columns, and text filters whose SQL does not depend on the text, such as a search)."""
    cleaners = {}
    for name in names:
        filter_ = filterset_class.base_filters[name]
        if isinstance(filter_, filters.ModelChoiceFilter):
            if filter_.method is None and filter_.lookup_expr == "exact":
                model = filterset_class._meta.model._meta.get_field(filter_.field_name).related_model
                cleaners[name] = _Cleaner("id", model=model)
        elif isinstance(filter_, filters.ChoiceFilter):
            choices = filter_.field.choices
            if (
                filter_.method is None
                and filter_.lookup_expr == "exact"
                and not filter_.extra.get("null_label")
                and all(isinstance(label, str | Promise) for _key, label in choices)  # no groups of choices
            ):
                # the null choice ("null") filters on NULL, not on the value
                keys = frozenset(str(key) for key, _ in choices) - {"", filter_.null_value}
                cleaners[name] = _Cleaner("choice", choices=keys)
        elif isinstance(filter_, filters.BooleanFilter):
            if filter_.method is None and filter_.lookup_expr == "exact":
                cleaners[name] = _Cleaner("bool")
        elif type(filter_) is filters.CharFilter:
            cleaners[name] = _Cleaner("text")
    return cleaners


@dataclass
class _Shape:
    """A shape's compiled query, the type and the position of each of the plan's columns in its rows, and the
    plan's ``row_shaper`` per time zone."""

    query: CompiledQuery
    types: list[str | None]
    positions: list[int] | None
    shapers: dict = dataclass_field(default_factory=dict)


_shapes: dict[tuple, _Shape | None] = {}
_MAX_SHAPES = 1024


def compiled_response(view: GenericViewSet, request, plan: RowPlan) -> Response | None:
    """The ``list`` answer of ``view`` read by the compiled SQL of the request's shape, or ``None`` when the
    request is not one the compiled path answers. The view names the filters it may take (``compiled_filters``);
    its paginator is a ``SeekPagination``; the reader sees every client (Management, Admin), so the restriction
    of the shape holds no value of the reader."""
    paginator = view.paginator
    names_allowed = getattr(view, "compiled_filters", ())
    if not names_allowed or not isinstance(paginator, SeekPagination) or not roles.sees_all_clients(request.user):
        return None
    filterset_class = view.filterset_class
    cleaners = _cleaners(filterset_class, names_allowed)
    query = request.query_params
    # the values of ``fixed`` filters are part of the shape (Django writes ``flag`` and ``NOT flag``), the others
    # are parameters
    sources, fixed = {}, {}
    for name, values in query.lists():
        if len(values) != 1:
            return None
        if name in _PAGING:
            continue
        cleaner = cleaners.get(name)
        value = cleaner.clean(values[0]) if cleaner is not None else None
        if value is None:
            return None
        if cleaner.kind == "bool":
            fixed[name] = value
        else:
            sources[name] = value
    names = tuple(sorted(sources))
    if named_filters(filterset_class, query) != frozenset(names).union(fixed):
        return None
    per_page = paginator.page_size_of(request)
    after = decode_cursor(query.get("cursor"))
    alias = view.queryset.db
    key = (type(view), plan, names, tuple(sorted(fixed.items())), after is not None, per_page, alias)
    shape = _shapes.get(key, _shapes)
    if shape is _shapes:
        shape = _compile(view, request, plan, sources, fixed, cleaners, after, per_page)
        if shape is _shapes:  # a value of the request happened to be its twin: compile again next time
            return None
        if len(_shapes) >= _MAX_SHAPES:
            _shapes.clear()
        _shapes[key] = shape
    if shape is None:
        return None
    if after is None:
        number = parse_page_number(query.get("page"))
        offset = (number - 1) * per_page
    else:
        number, offset = paginator.cursor_page_number(request), 0
        sources[_CURSOR_KEY], sources[_CURSOR_ID] = after
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"{shape.query.sql} OFFSET {offset}" if offset else shape.query.sql, shape.query.params(sources))
        rows = cursor.fetchall()
    if not rows and any(cleaners[name].kind == "id" for name in names):
        # Rows prove the chosen record exists (they hold its id; every group is a choice for a reader who sees every
        # client). Without rows, the validating path answers: an empty page, or a 400 if there is no such record.
        return None
    zone = timezone.get_current_timezone()
    shaper = shape.shapers.get(zone)
    if shaper is None:
        formats = plan._formats(raw=(connection, shape.types))
        shaper = shape.shapers[zone] = row_shaper(plan.names, formats, shape.positions)
    page = paginator.read_page(request, shaper(rows), number=number, per_page=per_page)
    return view.get_paginated_response(page)


def _compile(view, request, plan: RowPlan, sources: dict, fixed: dict, cleaners: dict, after, per_page: int):
    """The shape of the request: its page's queryset built by the view (validated by its filters, which raise
    the request's 400 if need be) and by the same filters with twin values, compiled by ``compile_shape``."""
    twin_sources, twin_cleaned = {}, dict(fixed)
    for index, (name, value) in enumerate(sources.items()):
        twin_sources[name], twin_cleaned[name] = cleaners[name].twin(value, index)
    base = view.get_queryset()
    real = view.filter_queryset(base)
    twin = filter_cleaned(view.filterset_class, request, base, twin_cleaned) if twin_cleaned else base
    real_sources = dict(sources)
    if after is not None:
        real_sources[_CURSOR_KEY], real_sources[_CURSOR_ID] = after
        twin_sources[_CURSOR_KEY], twin_sources[_CURSOR_ID] = "~twin cursor~", _TWIN_ID + len(sources)
        real = view.paginator.after(real, *after)
        twin = view.paginator.after(twin, twin_sources[_CURSOR_KEY], twin_sources[_CURSOR_ID])
    if any(real_sources[name] == twin_sources[name] for name in real_sources):
        return _shapes
    compiled = compile_shape(
        real.values_list(*plan.columns)[: per_page + 1],
        twin.values_list(*plan.columns)[: per_page + 1],
        real_sources=real_sources,
        twin_sources=twin_sources,
    )
    if compiled is None:
        return None
    query, compiler = compiled
    types, positions = plan.columns_of(compiler)
    if not plan.reads_raw(types):
        return None
    return _Shape(query=query, types=types, positions=positions)
