"""The client list API: ``GET /api/v1/clients/`` in-process against the raw SQL its page needs.

Data: the client list benchmark's data set (``bench_client_list.build``): N clients (small: 20,000; full:
1,000,000), 200 client managers, current and ended assignments.

Cases (one page = 50 rows plus one to know whether a next page exists):
- ``indexed_filter``: ``?group=<id>&status=prospect``, filters on indexed columns.
- ``first_page``: the unfiltered first page; besides the ratio, its median latency must stay under 5 ms.
- ``deep_page``: a page half-way through the table, reached as a client following ``next`` links does
  (``?page=N&cursor=...``, see ``rapport.core.pagination.SeekPagination``). The floor: the 51 rows after the
  previous page's last (name, id), by the index. ``by_page_number_ms`` reports one call of ``?page=N`` alone,
  which skips the rows before it with OFFSET.
- ``name_search``: ``?q=<a name fragment>``, a case-insensitive substring search.

Ours is the whole view: DRF's request, the viewset's filters, the page, the serializer and the JSON rendering,
called through ``APIRequestFactory`` with a force-authenticated Management user (the user object is reused, as
within one request, so the role lookup is cached on it). The page is read by the SQL of the request's shape
(``rapport.clients.api.listing.compiled_response``), which the first, untimed call compiles, as the first request
of that shape would in a running server; ``queries`` counts that first call's (with the filter's validation).
The floor is one hand-written query through ``connection.cursor()`` on the same connection, fetched completely:
the answer's columns (``ClientSerializer``'s fields, no more) of the clients not deleted, the same rows. Both are
timed alternately (``bench.harness.compare``). Each case also checks that the page issues no ``COUNT`` query,
and reports ``sql_ratio``: the SQL our request ran for the page, replayed on the same raw cursor, against the
floor. It stays near 1 while the floor is the SQL the request needs; the ratio is then the cost of everything
around the query.

Measured at 1,000,000 clients (ours / floor; 2 shared cores): SQLite indexed filter 3.35, first page 3.48 (0.72 ms),
deep page 3.66, search 1.05; PostgreSQL 2.00, 2.15 (3.3 ms, a busy machine), 2.13, 1.15. Of a first page on SQLite
(about 0.9 ms in-process against a 0.26 ms floor, 20,000 clients): the query and its fetch 0.30 ms, shaping the 51
rows (two times per row in the company's zone) 0.19 ms, DRF's request, authentication, negotiation, response and
the orjson rendering 0.15 ms, the links 0.03 ms, the rest (parameters, the shape's look-up, the cursor) 0.25 ms.
"""

import sys
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory, force_authenticate

from bench.bench_client_list import SIZES, build
from bench.harness import case_result, compare
from rapport.clients.api.views import ClientViewSet
from rapport.clients.models import ClientGroup
from rapport.core.pagination import encode_cursor

BENCH = "api"
PAGE_SIZE = 50
INDEXED_TARGET = 4.0
SEARCH_TARGET = 1.3
FIRST_PAGE_MS = 5.0
SQL_ROUNDS = 5
# A fragment of a company name, as a person types it: a few hundred matches in a million (see _client_rows).
SEARCH = "abelor"

# The columns the answer shows (``ClientSerializer``'s fields), no more.
_COLUMNS = (
    "c.id, c.kind, c.name, c.registration_number, c.tax_number, c.email, c.phone, c.address, c.city, "
    "c.postal_code, c.country, c.group_id, c.status, c.is_vip, c.vip_since, c.vip_reason, c.vip_terms, "
    "c.motivation, c.motivation_note, c.motivation_determined_by_id, c.motivation_determined_at, c.acquired_by_id, "
    "c.acquired_on, c.created_at, c.updated_at"
)
_CURRENT_MANAGER = (
    "(SELECT a.manager_id FROM assignment_assignment a WHERE a.client_id = c.id AND a.end_date IS NULL LIMIT 1)"
)


def _floor(where: str, params: list, *, offset: int = 0):
    """One page in one hand-written query: the columns of the clients not deleted and their current manager, by
    name."""
    sql = f"""
        SELECT {_COLUMNS}, {_CURRENT_MANAGER}
        FROM clients_client c
        WHERE c.deleted_at IS NULL{f" AND {where}" if where else ""}
        ORDER BY c.name, c.id
        LIMIT {PAGE_SIZE + 1}{f" OFFSET {offset}" if offset else ""}
    """

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return floor


def _endpoint(user, params: dict):
    """The list endpoint called in-process, its JSON rendered."""
    factory = APIRequestFactory()
    view = ClientViewSet.as_view({"get": "list"})

    def ours():
        request = factory.get("/api/v1/clients/", params)
        force_authenticate(request, user=user)
        response = view(request)
        response.render()
        return response

    return ours


def _ids(response) -> list[int]:
    return [row["id"] for row in response.data["results"]]


