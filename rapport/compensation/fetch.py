"""Loading one month's pay facts for many managers at once (all queries here, set-based).

Assignments come as integer columns (numpy): the database computes each one's first and end day as offsets in the
month, numpy the days, adds them up per manager and client by sorting, and hands each manager their ``Holdings``
(clients, corporate and VIP days) with the totals already added up; only the few clients whose VIP status changed
since the month began are walked day by day, from their history. Served clients are read only for the managers
the service bonus can pay (pool mode at month end), from the month's ``ServedClientMonth`` rows (one per pair, kept
as interactions and resolutions are recorded: ``served.py``), not from the month's events. A (manager, client) pair
travels as one integer key and each column as one text that numpy parses (``core.sql.int_columns``). Everything
else is one aggregate query per fact. At 10,000 managers the reads are millions of rows: no model instance and no
Python loop per row here.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Count, IntegerField, Max, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases.served import month_bounds
from rapport.clients.models import Client
from rapport.compensation.engine.types import Acquired, ClientIds, Holdings, ManagerMonth
from rapport.compensation.models import ServedClientMonth
from rapport.core.sql import int_columns
from rapport.feedback.models import Rating
from rapport.managers.choices import WorkMode
from rapport.managers.models import ClientManager
from rapport.pipeline.models import Acquisition

# Ids per IN (...) list: well under SQLite's limit of bound parameters.
_CHUNK = 5_000
_NO_HOLDINGS = Holdings()
_NO_CLIENTS = ClientIds()


@dataclass(frozen=True)
class Month:
    """A month as dates (first day, first day of the next) and as aware local datetimes."""

    first: datetime.date
    following: datetime.date
    start: datetime.datetime
    end: datetime.datetime

    @property
    def days(self) -> int:
        return calendar.monthrange(self.first.year, self.first.month)[1]


def month_of(day: datetime.date) -> Month:
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    start, end = month_bounds(first)
    return Month(first, following, start, end)


def employed_managers(month: Month, manager_ids=None) -> dict[int, dict]:
    """Managers employed on at least one day of the month, with their days employed and their level and work mode
    at the end of the month (read from their history when it changed later)."""
    queryset = ClientManager.objects.filter(hire_date__lt=month.following).filter(
        Q(dismissal_date__isnull=True) | Q(dismissal_date__gt=month.first)
    )
    if manager_ids is not None:
        queryset = queryset.filter(pk__in=list(manager_ids))
    managers = {}
    for pk, hire, dismissal, level, mode in queryset.values_list(
        "pk", "hire_date", "dismissal_date", "level", "work_mode"
    ):
        first_day = max(hire, month.first)
        last_day = min(dismissal or month.following, month.following)
        managers[pk] = {"employed_days": (last_day - first_day).days, "level": level, "work_mode": mode}
    # A profile changed after the month: take the state it had at the month's end.
    history = ClientManager.history.model.objects
    changed = set(
        history.filter(id__in=list(managers), history_date__gte=month.end).values_list("id", flat=True).distinct()
    )
    if changed:
        rows = (
            history.filter(id__in=list(changed), history_date__lt=month.end)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "level", "work_mode")
        )
        for pk, level, mode in rows:
            managers[pk]["level"], managers[pk]["work_mode"] = level, mode
    return managers


def _vip_days_by_client(month: Month, client_ids: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Which clients were VIP on which days: the clients VIP all month (ids, ascending), and for clients whose VIP
    status changed since the month began, a boolean per day (the status at the end of each day, from the history)."""
    history = Client.history.model.objects
    changed = set(history.filter(history_date__gte=month.start).values_list("id", flat=True).distinct())
    sql, params = Client.objects.filter(is_vip=True).order_by().values_list("pk").query.sql_with_params()
    steady_vip = np.setdiff1d(int_columns(sql, params, 1)[:, 0], np.fromiter(changed, dtype=np.int64))
    per_day: dict[int, np.ndarray] = {}
    if changed:
        relevant = sorted(changed.intersection(client_ids.tolist()))
        rows = []
        for chunk in range(0, len(relevant), _CHUNK):
            rows.extend(
                history.filter(id__in=relevant[chunk : chunk + _CHUNK], history_date__lt=month.end)
                .order_by("id", "history_date", "history_id")
                .values_list("id", "history_date", "is_vip")
            )
        # The status at the end of each day: the local midnight that ends it (DST days are 23 or 25 hours long).
        # A history row governs from the first day that ends after it; a later row of the same client takes over.
        zone = timezone.get_default_timezone()
        day_ends = np.array(
            [
                timezone.make_aware(
                    datetime.datetime.combine(month.first + datetime.timedelta(days=d + 1), datetime.time.min), zone
                ).timestamp()
                for d in range(month.days)
            ]
        )
        if rows:
            pks = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            when = np.fromiter((row[1].timestamp() for row in rows), dtype=np.float64, count=len(rows))
            states = np.fromiter((bool(row[2]) for row in rows), dtype=bool, count=len(rows))
            clients, row_of = np.unique(pks, return_inverse=True)
            first_day = np.searchsorted(day_ends, when, side="right")  # rows are in time order per client
            latest = np.full((len(clients), month.days), -1, dtype=np.int64)
            for index in np.flatnonzero(first_day < month.days).tolist():  # in order: a later row of the same
                latest[row_of[index], first_day[index]] = index  # day overwrites an earlier one
            latest = np.maximum.accumulate(latest, axis=1)  # each day: the last row so far (-1: none yet)
            flags = np.where(latest >= 0, states[np.maximum(latest, 0)], False)
            per_day = dict(zip(clients.tolist(), flags, strict=True))
    return steady_vip, per_day


