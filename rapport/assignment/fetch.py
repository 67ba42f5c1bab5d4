"""Load the facts the assignment engine needs, set-based, into engine types (all queries of the engine live here)."""

import contextlib
import hashlib
import itertools
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, ExpressionWrapper, FilteredRelation, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from rapport.assignment.engine import MOTIVATION_CODES, NO_GROUP, NO_MANAGER, TYPE_CODES, Clients, Manager, Problem
from rapport.assignment.engine.types import LEVEL_CODES, Weights
from rapport.assignment.errors import AssignmentError
from rapport.assignment.models import Assignment, AssignmentWeights
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client, ClientGroup
from rapport.core.errors import refuse
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.models import ClientManager

# Each client's class packed into one integer: group * _GROUP_SHIFT + motivation * 2 + VIP (motivation codes are
# below 8, so they fit in three bits).
_GROUP_SHIFT = 16


def engine_weights(weights: AssignmentWeights) -> Weights:
    """The stored weights as engine weights."""
    return Weights(
        motivation_mismatch=weights.motivation_mismatch,
        group_not_served=weights.group_not_served,
        vip_with_junior=weights.vip_with_junior,
        move=weights.move,
        load_bands=(
            (0.50, weights.load_up_to_50),
            (0.75, weights.load_up_to_75),
            (0.90, weights.load_up_to_90),
            (1.00, weights.load_above_90),
        ),
        unassigned=weights.unassigned,
    )


def weights_snapshot(weights: Weights) -> dict:
    """The weights as stored with a plan, so its figures can be explained later."""
    return {
        "motivation_mismatch": weights.motivation_mismatch,
        "group_not_served": weights.group_not_served,
        "vip_with_junior": weights.vip_with_junior,
        "move": weights.move,
        "load_bands": [list(band) for band in weights.load_bands],
        "unassigned": weights.unassigned,
    }


def load_managers(*, exclude_ids=()) -> tuple[Manager, ...]:
    """Active personal managers (minus ``exclude_ids``), with the groups they serve."""
    rows = list(
        ClientManager.objects.filter(employment_status=EmploymentStatus.ACTIVE, work_mode=WorkMode.PERSONAL)
        .exclude(pk__in=list(exclude_ids))
        .order_by("pk")
        .values_list("pk", "manager_type", "level", "vip_qualified", "capacity")
    )
    through = ClientManager.client_groups.through
    groups: dict[int, set[int]] = {}
    for manager_id, group_id in through.objects.values_list("clientmanager_id", "clientgroup_id"):
        groups.setdefault(manager_id, set()).add(group_id)
    return tuple(
        Manager(
            id=pk,
            manager_type=TYPE_CODES[mtype],
            level=LEVEL_CODES[level],
            vip_qualified=vip,
            capacity=capacity,
            groups=frozenset(groups.get(pk, ())),
        )
        for pk, mtype, level, vip, capacity in rows
    )


@contextlib.contextmanager
def _without_jit():
    """On PostgreSQL, no JIT compilation for the large reads: compiling costs more than the simple expressions
    it would speed up (it starts above a planner cost that a million clients reaches). The setting is local to
    the transaction and put back afterwards (a rollback puts it back too)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
        before = cursor.fetchone()[0]
        yield
        cursor.execute("SELECT set_config('jit', %s, true)", [before])


# SQLite's page cache while a plan is computed or applied, in KiB: the default 2 MiB has every index update of a
# large apply read its page again (a third of the apply's time at a million clients).
_SQLITE_CACHE_KIB = 262_144


@contextlib.contextmanager
def large_work():
    """On SQLite, a 256 MiB page cache for a plan's large reads and writes, put back to what it was afterwards;
    other databases keep their settings."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _integer_rows(columns, width: int = 2) -> np.ndarray:
    """The rows of a ``values_list`` of ``width`` integer columns as an (n, width) array. The ORM's own SQL runs
    through the cursor: Django's per-row converters would only cost time."""
    sql, params = columns.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return np.fromiter(itertools.chain.from_iterable(fetched), dtype=np.int64, count=width * len(fetched)).reshape(
        -1, width
    )


