"""Payroll: a whole month's pay run (load the facts, compute, write the statements with their lines) against one
SQL aggregation that produces the same per-manager counts.

Data, for March 2026 (31 days; summer time starts on the 29th, a 23-hour day), built from a seeded numpy RNG and
written with raw inserts (COPY on PostgreSQL); each big table is loaded with its indexes and (on PostgreSQL)
foreign keys dropped, then they are re-created from their own definitions as the migrations made them, and the
database is analysed (VACUUM ANALYZE on PostgreSQL). Sizes (``small`` / ``full``): 300 / 10,000 managers, 30,000 /
1,000,000 clients, 300,000 / 10,000,000 events in the month:

- managers: a third in pool mode, levels mixed, about 1 % hired and 1 % dismissed during the month;
- clients: 90 % legal entities, 5 % of them VIP; 0.5 % of the clients change VIP status inside the month (a fifth of
  those twice, some at midnight or a minute before) and 0.2 % after it, written as ``clients.HistoricalClient`` rows
  (a row before the month with the old status, one per change), the client row holding the final status;
- assignments: about 100 current clients per personal manager, plus in the month 3.5 % of clients moved to another
  manager, 1.5 % ended, 1.5 % new, a few away and back and zero-length ones (about 100,000 changes at full scale),
  and rows that end before the month or start after it;
- 85.5 % interactions (personal managers with their clients, pool managers with overlapping blocks of unassigned
  clients, a few with anyone), 10 % resolved case events (with their cases; some resolved twice, a few without a
  manager, plus "reassigned" events that do not count), 3 % ratings (with their requests; some managers with few
  ratings), 0.5 % acquisitions (with their opportunities), 1 % assignment changes; and about 1 % of events just
  outside the month, some exactly on its bounds;
- the served pairs (``compensation.ServedClientMonth``, one row per manager, client and month; about 2.5 million
  at full scale, all managers), as the product keeps them: written by the same ``INSERT … SELECT`` over the
  interactions and resolutions that the table's migration runs (``served.rebuild_served``), untimed;
- one HUF plan version (base per level, allowances that do not divide by 31, a VIP allowance with fillér, rating
  tiers, a minimum of 5 ratings, a 35 % cap) for every manager, and the month's pay period.

Cases (one JSON line each):

- ``full_run`` / ``time``: ours is ``run.write_period(period, actor=...)`` (``fetch.load_month`` → engine → the
  statements, their lines and totals written; adjustments are looked for too), inside a transaction rolled back
  after each run so every run does the same work (on PostgreSQL a VACUUM, untimed, clears the rolled-back rows).
  The floor is ONE raw SQL statement (CTEs; date arithmetic and the time-zone cast spelled per vendor) returning per
  employed manager: days employed, client-days, VIP client-days, standing acquisitions (plain, VIP), distinct
  clients served (pool managers) and the ratings' sum and count. They run alternately, the median ratio ours /
  floor is reported; target 1.5. What each side reads: both read the managers (and ours their history), the
  assignments, the clients' VIP flags and history, the acquisitions and the ratings; for the clients served, ours
  reads the month's rows of ``compensation_servedclientmonth`` (pool managers), the floor counts them from the
  month's events, ``cases_interaction`` and the resolved ``cases_caseevent`` joined to ``cases_case``, as the issue
  defined it. ``ratio_to_floor_from_pairs`` is ours against the same floor counting from the pairs table instead
  (timed in the same rounds, after the pair): the floor with the product's own derived table, for comparison.
  ``phases_ms`` splits ours at its progress reports (facts + engine, adjustments, statements, lines and totals).
- ``full_run`` / ``totals_equal``: an independent implementation here (per-manager counts in numpy from the
  generated data; lines with ``Decimal`` and ROUND_HALF_UP to whole forints, the rating tier by exact fractions,
  from docs/compensation-rules.md) must give every manager's total, and the grand total, exactly as our run wrote
  them to ``Statement``. The floor's counts must equal the numpy counts too, from the events and from the pairs
  (``pairs_floor_count_mismatches``: the pairs table the data build wrote holds exactly the events' pairs).
  ``mismatches`` counts managers whose total differs; ``line_mismatches`` the differing lines per kind.
- ``full_run`` / ``peak_memory``: the peak resident size of the bench process during one run of ours (VmHWM,
  reset just before; the generated data is freed first) / 3 GiB.

VIP changes and the floor: the floor does not simplify them away. Like the engine, it takes the clients with a
``HistoricalClient`` row since the month began as "changed" and, for them, the VIP status at the end of each day
from the history rows before the month's end (a row governs the days from its local date up to the next row's);
every other client counts with its current ``is_vip``. Both sides therefore count the same VIP days and the check
needs no allowance.

Where ours spends its time at full scale (2 shared cores under other work, measured when this was written). Ratio
to the floor from the events: PostgreSQL 1.39 (ours 4.3 s, floor 3.1 s; two more runs under heavier load 1.02 and
1.24, ours 10.6 s and 6.9 s against 8.8 s and 5.6 s), SQLite 0.95 (ours 10.8 s against 11.3 s); before the pairs
table PostgreSQL was 1.83 and SQLite 1.17. Ratio to the floor from the pairs: PostgreSQL 3.9 (floor 1.0 s; 3.8 in
the other runs), SQLite 2.06 (floor 5.2 s). On PostgreSQL (first run): reading the clients served — the month's
rows of the pool managers in ``compensation_servedclientmonth``, one per pair, so nothing to deduplicate — about
15 % (0.7 s; reading every event row of the month was 40 %); the portfolios (782,300 assignments as integer
columns, days computed by the database) about 25 %; writing 10,000 statements and 43,000 lines about a third
(1.5 s); the VIP history and the engine (on column totals, no Python loop per client) the rest. The per-client
facts are kept once, packed, in each statement's inputs snapshot (about 10 MB in all); the allowance and service
lines point into it. The floor counts in the database and sends and writes nothing: against the floor that reads
the pairs too (1.0 s), writing the statements alone (1.5 s) uses up 1.5 times it, so that ratio stays well above
1.5 whatever the reads cost.

On PostgreSQL the bench's session runs with JIT compilation off, for both sides: with the server's default the
floor's one big statement spends about 1.8 s of its 6 s compiling (ours about 0.15 s), which would flatter the
ratio. When the time case misses its target, a cProfile of ours (top 25 by cumulative time) goes to stderr.
"""

import calendar
import contextlib
import cProfile
import datetime
import gc
import io
import itertools
import pstats
import statistics
import sys
import time
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import numpy as np
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from bench.harness import analyze, bulk_insert, case_result
from rapport.accounts.models import User
from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.clients.models import Client
from rapport.compensation import run as pay_run
from rapport.compensation.models import (
    CompensationPlan,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    ServedClientMonth,
    Statement,
    StatementLine,
)
from rapport.compensation.served import rebuild_served
from rapport.core.testing import make_user
from rapport.feedback.models import Rating, RatingRequest
from rapport.managers.models import ClientManager
from rapport.pipeline.models import Acquisition, Opportunity

BENCH = "payroll"
MONTH = datetime.date(2026, 3, 1)
SEED = 20_260_301
TARGET = 1.5
MEMORY_BUDGET_MIB = 3072.0
ROUNDS = {"small": 7, "full": 3}


@dataclass(frozen=True)
class Size:
    managers: int
    clients: int
    events: int