def _measure(case: str, floor, ours, *, target: float, extra: dict | None = None) -> tuple[dict, dict]:
    """Check that ours answers the floor's rows (without a COUNT query), then time both; return the result line
    and the timing."""
    expected = [row[0] for row in floor()][:PAGE_SIZE]
    executed = []
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(_recorder(executed)):
        response = ours()
    page_query = _page_query(executed)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    error = None
    if response.status_code != 200:
        error = f"status {response.status_code}"
    elif not expected:
        error = "the floor returned no rows"
    elif _ids(response) != expected:
        error = "ours and the floor returned other rows"
    elif counts:
        error = f"the page counted: {counts[0][:200]}"
    elif page_query is None:
        error = "no query read the page"
    elif [row[0] for row in _raw(*page_query)()][:PAGE_SIZE] != expected:
        error = "our page's query, run raw, returned other rows than the floor"
    if error:
        return case_result(BENCH, case, target=target, timing=None, error=error, **(extra or {})), {}
    timing = compare(floor, ours)
    # Our page's own SQL through the same raw cursor: the floor is honest when this stays at 1 (same plan, same
    # columns), and the ratio above is then the cost of everything around the query.
    sql_ratio = compare(floor, _raw(*page_query), rounds=SQL_ROUNDS)["ratio"]
    line = case_result(
        BENCH,
        case,
        target=target,
        timing=timing,
        rows=len(expected),
        queries=len(captured),
        sql_ratio=sql_ratio,
        **(extra or {}),
    )
    return line, timing


def _recorder(executed: list):
    """A database execute wrapper that notes each (sql, params) as the driver receives it."""

    def record(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    return record


def _page_query(executed: list) -> tuple[str, list] | None:
    """The query that read the page: the last one ordered by name from the client table."""
    pages = [(sql, params) for sql, params in executed if '"clients_client"' in sql and "ORDER BY" in sql]
    return pages[-1] if pages else None


def _raw(sql: str, params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _search_where() -> tuple[str, list]:
    if connection.vendor == "postgresql":
        return "(UPPER(c.name) LIKE UPPER(%s) OR c.registration_number = %s)", [f"%{SEARCH}%", SEARCH]
    return "(c.name LIKE %s ESCAPE '\\' OR c.registration_number = %s)", [f"%{SEARCH}%", SEARCH]


def measure(boss, n_clients: int) -> list[dict]:
    """Time every case on the data set built for ``n_clients`` clients, as the Management user ``boss``."""
    group = ClientGroup.objects.order_by("id").first()
    results = []

    line, _ = _measure(
        "indexed_filter",
        _floor("c.group_id = %s AND c.status = %s", [group.pk, "prospect"]),
        _endpoint(boss, {"group": group.pk, "status": "prospect"}),
        target=INDEXED_TARGET,
    )
    results.append(line)

    line, timing = _measure("first_page", _floor("", []), _endpoint(boss, {}), target=INDEXED_TARGET)
    results.append(line)
    if timing:
        results.append(
            {
                "bench": BENCH,
                "case": "first_page",
                "metric": "p50_ms",
                "value": timing["ours_ms"],
                "target": FIRST_PAGE_MS,
                "ok": timing["ours_ms"] < FIRST_PAGE_MS,
            }
        )

    # Half-way through the table, reached by following next links: the cursor holds the previous page's last row.
    page = max(2, n_clients // PAGE_SIZE // 2)
    offset = (page - 1) * PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id FROM clients_client ORDER BY name, id LIMIT 1 OFFSET %s", [offset - 1])
        last_name, last_id = cursor.fetchone()
    by_offset = _endpoint(boss, {"page": page})
    started = time.perf_counter()
    offset_ids = _ids(by_offset())
    offset_ms = round((time.perf_counter() - started) * 1000, 1)
    seek_floor = _floor("(c.name, c.id) > (%s, %s)", [last_name, last_id])
    line, _ = _measure(
        "deep_page",
        seek_floor,
        _endpoint(boss, {"page": page, "cursor": encode_cursor(last_name, last_id)}),
        target=INDEXED_TARGET,
        extra={"page": page, "by_page_number_ms": offset_ms},
    )
    if offset_ids != [row[0] for row in seek_floor()][:PAGE_SIZE]:
        line.update(ok=False, error="?page=N and the cursor answered other rows")
    results.append(line)

    where, params = _search_where()
    line, _ = _measure(
        "name_search", _floor(where, params), _endpoint(boss, {"q": SEARCH}), target=SEARCH_TARGET, extra={"q": SEARCH}
    )
    results.append(line)
    return [result | {"clients": n_clients, "vendor": connection.vendor} for result in results]


def run(scale: str) -> list[dict]:
    started = time.perf_counter()
    boss, _ = build(scale)
    print(f"# {BENCH}: built {SIZES[scale]:,} clients in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return measure(boss, SIZES[scale])