def _keyed(sql: str, params, width: int) -> np.ndarray | None:
    """The rows of ``sql`` — a manager id, a client id and ``width - 2`` more integer columns — with the pair read
    as one key, manager × 2**32 + client (one number to send and to sort instead of two): shape (rows, width - 1).
    None when ids are too large for that (a manager id from 2**31, a client id from 2**32)."""
    top = [model._base_manager.aggregate(top=Max("pk"))["top"] or 0 for model in (ClientManager, Client)]
    if top[0] >= 2**31 or top[1] >= 2**32:
        return None
    names = ", ".join(f"c{i}" for i in range(width))
    rest = "".join(f", c{i}" for i in range(2, width))
    query = f"WITH pairs ({names}) AS ({sql}) SELECT c0 * {2**32} + c1{rest} FROM pairs"  # noqa: S608 (ORM SQL)
    return int_columns(query, params, width - 1)


def _day_offset(model, name: str, month: Month, *, missing=None, at_least=None, at_most=None) -> RawSQL:
    """The date column ``name`` of ``model`` as days from the month's first day (``missing`` for NULL; kept within
    ``at_least`` and ``at_most``), computed by the database: an integer per row instead of a date object."""
    ops = connection.ops
    column = f"{ops.quote_name(model._meta.db_table)}.{ops.quote_name(model._meta.get_field(name).column)}"
    params = []
    postgres = connection.vendor == "postgresql"
    if missing is not None:
        column = f"COALESCE({column}, %s)"
        params.append(ops.adapt_datefield_value(missing))
    for bound, function in ((at_least, "GREATEST" if postgres else "MAX"), (at_most, "LEAST" if postgres else "MIN")):
        if bound is not None:
            column = f"{function}({column}, %s)"
            params.append(ops.adapt_datefield_value(bound))
    params.append(ops.adapt_datefield_value(month.first))
    # (names from the model's metadata, values as parameters; SQLite keeps dates as ISO text)
    sql = f"{column} - %s" if postgres else f"CAST(julianday({column}) - julianday(%s) AS INTEGER)"
    return RawSQL(sql, params)  # noqa: S611