SIZES = {"small": Size(300, 30_000, 300_000), "full": Size(10_000, 1_000_000, 10_000_000)}

# Shares of the month's events, and of the clients.
SHARE_INTERACTIONS = 0.855
SHARE_RESOLUTIONS = 0.10
SHARE_RATINGS = 0.03
SHARE_ACQUISITIONS = 0.005
SHARE_OUTSIDE = 0.01  # events just outside the month, on top
CLIENTS_PER_MANAGER = 100
POOL_BLOCK = 400  # the unassigned clients a pool manager works with

LEVELS = ("junior", "middle", "senior")
FIGURES = {
    "base_junior": Decimal("420000"),
    "base_middle": Decimal("565000"),
    "base_senior": Decimal("735000"),
    "allowance_corporate": Decimal("3250"),
    "allowance_vip": Decimal("7525.50"),
    "acquisition_bonus": Decimal("15000"),
    "acquisition_bonus_vip": Decimal("42000"),
    "service_bonus": Decimal("275"),
    "rating_tiers": [
        {"threshold": "4.2", "amount": "15000"},
        {"threshold": "4.45", "amount": "30000"},
        {"threshold": "4.7", "amount": "55000"},
    ],
    "rating_min_count": 5,
    "bonus_cap_percent": Decimal("35"),
}
NO_DAY = 10**6  # "no end date" / "not dismissed" in the day-offset columns
ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
UTC = datetime.UTC


def _log(message: str) -> None:
    print(f"# {BENCH}: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# The month and its time columns
# ---------------------------------------------------------------------------------------------------------------

DAYS = calendar.monthrange(MONTH.year, MONTH.month)[1]
FOLLOWING = (MONTH + datetime.timedelta(days=32)).replace(day=1)
START = datetime.datetime.combine(MONTH, datetime.time.min, tzinfo=ZONE)
END = datetime.datetime.combine(FOLLOWING, datetime.time.min, tzinfo=ZONE)
# (aware datetimes with the same tzinfo subtract as wall times: through UTC, March is an hour short)
MINUTES = int((END.astimezone(UTC) - START.astimezone(UTC)).total_seconds()) // 60
MINUTE_LOW, MINUTE_HIGH = -40 * 1440, MINUTES + 40 * 1440
DAY_LOW, DAY_HIGH = -4000, 400


class Columns:
    """Date and time values as the database takes them in bulk: ISO dates, UTC timestamps (SQLite: naive text, as
    Django stores them; PostgreSQL: with "+00"). Minutes count from the month's start, days from its first day."""

    def __init__(self) -> None:
        suffix = "+00" if connection.vendor == "postgresql" else ""
        start = np.datetime64(START.astimezone(UTC).replace(tzinfo=None), "m")
        stamps = np.datetime_as_string(start + np.arange(MINUTE_LOW, MINUTE_HIGH), unit="s")
        self._minutes = [s.replace("T", " ") + suffix for s in stamps.tolist()]
        first = np.datetime64(MONTH, "D")
        self._days = np.datetime_as_string(first + np.arange(DAY_LOW, DAY_HIGH), unit="D").tolist()
        self.suffix = suffix

    def stamps(self, minutes: np.ndarray) -> list[str]:
        table = self._minutes
        return [table[m - MINUTE_LOW] for m in minutes.tolist()]

    def days(self, offsets: np.ndarray) -> list[str | None]:
        table = self._days
        return [None if d == NO_DAY else table[d - DAY_LOW] for d in offsets.tolist()]

    def stamp(self, moment: datetime.datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") + self.suffix


# ---------------------------------------------------------------------------------------------------------------
# Bulk loading: COPY on PostgreSQL, executemany on SQLite, without the table's indexes while loading
# ---------------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _bare(table: str):
    """Drop ``table``'s indexes (and on PostgreSQL its foreign keys) for a bulk load; re-create them afterwards
    from their own definitions (those of the migrations). Primary keys and unique constraints stay."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                "AND contype = 'f'",
                [table],
            )
            foreign = cursor.fetchall()
            cursor.execute(
                """SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   WHERE x.indrelid = %s::regclass AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid)""",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in foreign:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes, foreign = cursor.fetchall(), []
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _constant_text(field: models.Field, value) -> str:
    """A constant as PostgreSQL's COPY text format reads it."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(field, models.JSONField):
        import json

        return json.dumps(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _constant_sql(field: models.Field, value) -> str:
    """A constant as an SQLite literal (bench values only: no quotes or percent signs inside)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(field, models.JSONField):
        import json

        value = json.dumps(value)
    elif isinstance(value, datetime.datetime):
        value = connection.ops.adapt_datetimefield_value(value)
    elif isinstance(value, datetime.date):
        value = value.isoformat()
    text = str(value)
    if "'" in text or "%" in text:
        raise ValueError(f"not a bench constant: {text!r}")
    return f"'{text}'"


def _text_column(values) -> list[str]:
    if isinstance(values, np.ndarray):
        if values.dtype == bool:
            return np.where(values, "t", "f").tolist()
        return list(map(str, values.tolist()))
    return [r"\N" if v is None else str(v) for v in values]


def _load(model: type[models.Model], n: int, columns: dict, *, chunk: int = 200_000) -> int:
    """Insert ``n`` rows into ``model``'s table. ``columns`` maps attnames to a sequence of ``n`` values (numpy
    arrays, or lists of str/int/None with dates and times already as the database takes them) or to one constant;
    other fields take their default (``auto_now`` fields: now). No signals, no history, no validation."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    unknown = set(columns) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no {sorted(unknown)}")
    now = timezone.now()
    variable, constant = [], []
    for field in fields:
        if field.attname in columns:
            value = columns[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.attname} needs a value")
        if field.attname in columns and isinstance(value, np.ndarray | list):
            if len(value) != n:
                raise ValueError(f"{model.__name__}.{field.attname}: {len(value)} values for {n} rows")
            variable.append((field, value))
        else:
            constant.append((field, value))
    table = model._meta.db_table
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f, _ in [*variable, *constant])
    with _bare(table), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            suffix = "\t".join(_constant_text(f, v) for f, v in constant)
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for low in range(0, n, chunk):
                    high = min(n, low + chunk)
                    parts = [_text_column(values[low:high]) for _, values in variable]
                    if constant:
                        parts.append(itertools.repeat(suffix, high - low))
                    copy.write("\n".join(map("\t".join, zip(*parts, strict=False))) + "\n")
        else:
            placeholders = ["%s"] * len(variable) + [_constant_sql(f, v) for f, v in constant]
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(placeholders)})"
            with transaction.atomic():
                for low in range(0, n, chunk):
                    high = min(n, low + chunk)
                    parts = [
                        values[low:high].tolist() if isinstance(values, np.ndarray) else values[low:high]
                        for _, values in variable
                    ]
                    cursor.executemany(sql, zip(*parts, strict=True))
    return n