def _packed_class():
    """Each client's class as one integer, group * 16 + motivation * 2 + VIP (a missing group is NO_GROUP = -1), so
    a class is one value to group by and is split into its parts with array operations."""
    motivation = Case(
        *[When(motivation=name, then=Value(code)) for name, code in MOTIVATION_CODES.items()],
        default=Value(0),
        output_field=BigIntegerField(),
    )
    vip = Case(When(is_vip=True, then=Value(1)), default=Value(0), output_field=BigIntegerField())
    return ExpressionWrapper(
        Coalesce("group_id", Value(NO_GROUP), output_field=BigIntegerField()) * Value(_GROUP_SHIFT)
        + motivation * Value(2)
        + vip,
        output_field=BigIntegerField(),
    )


def _planned(held_by=None):
    """The clients that need a personal manager — active legal entities — and every client that has one now (a
    prospect assigned by hand keeps its place and its manager's capacity), each with its class (``packed``) and
    current manager (``holder``, NO_MANAGER for none). Soft-deleted clients are left out (the default manager's
    ``deleted_at IS NULL``). ``held_by``: only the clients of these managers (all managers when it is ``ALL``)."""
    planned = Q(status=ClientStatus.ACTIVE) | Q(now__isnull=False)
    if held_by is ALL:
        planned &= Q(now__isnull=False)
    elif held_by is not None:
        planned &= Q(now__manager__in=held_by)
    return (
        Client.objects.filter(kind=ClientKind.LEGAL_ENTITY)
        .annotate(now=FilteredRelation("assignments", condition=Q(assignments__end_date__isnull=True)))
        .filter(planned)  # one filter call, so the conditions share the one join
        .annotate(
            packed=_packed_class(),
            holder=Coalesce("now__manager_id", Value(NO_MANAGER), output_field=BigIntegerField()),
        )
        .order_by()
    )


ALL = object()


@dataclass(frozen=True)
class ClassCounts:
    """The planned clients counted per (class, current manager), the rows sorted by both.

    ``packed`` is the class (group * 16 + motivation * 2 + VIP), ``holder`` the current manager (NO_MANAGER for
    none), ``count`` the row's clients. ``free_ids`` holds the ids of the clients without a manager, row after row,
    ascending within each row (``free_start[row]`` is where a row's ids begin): the only ids the read fetches.
    """

    packed: np.ndarray
    holder: np.ndarray
    count: np.ndarray
    free_ids: np.ndarray
    free_start: np.ndarray

    @property
    def start(self) -> np.ndarray:
        """Where each row's clients begin among the engine's clients (their positions)."""
        return np.cumsum(self.count) - self.count

    def clients(self) -> Clients:
        """One engine client per planned client, row after row. A client's engine id is its position: the row's
        start plus its rank by id among the row's clients (``client_ids`` turns positions back into ids)."""
        packed = np.repeat(self.packed, self.count)
        return Clients(
            ids=np.arange(int(self.count.sum()), dtype=np.int64),
            is_vip=(packed & 1).astype(bool),
            motivation=((packed >> 1) & 7).astype(np.int8),
            group=packed // _GROUP_SHIFT,  # floor division: NO_GROUP * 16 + low bits gives NO_GROUP back
            current_manager=np.repeat(self.holder, self.count),
        )


def load_class_counts() -> ClassCounts:
    """Count the planned clients per (class, current manager) with one ``GROUP BY`` in the database; only the ids
    of clients without a manager come along (as one list per row). No client row is fetched."""
    inner, params = _planned().values_list("pk", "packed", "holder").query.sql_with_params()
    if connection.vendor == "postgresql":
        free = "string_agg(CASE WHEN holder = %s THEN pk::text END, ',')"
    else:
        free = "group_concat(CASE WHEN holder = %s THEN pk END, ',')"
    sql = (
        f"SELECT packed, holder, COUNT(*), {free} FROM ({inner}) AS planned "  # noqa: S608
        "GROUP BY packed, holder ORDER BY packed, holder"
    )
    with _without_jit(), connection.cursor() as cursor:
        cursor.execute(sql, [NO_MANAGER, *params])
        rows = cursor.fetchall()
    holder = np.array([row[1] for row in rows], dtype=np.int64)
    free_rows = np.flatnonzero(holder == NO_MANAGER)
    free_lists = [np.sort(np.fromstring(rows[row][3], dtype=np.int64, sep=",")) for row in free_rows.tolist()]
    sizes = np.zeros(len(rows), dtype=np.int64)
    sizes[free_rows] = [len(ids) for ids in free_lists]
    return ClassCounts(
        packed=np.array([row[0] for row in rows], dtype=np.int64),
        holder=holder,
        count=np.array([row[2] for row in rows], dtype=np.int64),
        free_ids=np.concatenate(free_lists) if free_lists else np.zeros(0, dtype=np.int64),
        free_start=np.cumsum(sizes) - sizes,
    )


