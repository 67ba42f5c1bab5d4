"""The clients served per manager and month, as pay reads them: one ``ServedClientMonth`` row per (manager,
client, month), kept as the facts are recorded.

A client is served by a manager in a month when that manager logged an interaction with them or resolved a case of
theirs in that month (``rapport.cases.served``); the month is the company time zone's (``settings.TIME_ZONE``): an
interaction at 23:30 UTC on 31 January is on 1 February in Budapest and counts in February. The rows are written

- by the services that record the facts: ``interaction_log`` and ``case_resolve`` call ``record_served`` (an
  idempotent insert: the row is there once, however many events);
- set-based, from the events themselves, by ``rebuild_served`` (one ``INSERT … SELECT``; the migration that made
  the table filled it this way, and writers that date events themselves — the demo data — call it after);
- and taken away by ``forget_unserved`` where events are removed for good (a case purged with its timeline): a
  pair whose last evidence is gone is no longer served and does not pay. Interactions and resolutions are never
  deleted otherwise, and their managers and clients cannot be removed while they exist.

The pay run (``fetch.served``) reads the month's rows of the pool managers: about one row per distinct pair instead
of every event of the month.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

from rapport.cases.choices import CaseEventKind
from rapport.compensation.models import ServedClientMonth

# The local month's first day of a UTC timestamp column, per vendor (SQLite keeps naive UTC text; Django's own
# function converts it, as the ORM's date casts do).
_MONTH_OF = {
    "postgresql": "CAST(date_trunc('month', {x} AT TIME ZONE %s) AS date)",
    "sqlite": "substr(django_datetime_cast_date({x}, %s, 'UTC'), 1, 8) || '01'",
}
_INSERT = {
    "postgresql": ("INSERT INTO {table} (manager_id, client_id, month) ", " ON CONFLICT DO NOTHING"),
    "sqlite": ("INSERT OR IGNORE INTO {table} (manager_id, client_id, month) ", ""),
}


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the month ``moment`` falls in, in the company's time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def record_served(*, manager_id: int | None, client_id: int, at: datetime.datetime) -> None:
    """Note that ``manager_id`` served ``client_id`` at ``at`` (nothing when no manager is credited). Repeating it
    changes nothing."""
    if manager_id is None:
        return
    ServedClientMonth.objects.bulk_create(
        [ServedClientMonth(manager_id=manager_id, client_id=client_id, month=month_of(at))], ignore_conflicts=True
    )


def served_facts_sql(connection, *, start=None, end=None, tables=None) -> tuple[str, list]:
    """``SELECT manager_id, client_id, month`` of every interaction and credited resolution (duplicates too),
    optionally only of events at or after ``start`` and before ``end``. ``tables`` names the interaction, case
    event and case tables (default: the current models'; a migration passes its own)."""
    if tables is None:
        from rapport.cases.models import Case, CaseEvent, Interaction

        tables = (Interaction._meta.db_table, CaseEvent._meta.db_table, Case._meta.db_table)
    quote = connection.ops.quote_name
    interaction, event, case = (quote(name) for name in tables)
    month = _MONTH_OF[connection.vendor]
    zone = settings.TIME_ZONE
    bounds = [
        (operator, connection.ops.adapt_datetimefield_value(value))
        for value, operator in ((start, ">="), (end, "<"))
        if value is not None
    ]
    in_range_i = "".join(f" AND i.occurred_at {operator} %s" for operator, _ in bounds)
    in_range_e = "".join(f" AND e.at {operator} %s" for operator, _ in bounds)
    stamps = [stamp for _, stamp in bounds]
    sql = (
        f"SELECT i.manager_id, i.client_id, {month.format(x='i.occurred_at')} FROM {interaction} i "  # noqa: S608
        f"WHERE i.manager_id IS NOT NULL{in_range_i} "
        f"UNION ALL SELECT e.manager_id, k.client_id, {month.format(x='e.at')} "
        f"FROM {event} e JOIN {case} k ON k.id = e.case_id "
        f"WHERE e.kind = %s AND e.manager_id IS NOT NULL{in_range_e}"
    )
    return sql, [zone, *stamps, zone, str(CaseEventKind.RESOLVED), *stamps]


def rebuild_served(*, connection=None, start=None, end=None, replace: bool = False, tables=None, table=None) -> int:
    """Add every pair the events show (of events from ``start`` up to ``end``, or all) that is not there yet, in
    one set-based ``INSERT … SELECT``; returns the number of rows added. Pairs already there stay (a repeat adds
    nothing); with ``replace`` (all events only) every row is first removed, so only pairs the events show remain.
    ``connection``, ``tables`` and ``table`` (the pairs' table) let a migration run it on its state."""
    if replace and (start is not None or end is not None):
        raise ValueError("replace rebuilds from all events")
    connection = connection or default_connection
    facts, params = served_facts_sql(connection, start=start, end=end, tables=tables)
    head, tail = _INSERT[connection.vendor]
    target = connection.ops.quote_name(table or ServedClientMonth._meta.db_table)
    sql = f"{head.format(table=target)}SELECT DISTINCT * FROM ({facts}) facts{tail}"  # noqa: S608 (names)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if replace:
            cursor.execute(f"DELETE FROM {target}")  # noqa: S608 (a table name)
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def resolved_pairs(case_ids: Iterable[int]) -> set[tuple[int, int, datetime.date]]:
    """The (manager, client, month) pairs the resolutions of ``case_ids`` are evidence of."""
    from rapport.cases.models import CaseEvent

    rows = CaseEvent.objects.filter(
        case_id__in=list(case_ids), kind=CaseEventKind.RESOLVED, manager_id__isnull=False
    ).values_list("manager_id", "case__client_id", "at")
    return {(manager, client, month_of(at)) for manager, client, at in rows}


def forget_unserved(pairs: Iterable[tuple[int, int, datetime.date]]) -> int:
    """Remove those of ``pairs`` (manager, client, month) that no event shows any more; returns how many."""
    from rapport.cases.models import CaseEvent, Interaction
    from rapport.cases.served import month_bounds

    removed = 0
    for manager, client, month in sorted(set(pairs)):
        start, end = month_bounds(month)
        evidence = (
            Interaction.objects.filter(
                manager_id=manager, client_id=client, occurred_at__gte=start, occurred_at__lt=end
            ).exists()
            or CaseEvent.objects.filter(
                kind=CaseEventKind.RESOLVED, manager_id=manager, case__client_id=client, at__gte=start, at__lt=end
            ).exists()
        )
        if not evidence:
            removed += ServedClientMonth.objects.filter(manager_id=manager, client_id=client, month=month).delete()[0]
    return removed