def portfolios(month: Month, manager_ids) -> dict[int, Holdings]:
    """Per manager, the clients assigned on days of the month and how many of those days each was corporate or
    VIP. An assignment covers its start date up to (not including) its end date."""
    queryset = Assignment.objects.filter(start_date__lt=month.following).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=month.first)
    )
    if manager_ids is not None:
        queryset = queryset.filter(manager_id__in=list(manager_ids))
    # The first and the end day (exclusive) of each assignment within the month, as offsets from its first day.
    sql, params = (
        queryset.order_by()
        .annotate(
            first_day=_day_offset(Assignment, "start_date", month, at_least=month.first),
            end_day=_day_offset(Assignment, "end_date", month, missing=month.following, at_most=month.following),
        )
        .values_list("manager_id", "client_id", "first_day", "end_day")
    ).query.sql_with_params()
    keyed = _keyed(sql, params, 4)
    if keyed is not None:
        rows = np.empty((len(keyed), 4), dtype=np.int64)
        rows[:, 0], rows[:, 1], rows[:, 2:] = keyed[:, 0] >> 32, keyed[:, 0] & 0xFFFFFFFF, keyed[:, 1:]
        del keyed
    else:
        rows = int_columns(sql, params, 4)
    manager_col, client_col, offsets = rows[:, 0], rows[:, 1], rows[:, 2]
    days = rows[:, 3] - offsets
    keep = days > 0
    manager_col, client_col, offsets, days = manager_col[keep], client_col[keep], offsets[keep], days[keep]
    del rows
    if not len(days):
        return {}

    steady_vip, per_day = _vip_days_by_client(month, client_col)
    vip_days = np.where(np.isin(client_col, steady_vip), days, 0)
    if per_day:
        for index in np.flatnonzero(np.isin(client_col, np.fromiter(per_day, dtype=np.int64))):
            flags = per_day[int(client_col[index])]
            vip_days[index] = int(flags[offsets[index] : offsets[index] + days[index]].sum())
    corporate_days = days - vip_days

    # One entry per (manager, client), its days added up (a client reassigned away and back), by client id; each
    # manager's entries as columns (views of the sorted arrays).
    order = np.lexsort((client_col, manager_col))
    manager_col, client_col = manager_col[order], client_col[order]
    corporate_days, vip_days = corporate_days[order], vip_days[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (manager_col[1:] != manager_col[:-1]) | (client_col[1:] != client_col[:-1])
    starts_at = np.flatnonzero(new)
    clients = client_col[starts_at]
    corporate = np.add.reduceat(corporate_days, starts_at)
    vip = np.add.reduceat(vip_days, starts_at)
    owners = manager_col[starts_at]
    firsts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    bounds = [*firsts.tolist(), len(owners)]
    # Each manager's clients and client-days per class, added up for all managers at once.
    totals = zip(
        np.add.reduceat(corporate > 0, firsts).tolist(),
        np.add.reduceat(corporate, firsts).tolist(),
        np.add.reduceat(vip > 0, firsts).tolist(),
        np.add.reduceat(vip, firsts).tolist(),
        strict=True,
    )
    return {
        manager: Holdings(
            clients[bounds[i] : bounds[i + 1]],
            corporate[bounds[i] : bounds[i + 1]],
            vip[bounds[i] : bounds[i + 1]],
            totals={"corporate_days": (corporate_clients, corporate_days), "vip_days": (vip_clients, vip_days)},
        )
        for i, (manager, (corporate_clients, corporate_days, vip_clients, vip_days)) in enumerate(
            zip(owners[firsts].tolist(), totals, strict=True)
        )
    }


def acquisitions(month: Month, manager_ids) -> dict[int, list[Acquired]]:
    """Standing (not reversed) acquisitions of the month, per manager, by client id."""
    queryset = Acquisition.objects.filter(
        acquired_on__gte=month.first, acquired_on__lt=month.following, reversed_at__isnull=True
    )
    if manager_ids is not None:
        queryset = queryset.filter(manager_id__in=list(manager_ids))
    sql, params = (
        queryset.order_by()
        .annotate(day=_day_offset(Acquisition, "acquired_on", month), vip=Cast("was_vip", IntegerField()))
        .values_list("manager_id", "client_id", "vip", "day")
        .query.sql_with_params()
    )
    rows = int_columns(sql, params, 4)
    rows = rows[np.argsort(rows[:, 1], kind="stable")]
    days = [month.first + datetime.timedelta(days=d) for d in range(month.days)]
    result: dict[int, list[Acquired]] = defaultdict(list)
    for manager, client, was_vip, day in rows.tolist():
        result[manager].append(Acquired(client, bool(was_vip), days[day]))
    return result


def served(month: Month, manager_ids) -> dict[int, ClientIds]:
    """Distinct clients served in the month by each of ``manager_ids``, ascending: the month's
    ``ServedClientMonth`` rows (one per pair, kept as the facts are recorded; see ``served.py``)."""
    ids = list(manager_ids)
    if not ids:
        return {}
    sql, params = (
        ServedClientMonth.objects.filter(month=month.first, manager_id__in=ids)
        .order_by()
        .values_list("manager_id", "client_id")
        .query.sql_with_params()
    )
    keyed = _keyed(sql, params, 2)
    if keyed is not None:
        if not len(keyed):
            return {}
        keys = np.sort(keyed[:, 0])  # one row per pair already: sorting puts each manager's clients together
        managers_col, clients = keys >> 32, keys & 0xFFFFFFFF
    else:
        rows = int_columns(sql, params, 2)
        if not len(rows):
            return {}
        rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
        managers_col, clients = rows[:, 0], rows[:, 1]
    managers, starts = np.unique(managers_col, return_index=True)
    bounds = [*starts.tolist(), len(clients)]
    return {
        manager: ClientIds(clients[bounds[i] : bounds[i + 1]], distinct=True)
        for i, manager in enumerate(managers.tolist())
    }


def ratings(month: Month, manager_ids) -> dict[int, tuple[int, int]]:
    """The month's ratings per manager: (sum of stars, count)."""
    queryset = Rating.objects.filter(created_at__gte=month.start, created_at__lt=month.end)
    if manager_ids is not None:
        queryset = queryset.filter(manager_id__in=list(manager_ids))
    rows = queryset.order_by().values("manager_id").annotate(total=Sum("stars"), count=Count("id"))
    return {row["manager_id"]: (row["total"], row["count"]) for row in rows}


def load_month(day: datetime.date, manager_ids=None) -> dict[int, ManagerMonth]:
    """The facts of every manager employed in the month of ``day`` (or of ``manager_ids`` only)."""
    month = month_of(day)
    managers = employed_managers(month, manager_ids)
    ids = list(managers)
    if not ids:
        return {}
    scope = ids if manager_ids is not None else None
    held = portfolios(month, scope)
    won = acquisitions(month, scope)
    pool = [pk for pk, facts in managers.items() if facts["work_mode"] == WorkMode.POOL]
    served_clients = served(month, pool)
    rated = ratings(month, scope)
    return {
        pk: ManagerMonth(
            manager_id=pk,
            month=month.first,
            days_in_month=month.days,
            employed_days=facts["employed_days"],
            level=facts["level"],
            work_mode=facts["work_mode"],
            portfolio=held.get(pk) or _NO_HOLDINGS,
            acquired=tuple(won.get(pk, ())),
            served=served_clients.get(pk) or _NO_CLIENTS,
            rating_total=rated.get(pk, (0, 0))[0],
            rating_count=rated.get(pk, (0, 0))[1],
        )
        for pk, facts in managers.items()
    }
