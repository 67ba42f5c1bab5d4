"""Load the facts the assignment engine needs, set-based, into engine types (all queries of the engine live here)."""

import contextlib
import hashlib
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, Max, Value, When
from django.db.models.functions import Coalesce

from rapport.assignment.engine import MOTIVATION_CODES, NO_GROUP, NO_MANAGER, TYPE_CODES, Clients, Manager, Problem
from rapport.assignment.engine.types import LEVEL_CODES, Weights
from rapport.assignment.models import Assignment, AssignmentWeights
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client, ClientGroup
from rapport.core.sql import int_columns
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


@dataclass(frozen=True)
class ClassCounts:
    """The planned clients counted per (class, current manager), the rows sorted by both.

    ``packed`` is the class (group * 16 + motivation * 2 + VIP), ``holder`` the current manager (NO_MANAGER for
    none), ``count`` the row's clients. ``ids`` holds every planned client's id, row after row, ascending within
    each row: the client at engine position ``p`` (see ``clients``) is ``ids[p]``.
    """

    packed: np.ndarray
    holder: np.ndarray
    count: np.ndarray
    ids: np.ndarray

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


# A client's row (class, current manager) as one integer, (packed + 16) * _ROW_SHIFT + holder + 1: both parts are
# then at least 0, and a manager id is below 2**32.
_ROW_SHIFT = 1 << 32
_PACKED_OFFSET = -NO_GROUP * _GROUP_SHIFT


def _pairs(columns) -> np.ndarray:
    """The rows of a ``values_list`` of two integer columns as an (n, 2) array (see ``core.sql.int_columns``)."""
    return int_columns(*columns.query.sql_with_params(), 2)


def _holders(ids: np.ndarray, held: np.ndarray) -> np.ndarray:
    """Each client's current manager (NO_MANAGER for none), from the (client, manager) pairs ``held``; pairs of
    other clients (individuals, soft-deleted ones) are left out. Ids up to a few times the count (the usual case)
    go through a look-up table indexed by id; sparser ids through a sort."""
    holder = np.full(ids.shape[0], NO_MANAGER, dtype=np.int64)
    if ids.shape[0] == 0 or held.shape[0] == 0:
        return holder
    top = int(max(ids.max(), held[:, 0].max())) + 1
    if top <= 4 * ids.shape[0] + 1024:
        table = np.full(top, NO_MANAGER, dtype=np.int64)
        table[held[:, 0]] = held[:, 1]
        return table[ids]
    by_id = np.argsort(ids)
    at = np.minimum(np.searchsorted(ids[by_id], held[:, 0]), ids.shape[0] - 1)
    found = ids[by_id][at] == held[:, 0]
    holder[by_id[at[found]]] = held[found, 1]
    return holder


def load_class_counts() -> ClassCounts:
    """Count the planned clients per row (class, current manager) and rank each row's clients by id.

    Planned are the clients that need a personal manager — active legal entities — and every legal entity that
    has one now (a prospect assigned by hand keeps its place and its manager's capacity). Soft-deleted clients are
    left out (the default manager's ``deleted_at IS NULL``). Two reads — the legal entities with their class and
    whether they are active, then the current assignments — are joined here with array operations: looking up
    each client's assignment in the database costs more than both reads together. Should anything change between
    the reads, the plan cannot be applied: its fingerprint is taken before them."""
    active = Case(When(status=ClientStatus.ACTIVE, then=Value(1)), default=Value(0), output_field=BigIntegerField())
    clients = _pairs(
        Client.objects.filter(kind=ClientKind.LEGAL_ENTITY)
        .order_by()
        .annotate(a=F("pk"), b=(_packed_class() + Value(_PACKED_OFFSET)) * Value(2) + active)
        .values_list("a", "b")
    )
    held = _pairs(
        Assignment.objects.filter(end_date__isnull=True)
        .order_by()
        .annotate(a=F("client_id"), b=F("manager_id"))
        .values_list("a", "b")
    )
    if held.shape[0] and held[:, 1].max() >= _ROW_SHIFT - 1:
        raise RuntimeError("Manager ids above 2**32 - 2 do not fit the plan's row keys.")
    ids, codes = clients[:, 0], clients[:, 1]
    holder = _holders(ids, held)
    planned = ((codes & 1) == 1) | (holder != NO_MANAGER)
    ids = ids[planned]
    rows = (codes[planned] >> 1) * _ROW_SHIFT + holder[planned] - NO_MANAGER
    ascending = ids.shape[0] < 2 or bool((np.diff(ids) > 0).all())  # SQLite reads in id order
    order = np.argsort(rows, kind="stable") if ascending else np.lexsort((ids, rows))
    rows, ids = rows[order], ids[order]
    first = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]) if rows.shape[0] else np.zeros(0, dtype=np.int64)
    keys = rows[first]
    return ClassCounts(
        packed=keys // _ROW_SHIFT - _PACKED_OFFSET,
        holder=keys % _ROW_SHIFT + NO_MANAGER,
        count=np.diff(np.r_[first, rows.shape[0]]),
        ids=ids,
    )


def client_ids(counts: ClassCounts, positions: np.ndarray) -> np.ndarray:
    """The client ids at the given engine positions (see ``ClassCounts.clients``): a row's clients ranked by id."""
    return counts.ids[np.asarray(positions, dtype=np.int64)]


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