def _ids(model: type[models.Model], where: str = "", params=()) -> np.ndarray:
    """The table's primary keys in insertion (= key) order."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} {where} ORDER BY id", params)
        return np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64)


# ---------------------------------------------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Expected:
    """Per manager (generation order), the counts the rules give, computed here in numpy from the generated data."""

    employed_days: np.ndarray
    level: np.ndarray  # index into LEVELS
    pool: np.ndarray
    corporate_days: np.ndarray
    vip_days: np.ndarray
    acquired: np.ndarray
    acquired_vip: np.ndarray
    served: np.ndarray
    rating_total: np.ndarray
    rating_count: np.ndarray


@dataclass
class Built:
    expected: Expected
    manager_ids: np.ndarray  # database keys, generation order (ascending)
    period: PayPeriod
    actor: User
    events: int  # events inside the month
    outside: int  # events just outside it
    assignment_changes: int


def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` distinct indices drawn with probability proportional to ``weights`` (Efraimidis–Spirakis)."""
    keys = np.log(rng.random(len(weights))) / weights
    return np.argpartition(-keys, k - 1)[:k] if k < len(weights) else np.arange(len(weights))


def _build(size: Size) -> Built:
    rng = np.random.default_rng(SEED)
    cols = Columns()
    quote = connection.ops.quote_name
    started = time.perf_counter()

    def elapsed() -> str:
        return f"{time.perf_counter() - started:.1f} s"

    boss = make_user(Role.MANAGEMENT, username="bench-boss")
    actor = make_user(Role.PAYROLL, username="bench-payroll")

    # --- managers ------------------------------------------------------------------------------------------
    n_managers = size.managers
    pool = np.arange(n_managers) % 3 == 0
    level = rng.choice(3, size=n_managers, p=[0.4, 0.4, 0.2])
    hire = -rng.integers(60, 3000, size=n_managers)
    dismissal = np.full(n_managers, NO_DAY, dtype=np.int64)
    k = max(2, n_managers // 100)
    moved = rng.choice(n_managers, size=2 * k, replace=False)
    hire[moved[:k]] = rng.integers(1, DAYS, size=k)
    dismissal[moved[k:]] = rng.integers(1, DAYS, size=k)
    dismissal[moved[k]] = 1  # one day employed
    dismissal[moved[k + 1]] = DAYS  # dismissed on the first day of the next month: all month
    employed_days = np.minimum(np.where(dismissal == NO_DAY, DAYS, dismissal), DAYS) - np.maximum(hire, 0)

    password = make_password(None)
    bulk_insert(
        User,
        (
            {"username": f"bench-manager-{i:06d}", "password": password, "first_name": "Manager", "last_name": f"{i}"}
            for i in range(n_managers)
        ),
    )
    user_ids = _ids(User, f"WHERE {quote('username')} LIKE %s", ["bench-manager-%"])
    _load(
        ClientManager,
        n_managers,
        {
            "user_id": user_ids,
            "manager_type": np.array(["advice", "decision", "partnership"])[rng.integers(0, 3, n_managers)].tolist(),
            "level": np.array(LEVELS)[level].tolist(),
            "work_mode": np.where(pool, "pool", "personal").tolist(),
            "vip_qualified": rng.random(n_managers) < 0.4,
            "capacity": 120,
            "employment_status": np.where(dismissal == NO_DAY, "active", "dismissed").tolist(),
            "status_since": cols.days(np.where(dismissal == NO_DAY, hire, dismissal)),
            "hire_date": cols.days(hire),
            "dismissal_date": cols.days(dismissal),
            "years_of_experience": 5,
        },
    )
    manager_ids = _ids(ClientManager)

    # --- clients and their VIP history ---------------------------------------------------------------------
    n_clients = size.clients
    legal = rng.random(n_clients) < 0.9
    vip_start = legal & (rng.random(n_clients) < 0.05)
    legal_idx = np.flatnonzero(legal)
    n_change, n_later = max(20, n_clients // 200), max(5, n_clients // 500)
    chosen = rng.choice(legal_idx, size=n_change + n_later, replace=False)
    # Changes as moments (minutes from the month's start), some exactly at a local midnight or a minute before;
    # a fifth of the clients changing in the month change back up to ten days later (maybe after the month).
    start_utc = START.astimezone(UTC)
    midnights = np.array(
        [
            (
                datetime.datetime.combine(
                    MONTH + datetime.timedelta(days=d), datetime.time.min, tzinfo=ZONE
                ).astimezone(UTC)
                - start_utc
            )
            // datetime.timedelta(minutes=1)
            for d in range(1, DAYS)
        ]
    )
    first_change = rng.integers(0, MINUTES, n_change)
    first_change[:5] = rng.choice(midnights, 5)
    first_change[5:10] = rng.choice(midnights, 5) - 1
    twice = n_change // 5
    flips = [  # (client, minute)
        *zip(chosen[:n_change].tolist(), first_change.tolist(), strict=True),
        *zip(
            chosen[n_change - twice : n_change].tolist(),
            (first_change[n_change - twice :] + rng.integers(1, 10 * 1440, twice)).tolist(),
            strict=True,
        ),
        *zip(chosen[n_change:].tolist(), rng.integers(MINUTES, MINUTES + 30 * 1440, n_later).tolist(), strict=True),
    ]
    flips.sort()
    flip_client = np.array([f[0] for f in flips], dtype=np.int64)
    vip_now = vip_start.copy()
    np.logical_xor.at(vip_now, flip_client, True)

    _load(
        Client,
        n_clients,
        {
            "kind": np.where(legal, "legal_entity", "individual").tolist(),
            "name": [f"Bench client {i:07d}" for i in range(n_clients)],
            "registration_number": [f"01-09-{i:07d}" if is_legal else "" for i, is_legal in enumerate(legal.tolist())],
            "status": "active",
            "country": "HU",
            "is_vip": vip_now,
            "vip_since": [MONTH.replace(year=2023).isoformat() if v else None for v in vip_now.tolist()],
            "vip_reason": ["Main source of profit" if v else "" for v in vip_now.tolist()],
            "motivation": "unknown",
        },
    )
    client_ids = _ids(Client)

    # History: a row before the month with the status then, one per change (in time order, so history ids too).
    state = {c: bool(vip_start[c]) for c in chosen.tolist()}
    before = datetime.datetime(2025, 6, 1, 12, tzinfo=ZONE)
    history_rows = [(before, client, state[client], "+") for client in sorted(state)]
    flags_of: dict[int, np.ndarray] = {}  # VIP at the end of each day of the month, for the changed clients
    for client, minute in flips:
        moment = start_utc + datetime.timedelta(minutes=minute)
        day = (moment.astimezone(ZONE).date() - MONTH).days
        flags = flags_of.setdefault(client, np.full(DAYS, state[client]))
        state[client] = not state[client]
        if day < DAYS:  # a change after the month does not count in it
            flags[day:] = state[client]
        history_rows.append((moment, client, state[client], "~"))
    history_rows.sort()
    h_client = np.array([r[1] for r in history_rows], dtype=np.int64)
    h_vip = np.array([r[2] for r in history_rows], dtype=bool)
    _load(
        Client.history.model,
        len(history_rows),
        {
            "id": client_ids[h_client],
            "kind": "legal_entity",
            "name": [f"Bench client {c:07d}" for c in h_client.tolist()],
            "registration_number": [f"01-09-{c:07d}" for c in h_client.tolist()],
            "status": "active",
            "country": "HU",
            "is_vip": h_vip,
            "vip_since": [MONTH.replace(year=2023).isoformat() if v else None for v in h_vip.tolist()],
            "vip_reason": ["Main source of profit" if v else "" for v in h_vip.tolist()],
            "motivation": "unknown",
            "history_date": [cols.stamp(r[0]) for r in history_rows],
            "history_type": [r[3] for r in history_rows],
            "history_change_reason": None,
        },
    )
    changed = np.array(sorted(flags_of), dtype=np.int64)
    flags = np.array([flags_of[c] for c in changed.tolist()], dtype=np.int64).reshape(len(changed), DAYS)
    vip_cum = np.concatenate([np.zeros((len(changed), 1), dtype=np.int64), np.cumsum(flags, axis=1)], axis=1)
    _log(f"managers, {n_clients:,} clients and {len(history_rows):,} VIP history rows in {elapsed()}")

    # --- assignments ---------------------------------------------------------------------------------------
    personal = np.flatnonzero(~pool)
    perm = rng.permutation(legal_idx)
    n_assigned = min(len(personal) * CLIENTS_PER_MANAGER, int(0.75 * len(legal_idx)))
    assigned, free = perm[:n_assigned], perm[n_assigned:]
    owner = personal[rng.integers(0, len(personal), n_assigned)]
    start0 = -rng.integers(0, 900, n_assigned)
    other = personal[rng.integers(0, len(personal), n_assigned)]
    share = {"moves": 0.035, "ends": 0.015, "after": 0.01, "back": 0.0003}
    counts = {name: max(2, round(s * n_clients)) for name, s in share.items()}
    order = rng.permutation(n_assigned)
    cut = np.cumsum([0, *counts.values()])
    groups = {name: order[cut[i] : cut[i + 1]] for i, name in enumerate(counts)}
    rest = order[cut[-1] :]
    rows: list[tuple[np.ndarray, ...]] = []  # (client index, manager index, start, end) column blocks

    def add(index, managers, begin, end):
        n = len(index)
        rows.append(
            (
                assigned[index] if index is not None else None,
                np.broadcast_to(managers, n),
                np.broadcast_to(begin, n),
                np.broadcast_to(end, n),
            )
        )

    add(rest, owner[rest], start0[rest], NO_DAY)
    g = groups["moves"]
    day = rng.integers(0, DAYS, len(g))
    add(g, owner[g], start0[g], day)
    add(g, other[g], day, NO_DAY)
    g = groups["ends"]
    add(g, owner[g], start0[g], rng.integers(1, DAYS, len(g)))
    g = groups["after"]
    day = rng.integers(DAYS, DAYS + 60, len(g))
    add(g, owner[g], start0[g], day)
    add(g, other[g], day, NO_DAY)
    g = groups["back"]
    day1 = rng.integers(1, DAYS - 1, len(g))
    day2 = day1 + 1 + (rng.integers(0, 1000, len(g)) % (DAYS - 1 - day1))
    add(g, owner[g], start0[g], day1)
    add(g, other[g], day1, day2)
    add(g, owner[g], day2, NO_DAY)
    g = rng.choice(rest, size=max(2, n_clients // 20), replace=False)  # an earlier manager, ended by the month
    add(g, other[g], start0[g] - rng.integers(30, 400, len(g)), start0[g])
    g = rng.choice(rest, size=max(2, n_clients // 10_000), replace=False)  # zero-length rows
    day = rng.integers(0, DAYS, len(g))
    add(g, other[g], day, day)
    n_new, n_future = max(2, round(0.015 * n_clients)), max(2, round(0.005 * n_clients))
    blocks = [np.concatenate(parts) for parts in zip(*[r for r in rows], strict=True)]
    a_client, a_manager, a_start, a_end = blocks
    new = free[:n_new]
    future = free[n_new : n_new + n_future]
    a_client = np.concatenate([a_client, new, future])
    a_manager = np.concatenate([a_manager, personal[rng.integers(0, len(personal), n_new + n_future)]])
    a_start = np.concatenate([a_start, rng.integers(0, DAYS, n_new), rng.integers(DAYS, DAYS + 60, n_future)])
    a_end = np.concatenate([a_end, np.full(n_new + n_future, NO_DAY)])
    sort = np.lexsort((a_client, a_start))
    a_client, a_manager, a_start, a_end = a_client[sort], a_manager[sort], a_start[sort], a_end[sort]
    _load(
        Assignment,
        len(a_client),
        {
            "client_id": client_ids[a_client],
            "manager_id": manager_ids[a_manager],
            "start_date": cols.days(a_start),
            "end_date": cols.days(a_end),
            "reason": "manual",
            "actor_id": boss.pk,
            "ended_by_id": [None if e == NO_DAY else boss.pk for e in a_end.tolist()],
        },
    )
    assignment_changes = int(((a_start >= 0) & (a_start < DAYS)).sum() + ((a_end > 0) & (a_end < DAYS)).sum())

    held_begin = np.maximum(a_start, 0)
    held_end = np.minimum(np.where(a_end == NO_DAY, DAYS, a_end), DAYS)
    held_days = np.maximum(held_end - held_begin, 0)
    at = np.searchsorted(changed, a_client)
    is_changed = (at < len(changed)) & (changed[np.minimum(at, len(changed) - 1)] == a_client)
    vip_days = np.where(is_changed, 0, np.where(vip_now[a_client], held_days, 0))
    rows_changed = np.flatnonzero(is_changed & (held_days > 0))
    vip_days[rows_changed] = (
        vip_cum[at[rows_changed], held_end[rows_changed]] - vip_cum[at[rows_changed], held_begin[rows_changed]]
    )
    corporate_days = np.bincount(a_manager, weights=held_days - vip_days, minlength=n_managers).astype(np.int64)
    vip_days = np.bincount(a_manager, weights=vip_days, minlength=n_managers).astype(np.int64)
    holding = np.flatnonzero(held_days > 0)
    hold_client, hold_manager = a_client[holding], a_manager[holding]
    del a_client, a_manager, a_start, a_end, blocks
    _log(f"{len(sort):,} assignments ({assignment_changes:,} changes in the month) in {elapsed()}")

    # --- who works with whom -------------------------------------------------------------------------------
    unassigned = np.ones(n_clients, dtype=bool)
    unassigned[assigned] = False
    pool_clients = np.flatnonzero(unassigned)
    pool_managers = np.flatnonzero(pool)
    block_start = (np.arange(len(pool_managers)) * len(pool_clients)) // max(1, len(pool_managers))

    def pairs(n: int, *, own: float, pooled: float) -> tuple[np.ndarray, np.ndarray]:
        """``n`` (manager, client) pairs: personal managers with their clients, pool managers within their block,
        and the rest anyone with anyone; shuffled."""
        n_own, n_pool = round(own * n), round(pooled * n)
        n_any = n - n_own - n_pool
        pick = rng.integers(0, len(hold_client), n_own)
        which = rng.integers(0, len(pool_managers), n_pool)
        in_block = (block_start[which] + rng.integers(0, POOL_BLOCK, n_pool)) % len(pool_clients)
        managers = np.concatenate([hold_manager[pick], pool_managers[which], rng.integers(0, n_managers, n_any)])
        clients = np.concatenate([hold_client[pick], pool_clients[in_block], rng.integers(0, n_clients, n_any)])
        shuffle = rng.permutation(n)
        return managers[shuffle], clients[shuffle]

    def minutes(n_in: int, n_out: int) -> np.ndarray:
        """``n_in`` moments in the month and ``n_out`` within a day outside it, a few exactly on the bounds."""
        inside = rng.integers(0, MINUTES, n_in)
        outside = np.where(
            rng.random(n_out) < 0.5, rng.integers(-1440, 0, n_out), rng.integers(MINUTES, MINUTES + 1440, n_out)
        )
        edges = min(4, n_in, n_out)
        inside[:edges], outside[:edges] = (
            np.array([0, 0, MINUTES - 1, MINUTES - 1])[:edges],
            np.array([-1, -1, MINUTES, MINUTES])[:edges],
        )
        return np.concatenate([inside, outside])

    # --- interactions --------------------------------------------------------------------------------------
    n_inter = round(SHARE_INTERACTIONS * size.events)
    n_inter_out = round(SHARE_OUTSIDE * n_inter)
    i_manager, i_client = pairs(n_inter + n_inter_out, own=0.56, pooled=0.39)
    i_minute = minutes(n_inter, n_inter_out)
    sort = np.argsort(i_minute, kind="stable")
    i_manager, i_client, i_minute = i_manager[sort], i_client[sort], i_minute[sort]
    _load(
        Interaction,
        len(i_minute),
        {
            "client_id": client_ids[i_client],
            "manager_id": manager_ids[i_manager],
            "channel": np.array(["call", "meeting", "email", "message", "visit"])[i_minute % 5].tolist(),
            "occurred_at": cols.stamps(i_minute),
            "summary": "Talked.",
            "created_by_id": user_ids[i_manager],
        },
    )
    served_keys = [(i_manager * n_clients + i_client)[(i_minute >= 0) & (i_minute < MINUTES)]]
    del i_manager, i_client, i_minute, sort
    _log(f"{n_inter + n_inter_out:,} interactions in {elapsed()}")

    # --- cases and their resolutions -----------------------------------------------------------------------
    n_res = round(SHARE_RESOLUTIONS * size.events)
    n_res_out = round(SHARE_OUTSIDE * n_res)
    c_manager, c_client = pairs(n_res + n_res_out, own=0.4, pooled=0.6)
    c_minute = minutes(n_res, n_res_out)
    sort = np.argsort(c_minute, kind="stable")
    c_manager, c_client, c_minute = c_manager[sort], c_client[sort], c_minute[sort]
    n_cases = len(c_minute)
    again = rng.choice(
        np.flatnonzero((c_minute >= 0) & (c_minute < MINUTES - 1)), size=round(0.02 * n_res), replace=False
    )
    opened = c_minute - 600
    _load(
        Case,
        n_cases,
        {
            "client_id": client_ids[c_client],
            "handler_id": manager_ids[c_manager],
            "subject": "Question",
            "description": "Please help.",
            "status": "closed",
            "opened_at": cols.stamps(opened),
            "opened_by_id": boss.pk,
            "acknowledge_due_at": cols.stamps(opened + 240),
            "resolve_due_at": cols.stamps(opened + 2880),
            "acknowledged_at": cols.stamps(opened + 60),
            "resolved_at": cols.stamps(c_minute),
            "closed_at": cols.stamps(c_minute + 1440),
            "problem_statement": "The problem.",
            "resolution": "Solved.",
            "resolved_by_id": manager_ids[c_manager],
        },
    )
    case_ids = _ids(Case)
    # events: every case's resolution; some resolved again later in the month by another manager; a few
    # resolutions credited to nobody; "reassigned" events naming a manager (not a resolution)
    n_again, n_nobody, n_other = len(again), round(0.002 * n_res), round(0.02 * n_res)
    again_minute = c_minute[again] + 1 + rng.integers(0, 10**9, n_again) % (MINUTES - 1 - c_minute[again])
    again_manager = rng.integers(0, n_managers, n_again)
    nobody = rng.integers(0, n_cases, n_nobody)
    reassigned = rng.integers(0, n_cases, n_other)
    e_case = np.concatenate([np.arange(n_cases), again, nobody, reassigned])
    e_kind = np.repeat(
        np.array(["resolved", "resolved", "resolved", "reassigned"]), [n_cases, n_again, n_nobody, n_other]
    )
    e_manager = np.concatenate(
        [c_manager, again_manager, np.full(n_nobody, -1), pool_managers[rng.integers(0, len(pool_managers), n_other)]]
    )
    e_minute = np.concatenate(
        [c_minute, again_minute, rng.integers(0, MINUTES, n_nobody), rng.integers(0, MINUTES, n_other)]
    )
    sort = np.argsort(e_minute, kind="stable")
    e_case, e_kind, e_manager, e_minute = e_case[sort], e_kind[sort], e_manager[sort], e_minute[sort]
    _load(
        CaseEvent,
        len(e_case),
        {
            "case_id": case_ids[e_case],
            "kind": e_kind.tolist(),
            "at": cols.stamps(e_minute),
            "manager_id": [None if m < 0 else int(manager_ids[m]) for m in e_manager.tolist()],
        },
    )
    counted = (e_kind == "resolved") & (e_manager >= 0) & (e_minute >= 0) & (e_minute < MINUTES)
    served_keys.append(e_manager[counted] * n_clients + c_client[e_case[counted]])
    resolutions_in_month = int(counted.sum())
    del e_case, e_kind, e_manager, e_minute, sort
    _log(f"{n_cases:,} cases, {n_cases + n_again + n_nobody + n_other:,} case events in {elapsed()}")

    # --- the served pairs, as the product keeps them: the migration's INSERT … SELECT over the events ---------
    with _bare(ServedClientMonth._meta.db_table):
        n_pairs = rebuild_served()
    _log(f"{n_pairs:,} served pairs (manager, client, month) in {elapsed()}")

    # --- ratings -------------------------------------------------------------------------------------------
    n_rated = round(SHARE_RATINGS * size.events)
    n_rated_out = round(SHARE_OUTSIDE * n_rated)
    propensity = rng.gamma(0.8, 1.0, n_managers) + 1e-3
    rated = np.sort(_pick(rng, propensity[c_manager], n_rated + n_rated_out))
    _load(
        RatingRequest,
        len(rated),
        {
            "client_id": client_ids[c_client[rated]],
            "manager_id": manager_ids[c_manager[rated]],
            "subject": "case",
            "case_id": case_ids[rated],
            "email": "client@example.com",
            "language": "en",
            "created_at": cols.stamps(c_minute[rated]),
        },
    )
    request_ids = _ids(RatingRequest)
    mean = rng.uniform(3.3, 4.95, n_managers)
    r_manager = c_manager[rated]
    stars = np.clip(np.rint(rng.normal(mean[r_manager], 0.9)), 1, 5).astype(np.int64)
    r_minute = rng.permutation(minutes(n_rated, n_rated_out))
    sort = np.argsort(r_minute, kind="stable")
    _load(
        Rating,
        len(rated),
        {
            "request_id": request_ids[sort],
            "client_id": client_ids[c_client[rated]][sort],
            "manager_id": manager_ids[r_manager][sort],
            "stars": stars[sort],
            "created_at": cols.stamps(r_minute[sort]),
        },
    )
    counted = (r_minute >= 0) & (r_minute < MINUTES)
    rating_total = np.bincount(r_manager[counted], weights=stars[counted], minlength=n_managers).astype(np.int64)
    rating_count = np.bincount(r_manager[counted], minlength=n_managers).astype(np.int64)
    del c_manager, c_client, c_minute, rated, r_manager, stars, r_minute
    _log(f"{n_rated + n_rated_out:,} ratings in {elapsed()}")

    # --- acquisitions --------------------------------------------------------------------------------------
    n_acq = round(SHARE_ACQUISITIONS * size.events)
    n_reversed, n_earlier = max(2, n_acq // 50), max(2, n_acq // 50)
    total = n_acq + n_reversed + n_earlier
    q_client = rng.choice(n_clients, size=total, replace=False)
    weights = rng.gamma(0.7, 1.0, n_managers)
    q_manager = rng.choice(n_managers, size=total, p=weights / weights.sum())
    q_vip = rng.random(total) < 0.1
    q_day = np.concatenate([rng.integers(0, DAYS, n_acq + n_reversed), rng.integers(-28, 0, n_earlier)])
    q_reversed = np.zeros(total, dtype=bool)
    q_reversed[n_acq : n_acq + n_reversed] = True
    sort = np.argsort(q_day, kind="stable")
    q_client, q_manager, q_vip, q_day, q_reversed = (a[sort] for a in (q_client, q_manager, q_vip, q_day, q_reversed))
    noon = q_day * 1440 + 660
    _load(
        Opportunity,
        total,
        {
            "client_id": client_ids[q_client],
            "manager_id": manager_ids[q_manager],
            "title": "Deal",
            "stage": "won",
            "stage_changed_at": cols.stamps(noon),
            "closed_at": cols.stamps(noon),
            "created_by_id": user_ids[q_manager],
        },
    )
    reversal = cols.stamp(END + datetime.timedelta(days=3))
    _load(
        Acquisition,
        total,
        {
            "client_id": client_ids[q_client],
            "manager_id": manager_ids[q_manager],
            "opportunity_id": _ids(Opportunity),
            "acquired_on": cols.days(q_day),
            "was_vip": q_vip,
            "credited_by_id": boss.pk,
            "reversed_at": [reversal if r else None for r in q_reversed.tolist()],
            "reversed_by_id": [boss.pk if r else None for r in q_reversed.tolist()],
            "reversal_reason": ["Fell through." if r else "" for r in q_reversed.tolist()],
        },
    )
    standing = ~q_reversed & (q_day >= 0) & (q_day < DAYS)
    acquired = np.bincount(q_manager[standing & ~q_vip], minlength=n_managers)
    acquired_vip = np.bincount(q_manager[standing & q_vip], minlength=n_managers)

    # --- the plan, the period ------------------------------------------------------------------------------
    plan = CompensationPlan.objects.create(name="Bench HUF", currency="HUF")
    PlanVersion.objects.create(plan=plan, effective_from=MONTH.replace(month=1), created_by=boss, **FIGURES)
    _load(ManagerPlan, n_managers, {"manager_id": manager_ids, "plan_id": plan.pk})
    period = PayPeriod.objects.create(month=MONTH)

    # --- served pairs (pool managers), then statistics -----------------------------------------------------
    keys = np.unique(np.concatenate(served_keys))
    del served_keys
    served = np.bincount(keys // n_clients, minlength=n_managers) * pool
    del keys
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        analyze()
    events = n_inter + resolutions_in_month + n_rated + n_acq + assignment_changes
    outside = n_inter_out + n_res_out + n_rated_out + n_earlier
    _log(f"built and analysed in {elapsed()} ({events:,} events in the month)")
    return Built(
        expected=Expected(
            employed_days=employed_days.astype(np.int64),
            level=level,
            pool=pool,
            corporate_days=corporate_days,
            vip_days=vip_days,
            acquired=acquired,
            acquired_vip=acquired_vip,
            served=served,
            rating_total=rating_total,
            rating_count=rating_count,
        ),
        manager_ids=manager_ids,
        period=period,
        actor=actor,
        events=events,
        outside=outside,
        assignment_changes=assignment_changes,
    )


# ---------------------------------------------------------------------------------------------------------------
# The floor: one SQL statement with the same per-manager counts
# ---------------------------------------------------------------------------------------------------------------

# The floor in the form each database runs fastest (measured at full scale). SQLite needs steering: a plain table
# scan of the assignments (its planner walks an index in manager order, 3x slower), the VIP clients first for the
# steady VIP days, and a unary plus so resolutions are read by ``caseevent_kind_at_idx`` (month range) rather than
# by manager. PostgreSQL plans the same query well as written.
DIALECTS = {
    "sqlite": {
        "days": "CAST(julianday({a}) - julianday({b}) AS INTEGER)",
        "least": "MIN",
        "greatest": "MAX",
        "local_date": "django_datetime_cast_date({x}, %(zone)s, 'UTC')",
        "table_scan": "NOT INDEXED",
        "driving_join": "CROSS JOIN",
        "no_index": "+",
    },
    "postgresql": {
        "days": "({a} - {b})",
        "least": "LEAST",
        "greatest": "GREATEST",
        "local_date": "(({x}) AT TIME ZONE %(zone)s)::date",
        "table_scan": "",
        "driving_join": "JOIN",
        "no_index": "",
    },
}

FLOOR_SQL = """
WITH
managers AS (
    SELECT m.id, m.level, m.work_mode, {employed_days} AS employed_days
    FROM managers_clientmanager m
    WHERE m.hire_date < %(following)s AND (m.dismissal_date IS NULL OR m.dismissal_date > %(first)s)
),
pool AS MATERIALIZED (
    SELECT m.id FROM managers_clientmanager m WHERE m.work_mode = %(pool)s
),
changed AS MATERIALIZED (
    SELECT DISTINCT h.id FROM clients_historicalclient h WHERE h.history_date >= %(start)s
),
held AS (
    SELECT a.manager_id, SUM({held_days}) AS client_days
    FROM assignment_assignment a {table_scan}
    WHERE {in_month}
    GROUP BY a.manager_id
),
steady_vip AS (
    SELECT a.manager_id, SUM({held_days}) AS vip_days
    FROM clients_client c {driving_join} assignment_assignment a ON a.client_id = c.id
    WHERE c.is_vip AND c.id NOT IN (SELECT id FROM changed) AND {in_month}
    GROUP BY a.manager_id
),
vip_spans AS (
    SELECT client_id, d0, d1 FROM (
        SELECT h.id AS client_id, h.is_vip, {local_date} AS d0,
               LEAD({local_date}, 1, %(following)s) OVER (PARTITION BY h.id ORDER BY h.history_date, h.history_id)
                   AS d1
        FROM clients_historicalclient h
        WHERE h.id IN (SELECT id FROM changed) AND h.history_date < %(end)s
    ) spans
    WHERE is_vip
),
changed_vip AS (
    SELECT a.manager_id, SUM({span_days}) AS vip_days
    FROM vip_spans v {driving_join} assignment_assignment a ON a.client_id = v.client_id
    WHERE {in_month} AND v.d0 < {held_end} AND v.d1 > {held_start}
    GROUP BY a.manager_id
),
won AS (
    SELECT q.manager_id,
           SUM(CASE WHEN q.was_vip THEN 0 ELSE 1 END) AS plain,
           SUM(CASE WHEN q.was_vip THEN 1 ELSE 0 END) AS vip
    FROM pipeline_acquisition q
    WHERE q.acquired_on >= %(first)s AND q.acquired_on < %(following)s AND q.reversed_at IS NULL
    GROUP BY q.manager_id
),
served AS (
{served}
),
rated AS (
    SELECT r.manager_id, SUM(r.stars) AS total, COUNT(*) AS n
    FROM feedback_rating r
    WHERE r.created_at >= %(start)s AND r.created_at < %(end)s
    GROUP BY r.manager_id
)
SELECT m.id, m.level, m.work_mode, m.employed_days,
       COALESCE(h.client_days, 0), COALESCE(sv.vip_days, 0) + COALESCE(cv.vip_days, 0),
       COALESCE(w.plain, 0), COALESCE(w.vip, 0), COALESCE(s.clients, 0), COALESCE(r.total, 0), COALESCE(r.n, 0)
FROM managers m
LEFT JOIN held h ON h.manager_id = m.id
LEFT JOIN steady_vip sv ON sv.manager_id = m.id
LEFT JOIN changed_vip cv ON cv.manager_id = m.id
LEFT JOIN won w ON w.manager_id = m.id
LEFT JOIN served s ON s.manager_id = m.id
LEFT JOIN rated r ON r.manager_id = m.id
ORDER BY m.id
"""


# The distinct clients served per pool manager: counted from the month's events themselves (the floor of the target,
# as the issue set it), or from the pairs table the product keeps (``ServedClientMonth``, the source ours reads;
# reported beside it as ``ratio_to_floor_from_pairs``).
SERVED_FROM_PAIRS = """
    SELECT s.manager_id, COUNT(*) AS clients FROM compensation_servedclientmonth s
    WHERE s.month = %(first)s AND s.manager_id IN (SELECT id FROM pool)
    GROUP BY s.manager_id"""
SERVED_FROM_EVENTS = """
    SELECT u.manager_id, COUNT(DISTINCT u.client_id) AS clients FROM (
        SELECT i.manager_id, i.client_id FROM cases_interaction i
        WHERE i.occurred_at >= %(start)s AND i.occurred_at < %(end)s AND i.manager_id IN (SELECT id FROM pool)
        UNION ALL
        SELECT e.manager_id, k.client_id FROM cases_caseevent e JOIN cases_case k ON k.id = e.case_id
        WHERE e.kind = %(resolved)s AND e.at >= %(start)s AND e.at < %(end)s
          AND {no_index}e.manager_id IN (SELECT id FROM pool)
    ) u
    GROUP BY u.manager_id"""


def _floor_query(*, from_pairs: bool = False) -> tuple[str, dict]:
    d = DIALECTS[connection.vendor]
    days, least, greatest = d["days"], d["least"], d["greatest"]
    held_start = f"{greatest}(a.start_date, %(first)s)"
    held_end = f"{least}(COALESCE(a.end_date, %(following)s), %(following)s)"
    sql = FLOOR_SQL.format(
        served=(SERVED_FROM_PAIRS if from_pairs else SERVED_FROM_EVENTS).format(no_index=d["no_index"]),
        employed_days=days.format(
            a=f"{least}(COALESCE(m.dismissal_date, %(following)s), %(following)s)",
            b=f"{greatest}(m.hire_date, %(first)s)",
        ),
        in_month="a.start_date < %(following)s AND (a.end_date IS NULL OR a.end_date > %(first)s)",
        held_days=days.format(a=held_end, b=held_start),
        held_start=held_start,
        held_end=held_end,
        span_days=days.format(a=f"{least}({held_end}, v.d1)", b=f"{greatest}({held_start}, v.d0)"),
        local_date=d["local_date"].format(x="h.history_date"),
        table_scan=d["table_scan"],
        driving_join=d["driving_join"],
    )
    ops = connection.ops
    params = {
        "first": ops.adapt_datefield_value(MONTH),
        "following": ops.adapt_datefield_value(FOLLOWING),
        "start": ops.adapt_datetimefield_value(START),
        "end": ops.adapt_datetimefield_value(END),
        "zone": settings.TIME_ZONE,
        "pool": "pool",
        "resolved": "resolved",
    }
    return sql, params


def _floor(*, from_pairs: bool = False) -> list[tuple]:
    sql, params = _floor_query(from_pairs=from_pairs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------------------------------
# The independent implementation of the rules
# ---------------------------------------------------------------------------------------------------------------

KINDS = ("base", "allowance_corporate", "allowance_vip", "acquisition", "acquisition_vip", "service", "rating", "cap")


def _forints(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _reference_lines(e: Expected, i: int) -> dict[str, Decimal]:
    """Manager ``i``'s lines under FIGURES, from the counts alone (docs/compensation-rules.md)."""
    f = FIGURES
    lines = {
        "base": _forints(f[f"base_{LEVELS[e.level[i]]}"] * int(e.employed_days[i]) / DAYS),
        "allowance_corporate": _forints(f["allowance_corporate"] * int(e.corporate_days[i]) / DAYS),
        "allowance_vip": _forints(f["allowance_vip"] * int(e.vip_days[i]) / DAYS),
        "acquisition": _forints(f["acquisition_bonus"] * int(e.acquired[i])),
        "acquisition_vip": _forints(f["acquisition_bonus_vip"] * int(e.acquired_vip[i])),
        "service": _forints(f["service_bonus"] * int(e.served[i])) if e.pool[i] else Decimal(0),
        "rating": Decimal(0),
    }
    n, total = int(e.rating_count[i]), int(e.rating_total[i])
    if n > 0 and n >= f["rating_min_count"]:
        weight = Fraction(str(settings.RAPPORT["RATING_PRIOR_WEIGHT"]))
        prior = Fraction(str(settings.RAPPORT["RATING_PRIOR_MEAN"]))
        smoothed = (weight * prior + total) / (weight + n)
        reached = [Decimal(t["amount"]) for t in f["rating_tiers"] if smoothed >= Fraction(t["threshold"])]
        if reached:
            lines["rating"] = max(reached)  # the tiers' amounts rise with their thresholds
    cap = _forints(lines["base"] * f["bonus_cap_percent"] / 100)
    earned = sum(lines[k] for k in ("acquisition", "acquisition_vip", "service", "rating"))
    lines["cap"] = -(earned - cap) if earned > cap else Decimal(0)
    return lines


def _check(built: Built, floor_rows: list[tuple], ours: dict) -> dict:
    """Compare the floor's counts with numpy's, and our statements with the reference, manager by manager."""
    e = built.expected
    n = len(built.manager_ids)
    floor_mismatches = 0
    if len(floor_rows) != n:
        floor_mismatches = abs(len(floor_rows) - n) or 1
    else:
        got = np.array([[int(x) for x in row[3:]] for row in floor_rows], dtype=np.int64)
        want = np.stack(
            [
                e.employed_days,
                e.corporate_days + e.vip_days,
                e.vip_days,
                e.acquired,
                e.acquired_vip,
                e.served,
                e.rating_total,
                e.rating_count,
            ],
            axis=1,
        )
        ids_ok = [row[0] for row in floor_rows] == built.manager_ids.tolist()
        levels_ok = [row[1] for row in floor_rows] == [LEVELS[x] for x in e.level.tolist()]
        floor_mismatches = int((got != want).any(axis=1).sum()) + (not ids_ok) + (not levels_ok)
        if floor_mismatches:
            names = ("employed", "client_days", "vip_days", "acquired", "acquired_vip", "served", "stars", "ratings")
            for column, name in enumerate(names):
                bad = np.flatnonzero(got[:, column] != want[:, column])
                if len(bad):
                    sample = [(int(built.manager_ids[i]), int(got[i, column]), int(want[i, column])) for i in bad[:5]]
                    _log(f"floor {name} differs for {len(bad)} managers (id, floor, numpy): {sample}")
    totals, lines = ours["totals"], ours["lines"]
    mismatches = 0
    line_mismatches: dict[str, int] = {}
    reference_sum = Decimal(0)
    with localcontext() as context:
        context.prec = 50
        for i, manager_id in enumerate(built.manager_ids.tolist()):
            reference = _reference_lines(e, i)
            total = sum(reference.values(), Decimal(0))
            reference_sum += total
            if totals.get(manager_id) != total:
                mismatches += 1
            own = lines.get(manager_id, {})
            for kind in KINDS:
                if own.get(kind, Decimal(0)) != reference[kind]:
                    line_mismatches[kind] = line_mismatches.get(kind, 0) + 1
    ours_sum = sum(totals.values(), Decimal(0))
    mismatches += len(set(totals) - set(built.manager_ids.tolist()))
    return {
        "mismatches": mismatches,
        "line_mismatches": line_mismatches,
        "floor_count_mismatches": floor_mismatches,
        "total_ours": str(ours_sum),
        "total_reference": str(reference_sum),
        "statements": len(totals),
        "lines": sum(len(v) for v in lines.values()),
        "capped": sum(1 for v in lines.values() if "cap" in v),
    }


# ---------------------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------------------


def _restore() -> None:
    """After a rolled-back run: on PostgreSQL the rolled-back rows stay as dead tuples until a vacuum."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def _peak_reset() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _status_mib(key: str) -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _profile(fn) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def run(scale: str) -> list[dict]:
    size = SIZES[scale]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")  # for both sides; see the module's docstring
    started = time.perf_counter()
    built = _build(size)
    gc.collect()
    _log(f"built in {time.perf_counter() - started:.1f} s")
    period, actor = built.period, built.actor
    phases: list[list[float]] = []

    def ours_body(record: dict | None = None):
        marks = [(0, time.perf_counter())]
        result = pay_run.write_period(period, actor=actor, progress=lambda p: marks.append((p, time.perf_counter())))
        marks.append((101, time.perf_counter()))
        phases.append([marks[i + 1][1] - marks[i][1] for i in range(len(marks) - 1)])
        if record is not None:
            record["result"] = result
            totals = dict(Statement.objects.filter(period=period).values_list("manager_id", "total"))
            lines: dict[int, dict[str, Decimal]] = {}
            for manager_id, kind, amount in StatementLine.objects.filter(statement__period=period).values_list(
                "statement__manager_id", "kind", "amount"
            ):
                lines.setdefault(manager_id, {})[kind] = amount
            record["totals"], record["lines"] = totals, lines

    def ours():
        with transaction.atomic():
            ours_body()
            transaction.set_rollback(True)

    # One checked run of ours (its peak memory measured), then one of the floor.
    record: dict = {}
    before = _status_mib("VmRSS")
    reset = _peak_reset()
    t0 = time.perf_counter()
    with transaction.atomic():
        ours_body(record)
        transaction.set_rollback(True)
    first_ours = time.perf_counter() - t0
    peak = _status_mib("VmHWM") if reset else None
    _restore()
    t0 = time.perf_counter()
    floor_rows = _floor()
    first_floor = time.perf_counter() - t0
    _log(f"first run: ours {first_ours:.2f} s (peak {peak} MiB, {before} MiB before), floor {first_floor:.2f} s")
    checked = _check(built, floor_rows, record)
    # The pairs table against the events: the floor that counts them from the pairs must find the same counts.
    checked["pairs_floor_count_mismatches"] = _check(built, _floor(from_pairs=True), record)["floor_count_mismatches"]
    _log(f"check: {checked}")
    error = None
    if checked["floor_count_mismatches"] or checked["pairs_floor_count_mismatches"]:
        bad = checked["floor_count_mismatches"] or checked["pairs_floor_count_mismatches"]
        error = f"the floor's counts differ from numpy's for {bad} managers"
    elif checked["mismatches"]:
        error = f"{checked['mismatches']} managers' totals differ from the reference"
    elif Decimal(checked["total_ours"]) != Decimal(checked["total_reference"]):
        error = "the grand totals differ"

    ratios, floor_times, our_times, pairs_floor_times = [], [], [], []
    phases.clear()
    for index in range(ROUNDS[scale]):
        times = {}
        for name, fn in (("ours", ours), ("floor", _floor)) if index % 2 else (("floor", _floor), ("ours", ours)):
            t0 = time.perf_counter()
            fn()
            times[name] = time.perf_counter() - t0
            if name == "ours":
                _restore()
        ratios.append(times["ours"] / times["floor"])
        floor_times.append(times["floor"])
        our_times.append(times["ours"])
        # For comparison: the floor counting the served clients from the pairs table (the source ours reads).
        t0 = time.perf_counter()
        _floor(from_pairs=True)
        pairs_floor_times.append(time.perf_counter() - t0)
        _log(
            f"round {index + 1}: floor {times['floor']:.2f} s, ours {times['ours']:.2f} s "
            f"(floor from the pairs {pairs_floor_times[-1]:.2f} s)"
        )
    timing = {
        "ratio": round(statistics.median(ratios), 3),
        "floor_ms": round(statistics.median(floor_times) * 1000, 1),
        "ours_ms": round(statistics.median(our_times) * 1000, 1),
        "rounds": len(ratios),
        "repeat": 1,
        "ratios": [round(r, 3) for r in ratios],
    }
    pairs_floor_ms = round(statistics.median(pairs_floor_times) * 1000, 1)
    phase_names = ("facts_and_engine", "adjustments", "statements", "lines_and_totals")
    medians = [statistics.median(p[i] for p in phases) for i in range(1, 5)] if phases else []
    info = {
        "managers": size.managers,
        "clients": size.clients,
        "events": size.events,
        "events_in_month": built.events,
        "events_outside": built.outside,
        "assignment_changes": built.assignment_changes,
        "vendor": connection.vendor,
    }
    time_result = case_result(
        BENCH,
        "full_run",
        target=TARGET,
        timing=timing,
        error=error,
        phases_ms={name: round(v * 1000, 1) for name, v in zip(phase_names, medians, strict=False)},
        floor_from_pairs_ms=pairs_floor_ms,
        ratio_to_floor_from_pairs=round(
            statistics.median(t / f for t, f in zip(our_times, pairs_floor_times, strict=True)), 3
        ),
        **info,
    )
    results = [
        time_result,
        case_result(
            BENCH,
            "full_run",
            metric="totals_equal",
            target=0,
            timing={"ratio": checked["mismatches"] + checked["floor_count_mismatches"]},
            error=error,
            **checked,
            **info,
        ),
        case_result(
            BENCH,
            "full_run",
            metric="peak_memory",
            target=1.0,
            timing={"ratio": round(peak / MEMORY_BUDGET_MIB, 4)} if peak else None,
            peak_mib=round(peak, 1) if peak else None,
            before_mib=round(before, 1) if before else None,
            budget_mib=MEMORY_BUDGET_MIB,
            note="peak resident size of the bench process during one write_period",
            **info,
        ),
    ]
    if not time_result["ok"]:
        _log(f"profile of ours (one run)\n{_profile(ours)}")
        _restore()
    return results
