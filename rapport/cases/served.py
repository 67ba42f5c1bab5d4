"""Served clients: a client is served by a manager in a month when that manager logged at least one interaction
with them, or resolved a case of theirs, in that month.

Both facts are dated events — ``Interaction(manager, occurred_at)`` and the "resolved" ``CaseEvent(manager, at)`` —
so a case resolved in March, reopened and resolved again in April counts in both months, and a reassignment never
moves an earlier month's credit. Months run from midnight to midnight in the company's time zone
(``settings.TIME_ZONE``): an interaction at 23:30 on 31 January, Budapest time, counts in January.

The reads are set-based: a UNION of two range queries, each served by an index (``interaction_at_idx``, covering
occurred_at, manager and client; ``caseevent_kind_at_idx`` on kind, at and manager), deduplicated and counted in
the database.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from rapport.cases.choices import CaseEventKind
from rapport.cases.models import CaseEvent, Interaction


def month_bounds(month_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware start (inclusive) and end (exclusive) of the month containing ``month_start``, in the company's
    time zone."""
    zone = timezone.get_default_timezone()
    first = month_start.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min), zone)
    end = timezone.make_aware(datetime.datetime.combine(following, datetime.time.min), zone)
    return start, end


def served_rows(month_start: datetime.date, manager_ids: Iterable[int] | None) -> QuerySet:
    """The UNION (distinct rows) of ``(manager_id, client_id)`` from the month's interactions and resolutions."""
    start, end = month_bounds(month_start)
    interactions = Interaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    resolutions = CaseEvent.objects.filter(
        kind=CaseEventKind.RESOLVED, at__gte=start, at__lt=end, manager_id__isnull=False
    )
    if manager_ids is not None:
        ids = list(manager_ids)
        interactions = interactions.filter(manager_id__in=ids)
        resolutions = resolutions.filter(manager_id__in=ids)
    interactions = interactions.order_by().values(served_manager=F("manager_id"), served_client=F("client_id"))
    resolutions = resolutions.order_by().values(served_manager=F("manager_id"), served_client=F("case__client_id"))
    return interactions.union(resolutions)


def served_pairs(*, month_start: datetime.date, manager_ids: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """Every ``(manager_id, client_id)`` pair served in the month of ``month_start`` (optionally only for
    ``manager_ids``)."""
    if manager_ids is not None:
        manager_ids = list(manager_ids)
        if not manager_ids:
            return set()
    return {(row["served_manager"], row["served_client"]) for row in served_rows(month_start, manager_ids)}


def served_counts(*, month_start: datetime.date, manager_ids: Iterable[int] | None = None) -> dict[int, int]:
    """The number of distinct clients each manager served in the month of ``month_start``; managers who served
    nobody are absent. Counted in the database over the deduplicated union."""
    if manager_ids is not None:
        manager_ids = list(manager_ids)
        if not manager_ids:
            return {}
    sql, params = served_rows(month_start, manager_ids).query.sql_with_params()
    quote = connection.ops.quote_name
    query = (
        f"SELECT served.{quote('served_manager')}, COUNT(*) FROM ({sql}) served "  # noqa: S608 (compiled by the ORM)
        f"GROUP BY served.{quote('served_manager')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())
