"""Shared helpers of the benchmarks: timing against a floor, and fast raw inserts for building data.

A benchmark case times the floor (the least work that gives the same answer, e.g. one raw SQL query) and ours
(the product's code path) alternately over several rounds, and reports the median ratio ours / floor. Alternating
cancels drift (caches warming, the other core busy); the median ignores the odd outlier round.
"""

import datetime
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

ROUNDS = 15
MIN_SAMPLE_SECONDS = 0.02


def _time(fn: Callable[[], Any], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return time.perf_counter() - start


def compare(
    floor: Callable[[], Any],
    ours: Callable[[], Any],
    *,
    rounds: int = ROUNDS,
    min_sample: float = MIN_SAMPLE_SECONDS,
) -> dict:
    """Time ``floor`` and ``ours`` alternately for ``rounds`` rounds and return the median ratio ours / floor.

    Each sample calls the function ``repeat`` times, with ``repeat`` chosen so a floor sample lasts at least
    ``min_sample`` seconds (timer resolution and scheduling noise stay small against it).
    """
    floor()
    ours()  # warm up: imports, caches, prepared plans
    repeat = 1
    while _time(floor, repeat) < min_sample and repeat < 10_000:
        repeat *= 2
    ratios, floor_times, our_times = [], [], []
    for index in range(rounds):
        if index % 2:
            t_ours = _time(ours, repeat)
            t_floor = _time(floor, repeat)
        else:
            t_floor = _time(floor, repeat)
            t_ours = _time(ours, repeat)
        ratios.append(t_ours / t_floor)
        floor_times.append(t_floor / repeat)
        our_times.append(t_ours / repeat)
    return {
        "ratio": round(statistics.median(ratios), 3),
        "floor_ms": round(statistics.median(floor_times) * 1000, 3),
        "ours_ms": round(statistics.median(our_times) * 1000, 3),
        "rounds": rounds,
        "repeat": repeat,
    }


def case_result(
    bench: str,
    case: str,
    *,
    target: float,
    timing: dict | None,
    error: str | None = None,
    metric: str = "time",
    **extra,
) -> dict:
    """One JSON line of the report: ok when the answers matched and the ratio is within ``target``."""
    result = {"bench": bench, "case": case, "metric": metric}
    if timing is not None:
        result.update(ratio=timing["ratio"], target=target, ok=error is None and timing["ratio"] <= target)
        result.update({k: v for k, v in timing.items() if k != "ratio"})
    else:
        result.update(ratio=None, target=target, ok=False)
    if error:
        result["error"] = error
    result.update(extra)
    return result


def bulk_insert(model: type[models.Model], rows: Iterable[dict], *, chunk: int = 5000) -> int:
    """Insert ``rows`` (dicts of field attnames) into ``model``'s table with raw ``executemany``.

    Columns not given take the field default (``auto_now``/``auto_now_add`` fields: now). No signals, no history,
    no validation: the caller builds valid rows. Returns the number of rows inserted.
    """
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()  # "" for text fields without a default, None for nullable ones
        defaults[field.attname] = field.get_db_prep_save(value, connection)
    # Plain values (str, int, bool, None) go to the driver as they are; others go through the field.
    prepared_types = models.DateField | models.JSONField | models.DecimalField  # DateTimeField is a DateField
    needs_prep = {f.attname: f for f in fields if isinstance(f, prepared_types)}
    columns = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(connection.ops.quote_name(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    total = 0
    batch: list[Sequence] = []
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for name in columns:
                if name in row:
                    value = row[name]
                    field = needs_prep.get(name)
                    values.append(field.get_db_prep_save(value, connection) if field and value is not None else value)
                else:
                    values.append(defaults[name])
            batch.append(values)
            if len(batch) >= chunk:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as a production database would have them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def today() -> datetime.date:
    return timezone.localdate()
