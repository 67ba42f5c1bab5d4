"""Pagination that never counts the whole table.

``COUNT(*)`` over a million clients costs more than the page itself, so both the UI and the API fetch one row
more than the page size to learn whether a next page exists.

``OFFSET`` has the same flaw deeper in: page 10,000 makes the database walk past 500,000 rows first. Lists ordered
by an index (the client list: name, then id) therefore hand out a cursor in their ``next`` link, the sort key of
the page's last row, and the next page seeks straight to it (``SeekPagination``).
"""

import base64
import binascii
import json
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, Expression, F, QuerySet, Value
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    """One page of results, knowing its neighbours but not the total."""

    object_list: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def parse_page_number(raw: str | None) -> int:
    """Read a 1-based page number; anything invalid is page 1."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(queryset: QuerySet, *, number: int, per_page: int) -> Page:
    """Return page ``number`` (1-based) of ``queryset`` without counting it."""
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)


def page_from_request(request, queryset: QuerySet, *, per_page: int | None = None) -> dict:
    """The page the request asks for (``?page=N``), and the rest of its query string for the pager's links."""
    page = paginate(
        queryset,
        number=parse_page_number(request.GET.get("page")),
        per_page=per_page or settings.RAPPORT["PAGE_SIZE"],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}


class NoCountPagination(BasePagination):
    """API pagination: ``?page=N&page_size=M``; answers ``next``, ``previous`` and ``results``, no count."""

    page_size = 50
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.per_page = self.page_size_of(request)
        self.page = paginate(
            queryset, number=parse_page_number(request.query_params.get("page")), per_page=self.per_page
        )
        return self.page.object_list

    def page_size_of(self, request) -> int:
        """The page size the request asks for (``?page_size=M``), within bounds; the default if unreadable."""
        try:
            size = int(request.query_params.get("page_size", self.page_size))
        except ValueError:
            size = self.page_size
        return min(max(size, 1), self.max_page_size)

    def read_page(self, request, rows: list, *, number: int, per_page: int) -> list:
        """Take ``rows`` (up to ``per_page + 1``, read elsewhere) as page ``number`` of the request's list, as
        ``paginate_queryset`` would have read them; the page's rows, for ``get_paginated_response``."""
        self.request = request
        self.per_page = per_page
        self.page = Page(object_list=rows[:per_page], number=number, has_next=len(rows) > per_page)
        return self.page.object_list

    def _link(self, number: int, cursor: str | None = None) -> str:
        """The request's URL for page ``number`` (and after ``cursor``): what DRF's ``remove_query_param`` and
        ``replace_query_param`` write (the query sorted by name), in one pass over the query."""
        url = getattr(self, "_url", None)
        if url is None or url[0] is not self.request:  # the request's URL, split once for both links
            scheme, netloc, path, query, fragment = urlsplit(self.request.build_absolute_uri())
            url = self._url = (self.request, scheme, netloc, path, parse_qs(query, keep_blank_values=True), fragment)
        _request, scheme, netloc, path, query_params, fragment = url
        params = {name: values for name, values in query_params.items() if name != "cursor"}
        if number == 1:
            params.pop("page", None)
        else:
            params["page"] = [str(number)]
        if cursor is not None:
            params["cursor"] = [cursor]
        return urlunsplit((scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment))

    def _next_link(self) -> str | None:
        return self._link(self.page.next_page_number) if self.page.has_next else None

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._next_link(),
                "previous": self._link(self.page.previous_page_number) if self.page.has_previous else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "1-based page number.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": "Results per page (at most 500).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class SeekPagination(NoCountPagination):
    """``NoCountPagination`` for a queryset ordered by ``(seek_field, "id")`` with an index on both: the ``next``
    link also carries ``cursor``, the sort key of the page's last row, and a request with a cursor reads the rows
    after it through the index instead of skipping ``(page - 1) * page_size`` rows. ``page`` stays in the links
    (it numbers the page and ``previous`` uses it); an unreadable cursor is ignored, like an unreadable page."""

    seek_field = "name"

    def paginate_queryset(self, queryset, request, view=None):
        after = decode_cursor(request.query_params.get("cursor"))
        if after is None:
            return super().paginate_queryset(queryset, request, view)
        per_page = self.page_size_of(request)
        rows = list(self.after(queryset, *after)[: per_page + 1])
        return self.read_page(request, rows, number=self.cursor_page_number(request), per_page=per_page)

    @staticmethod
    def cursor_page_number(request) -> int:
        """The number of a page read after a cursor (never the first)."""
        return max(parse_page_number(request.query_params.get("page")), 2)

    def after(self, queryset: QuerySet, key, pk: int) -> QuerySet:
        """The rows of ``queryset`` after the one whose sort key is ``(key, pk)``."""
        if RowAfter.supported(queryset.db):
            return queryset.filter(RowAfter((self.seek_field, "id"), (key, pk)))
        # a range on the index's first column, the ties on the key decided by the id
        return queryset.filter(**{f"{self.seek_field}__gte": key}).exclude(**{self.seek_field: key, "id__lte": pk})

    def _next_link(self) -> str | None:
        if not self.page.has_next:
            return None
        last = self.page.object_list[-1]
        if isinstance(last, dict):  # a page shaped from plain rows (the client list, ``clients.api.listing``)
            cursor = encode_cursor(last[self.seek_field], last["id"])
        else:
            cursor = encode_cursor(getattr(last, self.seek_field), last.pk)
        return self._link(self.page.next_page_number, cursor)

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "Opaque position from a ``next`` link: the page starts after it (faster than ``page``).",
                "schema": {"type": "string"},
            },
        ]


class RowAfter(Expression):
    """``(a, b) > (x, y)``, a row value comparison: the rows after (x, y) in the order of an index on (a, b), which
    the database reaches with one seek. Written as ``a >= x AND NOT (a = x AND b <= y)`` instead, it seeks to x
    and then steps over every row with a = x and b <= y: thousands of clients of a common name."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, columns: tuple[str, ...], values: tuple):
        super().__init__()
        self.columns = [F(column) for column in columns]
        self.values = [Value(value) for value in values]

    @staticmethod
    def supported(alias: str) -> bool:
        connection = connections[alias]
        # Django keeps tuple lookups off on SQLite, but every SQLite it runs on (3.31+) compares row values.
        return connection.vendor == "sqlite" or connection.features.supports_tuple_lookups

    def get_source_expressions(self):
        return [*self.columns, *self.values]

    def set_source_expressions(self, expressions):
        half = len(expressions) // 2
        self.columns, self.values = list(expressions[:half]), list(expressions[half:])

    def as_sql(self, compiler, connection):
        columns = [compiler.compile(column) for column in self.columns]
        values = [compiler.compile(value) for value in self.values]
        sql = "({}) > ({})".format(", ".join(sql for sql, _ in columns), ", ".join(sql for sql, _ in values))
        return sql, [param for _, params in columns + values for param in params]


def encode_cursor(key: str, pk: int) -> str:
    # json.dumps([key, pk], ensure_ascii=False), written directly (the encoder's walk costs more than the cursor)
    text = f"[{encode_basestring(key)}, {int(pk)}]"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(raw: str | None) -> tuple[str, int] | None:
    """The (key, id) a cursor holds, or None when it is missing or not one of ours."""
    if not raw:
        return None
    try:
        key, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(key, str) or "\x00" in key or type(pk) is not int or not 0 <= pk < 2**63:
        return None
    try:
        key.encode()  # a lone surrogate ("\\ud800" in the JSON) is no text a database takes
    except UnicodeEncodeError:
        return None
    return key, pk
