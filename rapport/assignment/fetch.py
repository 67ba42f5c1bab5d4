"""Load the facts the assignment engine needs, set-based, into engine types (all queries of the engine live here)."""

import contextlib
import hashlib
import itertools

import numpy as np
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Exists, ExpressionWrapper, Max, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from rapport.assignment.engine import MOTIVATION_CODES, NO_GROUP, NO_MANAGER, TYPE_CODES, Clients, Manager, Problem
from rapport.assignment.engine.types import LEVEL_CODES, Weights
from rapport.assignment.models import Assignment, AssignmentWeights
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client, ClientGroup
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


def _integer_rows(columns) -> np.ndarray:
    """The rows of a ``values_list`` of two integer columns as an (n, 2) array. The ORM's own SQL runs through
    the cursor: Django's per-row converters would only cost time."""
    sql, params = columns.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    return np.fromiter(itertools.chain.from_iterable(fetched), dtype=np.int64, count=2 * len(fetched)).reshape(-1, 2)


def load_clients() -> Clients:
    """The clients that need a personal manager — active legal entities — and every client that has one now (a
    prospect assigned by hand keeps its place and its manager's capacity), with their current manager, as
    columns ordered by client id. Soft-deleted clients are left out (the default manager's ``deleted_at IS
    NULL``)."""
    current = Assignment.objects.filter(client=OuterRef("pk"), end_date__isnull=True)
    legal = Client.objects.filter(kind=ClientKind.LEGAL_ENTITY)
    if connection.vendor == "postgresql":
        # Two reads: with "active OR has a current assignment" PostgreSQL tests every row against a hash of all
        # current assignments and misjudges the cost; the clients kept for their assignment are few and are
        # found through the status index.
        others = [status for status in ClientStatus.values if status != ClientStatus.ACTIVE]
        parts = [legal.filter(status=ClientStatus.ACTIVE), legal.filter(status__in=others).filter(Exists(current))]
    else:
        # One scan in id order; SQLite looks for a current assignment only for the clients that are not active.
        parts = [legal.filter(Q(status=ClientStatus.ACTIVE) | Exists(current))]
    # The database turns each client's class into one integer, group * 16 + motivation * 2 + VIP (a missing group
    # is NO_GROUP = -1), so the rows arrive as two plain integers and become numpy columns without a Python step
    # per client: fewer values to fetch, and the bits are split with array operations.
    motivation = Case(
        *[When(motivation=name, then=Value(code)) for name, code in MOTIVATION_CODES.items()],
        default=Value(0),
        output_field=BigIntegerField(),
    )
    vip = Case(When(is_vip=True, then=Value(1)), default=Value(0), output_field=BigIntegerField())
    packed = ExpressionWrapper(
        Coalesce("group_id", Value(NO_GROUP), output_field=BigIntegerField()) * Value(_GROUP_SHIFT)
        + motivation * Value(2)
        + vip,
        output_field=BigIntegerField(),
    )
    with _without_jit():
        read = [
            _integer_rows(part.annotate(packed=packed).order_by("pk").values_list("pk", "packed")) for part in parts
        ]
    data = read[0]
    if sum(part.shape[0] for part in read[1:]):
        data = np.concatenate(read)
        data = data[np.argsort(data[:, 0], kind="stable")]
    ids_array = np.ascontiguousarray(data[:, 0])
    packed_array = data[:, 1]
    current = np.full(ids_array.shape[0], NO_MANAGER, dtype=np.int64)
    pairs = _integer_rows(
        Assignment.objects.filter(end_date__isnull=True).order_by().values_list("client_id", "manager_id")
    )
    if pairs.size:
        positions = np.searchsorted(ids_array, pairs[:, 0])
        inside = positions < ids_array.shape[0]
        found = inside.copy()
        found[inside] = ids_array[positions[inside]] == pairs[inside, 0]
        current[positions[found]] = pairs[found, 1]
    return Clients(
        ids=ids_array,
        is_vip=(packed_array & 1).astype(bool),
        motivation=((packed_array >> 1) & 7).astype(np.int8),
        group=packed_array // _GROUP_SHIFT,  # floor division: NO_GROUP * 16 + low bits gives NO_GROUP back
        current_manager=current,
    )


def load_problem(*, weights: Weights, exclude_manager_ids=()) -> Problem:
    """Everything the engine needs to plan."""
    return Problem(
        clients=load_clients(),
        managers=load_managers(exclude_ids=exclude_manager_ids),
        weights=weights,
        group_names=dict(ClientGroup.objects.values_list("pk", "name")),
    )


def fingerprint() -> str:
    """A summary of the data plans are computed from; it changes whenever a client, manager or assignment does."""
    # Index look-ups only (no COUNT over large tables): every change writes a history row with a higher id.
    parts = []
    for model in (Client, ClientManager, Assignment, ClientGroup):
        last = model.history.model.objects.aggregate(last=Max("history_id"))["last"]
        parts.append(f"{model._meta.label}:{last}")
    parts.append(f"live:{Assignment.objects.aggregate(last=Max('id'))['last']}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()