# Above this many managers losing clients, their clients are read without listing the managers.
_LISTED_MANAGERS = 5000


def client_ids(counts: ClassCounts, positions: np.ndarray) -> np.ndarray:
    """The client ids at the given engine positions (see ``ClassCounts.clients``): a row's clients ranked by id.

    Clients without a manager come from the counts' ``free_ids``. For the others, the clients of the managers
    concerned are read (id, class, manager — the manager index finds them) and ranked by id within each row.
    Raises ``AssignmentError.PLAN_STALE`` when a row no longer holds the clients counted (data changed between
    the reads)."""
    positions = np.asarray(positions, dtype=np.int64)
    start = counts.start
    row = np.searchsorted(start, positions, side="right") - 1
    rank = positions - start[row]
    ids = np.empty(positions.shape[0], dtype=np.int64)
    free = counts.holder[row] == NO_MANAGER
    if free.any():
        ids[free] = counts.free_ids[counts.free_start[row[free]] + rank[free]]
    held = ~free
    if not held.any():
        return ids
    managers = np.unique(counts.holder[row[held]])
    read = _planned(held_by=managers.tolist() if len(managers) <= _LISTED_MANAGERS else ALL)
    with _without_jit():
        fetched = _integer_rows(read.values_list("pk", "packed", "holder"), width=3)
    # Each fetched client's row among the counts, by one key per (class, manager).
    holders = np.unique(np.r_[counts.holder, fetched[:, 2]])
    low = int(min(counts.packed.min(initial=0), fetched[:, 1].min(initial=0)))
    width = len(holders)
    counted_key = (counts.packed - low) * width + np.searchsorted(holders, counts.holder)
    fetched_key = (fetched[:, 1] - low) * width + np.searchsorted(holders, fetched[:, 2])
    order = np.lexsort((fetched[:, 0], fetched_key))
    fetched_key, fetched_ids = fetched_key[order], fetched[order, 0]
    fetched_row = np.minimum(np.searchsorted(counted_key, fetched_key), len(counted_key) - 1)
    wanted = row[held]
    first = np.searchsorted(fetched_key, counted_key[wanted])
    last = np.searchsorted(fetched_key, counted_key[wanted], side="right")
    if (counted_key[fetched_row] != fetched_key).any() or (last - first != counts.count[wanted]).any():
        raise refuse(
            AssignmentError.PLAN_STALE,
            _("Clients, managers or assignments changed while this plan was computed: run a new plan."),
        )
    ids[held] = fetched_ids[first + rank[held]]
    return ids


def load_problem(*, weights: Weights, exclude_manager_ids=()) -> tuple[Problem, ClassCounts]:
    """Everything the engine needs to plan, with the counts its clients come from (to find their ids)."""
    counts = load_class_counts()
    problem = Problem(
        clients=counts.clients(),
        managers=load_managers(exclude_ids=exclude_manager_ids),
        weights=weights,
        group_names=dict(ClientGroup.objects.values_list("pk", "name")),
    )
    return problem, counts


def fingerprint() -> str:
    """A summary of the data plans are computed from; it changes whenever a client, manager or assignment does."""
    # Index look-ups only (no COUNT over large tables): every change writes a history row with a higher id.
    parts = []
    for model in (Client, ClientManager, Assignment, ClientGroup):
        last = model.history.model.objects.aggregate(last=Max("history_id"))["last"]
        parts.append(f"{model._meta.label}:{last}")
    parts.append(f"live:{Assignment.objects.aggregate(last=Max('id'))['last']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
