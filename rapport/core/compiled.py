"""A query compiled once per shape and run with each request's values as parameters.

Building and compiling a list page's queryset (the restricted queryset, its filters, the selected columns, the
order) costs the ORM more than a millisecond, several times the page's query on an index. Requests of the same
*shape* (the same filters present, the same page size, with or without a cursor) compile to the same SQL with other
parameters. ``compile_shape`` compiles a shape once and finds, for each parameter, where its value comes from: a
constant of the query, or one of the request's values (a *source*, e.g. ``status`` or the cursor's id), as is,
through a known transform (``contains``: the ``LIKE`` pattern of ``icontains``), or as a subtype the backend
wraps it in (psycopg's ``Int4``).

It does not trust its reading of one compilation: it compiles the shape twice, with the request's values and with
*twin* values (another value of each source, all different), and keeps the shape only when both compile to the same
SQL text and every parameter is explained exactly once: equal in both (a constant) or, in both, the transform of
one source's value. A parameter that changed without a source to explain it (a value the query read from
elsewhere, such as the user) makes the shape uncompilable, so a cached shape holds no value of the request it was
compiled for except its constants.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def _same(value, connection):
    return value


def _contains(value, connection):
    """The parameter of ``field__icontains=value`` (and ``contains``): the value escaped for ``LIKE``, in ``%``."""
    return f"%{connection.ops.prep_for_like_query(value)}%"


TRANSFORMS: dict[str, Callable[[Any, Any], Any]] = {"same": _same, "contains": _contains}


@dataclass(frozen=True)
class CompiledQuery:
    """The SQL of one shape and, per parameter, ``(None, constant)`` or ``(source, transform name or type)``."""

    alias: str
    sql: str
    slots: tuple[tuple[str | None, Any], ...]

    def params(self, sources: Mapping[str, Any]) -> list:
        """The parameters for a request whose source values are ``sources``."""
        connection = connections[self.alias]
        return [
            value if source is None else _transform(value, sources[source], connection) for source, value in self.slots
        ]


def _transform(name: str | type, value, connection):
    # a transform's name, or the type the backend gives the value (psycopg's ``Int4`` for an integer ``Value``)
    return name(value) if isinstance(name, type) else TRANSFORMS[name](value, connection)


def compile_shape(
    real: QuerySet, twin: QuerySet, *, real_sources: Mapping[str, Any], twin_sources: Mapping[str, Any]
) -> tuple[CompiledQuery, Any] | None:
    """The shape of ``real`` (built from ``real_sources``) as learnt from ``twin`` (the same queryset built from
    ``twin_sources``, every value different), and the compiler of ``real``; ``None`` when the two do not compile
    to the same SQL or a parameter is not explained by exactly one constant or source."""
    if real.db != twin.db or set(real_sources) != set(twin_sources):
        return None
    if any(real_sources[name] == twin_sources[name] for name in real_sources):
        return None
    compiler = real.query.get_compiler(real.db)
    try:
        sql, params = compiler.as_sql()
        twin_sql, twin_params = twin.query.get_compiler(twin.db).as_sql()
    except EmptyResultSet:
        return None
    if sql != twin_sql or len(params) != len(twin_params):
        return None
    connection = connections[real.db]
    slots = []
    for value, twin_value in zip(params, twin_params, strict=True):
        if type(value) is type(twin_value) and value == twin_value:
            slots.append((None, value))
            continue
        explained = [
            (source, name)
            for source in real_sources
            for name, transform in TRANSFORMS.items()
            if _equal(transform(real_sources[source], connection), value)
            and _equal(transform(twin_sources[source], connection), twin_value)
        ]
        kind = type(value)
        explained += [
            (source, kind)
            for source in real_sources
            if kind is type(twin_value)
            and kind not in (type(real_sources[source]), bool)
            and isinstance(value, type(real_sources[source]))
            and _equal(kind(real_sources[source]), value)
            and _equal(kind(twin_sources[source]), twin_value)
        ]
        if len(explained) != 1:
            return None
        slots.append(explained[0])
    return CompiledQuery(alias=real.db, sql=sql, slots=tuple(slots)), compiler


def _equal(a, b) -> bool:
    # True == 1 in Python, but a source of one type never stands for a parameter of another
    return type(a) is type(b) and a == b
