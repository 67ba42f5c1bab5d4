"""The exact assignment solver: clients aggregated into classes, one min-cost flow, vectorised disaggregation.

The flow network (``docs/assignment-engine.md`` explains it in full)::

    class A ──stay: one arc per current manager m0 of A's clients (≤ their count)────> manager m0 ─┐
    class A ──> hub (type, junior, VIP-qualified)          ──> every such manager       ─┐         ├─ bands ─> sink
    class A ──> hub (A's group, type, junior, VIP-qualified) ──> such managers serving it ─┴─> manager m ┘
    class A ──unassigned───────────────────────────────────────────────────────────────────────────────> sink

An attribute class ``A = (VIP, motivation, group)`` holds every client with those attributes. A hub holds the
managers with equal soft costs for a class, so the network has about ``#S + #managers + Σ|groups served| +
24 * #A`` arcs instead of ``#clients * #managers`` (``S = (A, eligible current manager)``, the sub-classes).
Continuity is priced by an offset: every client whose current manager is eligible pays ``move`` up front and its
stay arc gives it back, so a client that stays pays nothing and one that leaves (moved or unassigned) pays
``move``.

Costs are scaled by ``K = 2 * #A + 1`` and every stay is 1 cheaper. A simple cycle of the residual network uses at
most two stay arcs per class node, so the tie-break can never outweigh one unit of real cost: the optimum stays
optimal for the real objective and, among equal plans, keeps the most clients with their current managers.
Re-planning the state a plan produced therefore moves nobody.
"""

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from ortools.graph.python import min_cost_flow

from rapport.assignment.engine.types import LEVEL_CODES, NO_GROUP, NO_MANAGER, Clients, Problem, Solution, Weights

_MOTIVATION_OFFSET = 128  # motivation is int8: code + 128 is in 0..255
_DIRECT_GROUP_RANGE = 1 << 20  # group ids spanning less than this are coded by offset, without sorting
_COST_LIMIT = 1 << 62  # OR-tools multiplies costs by (nodes + 1) internally and must not overflow int64


# ---------------------------------------------------------------------------------------------------------------
# Weights and load bands
# ---------------------------------------------------------------------------------------------------------------


def check_weights(weights: Weights) -> None:
    """Refuse weights the model cannot honour: negative costs, unordered bands, or a load cost that is not convex
    (a later band cheaper than an earlier one would let the flow fill the expensive places first)."""
    scalars = (
        weights.motivation_mismatch,
        weights.group_not_served,
        weights.vip_with_junior,
        weights.move,
        weights.unassigned,
    )
    if any(int(value) != value or value < 0 for value in scalars):
        raise ValueError("Assignment weights must be non-negative whole numbers.")
    if not weights.load_bands:
        raise ValueError("Assignment weights need at least one load band.")
    bounds = [Fraction(str(bound)) for bound, _ in weights.load_bands]
    costs = [cost for _, cost in weights.load_bands]
    if any(b <= 0 for b in bounds) or any(b2 <= b1 for b1, b2 in itertools.pairwise(bounds)):
        raise ValueError("Load band bounds must be positive and increasing.")
    if any(int(c) != c or c < 0 for c in costs) or any(c2 < c1 for c1, c2 in itertools.pairwise(costs)):
        raise ValueError("Load band costs must be non-negative whole numbers that never decrease.")


def band_places(capacity: np.ndarray, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """How many of a manager's places fall in each load band: ``(places[manager, band], cost[band])``.

    The k-th client (k = 1..capacity) belongs to the first band whose bound is ≥ k / capacity; the last band also
    takes every place above all bounds. Bounds are read as decimals (0.9 is 9/10), so there is no float rounding.
    """
    capacity = np.asarray(capacity, dtype=np.int64)
    bands = weights.load_bands
    upto = np.empty((len(capacity), len(bands)), dtype=np.int64)
    for index, (bound, _) in enumerate(bands[:-1]):
        exact = Fraction(str(bound))
        upto[:, index] = np.minimum(capacity * exact.numerator // exact.denominator, capacity)
    upto[:, -1] = capacity
    places = np.diff(upto, axis=1, prepend=0)
    return places, np.array([cost for _, cost in bands], dtype=np.int64)


def load_cost(capacity: np.ndarray, load: np.ndarray, weights: Weights) -> np.ndarray:
    """The load-balance cost of holding ``load`` clients per manager: the sum of the band costs of clients 1..load;
    clients above capacity (a state after capacities were cut) cost the top band each."""
    capacity = np.asarray(capacity, dtype=np.int64)
    load = np.asarray(load, dtype=np.int64)
    places, costs = band_places(capacity, weights)
    before = np.cumsum(places, axis=1) - places
    filled = np.clip(load[:, None] - before, 0, places)
    over = np.maximum(load - capacity, 0)
    return filled @ costs + over * costs[-1]


# ---------------------------------------------------------------------------------------------------------------
# Attribute classes
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassTable:
    """The attribute classes ``A = (VIP, motivation, group)`` as parallel arrays, in ascending code order."""

    is_vip: np.ndarray  # bool
    motivation: np.ndarray  # int8
    group: np.ndarray  # int64, NO_GROUP when none

    def __len__(self) -> int:
        return int(self.is_vip.shape[0])


def _attribute_codes(clients: Clients) -> tuple[np.ndarray, np.ndarray]:
    """One int64 code per client for its attribute class, and the group values to decode ``code >> 9``."""
    group = np.asarray(clients.group, dtype=np.int64)
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    low, high = int(group.min()), int(group.max())
    if high - low < _DIRECT_GROUP_RANGE:
        group_code, group_values = group - low, np.arange(low, high + 1, dtype=np.int64)
    else:
        group_values, group_code = np.unique(group, return_inverse=True)
    motivation = np.asarray(clients.motivation, dtype=np.int64) + _MOTIVATION_OFFSET
    codes = ((group_code << 8) | motivation) << 1 | np.asarray(clients.is_vip, dtype=np.int64)
    return codes, group_values


def _decode(codes: np.ndarray, group_values: np.ndarray) -> ClassTable:
    return ClassTable(
        is_vip=(codes & 1).astype(bool),
        motivation=(((codes >> 1) & 255) - _MOTIVATION_OFFSET).astype(np.int8),
        group=group_values[codes >> 9],
    )


def class_keys(clients: Clients) -> tuple[np.ndarray, ClassTable]:
    """The attribute class of every client: ``(keys, table)`` with ``table`` row ``keys[i]`` describing client i.

    Clients of one class cost the same with every manager apart from continuity, so explanations (which depend
    only on the class, the manager and whether the client stays) can be computed once per class.
    """
    codes, group_values = _attribute_codes(clients)
    unique, keys = np.unique(codes, return_inverse=True)
    return keys.astype(np.int64), _decode(unique, group_values)


# ---------------------------------------------------------------------------------------------------------------
# Managers
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Managers:
    ids: np.ndarray
    manager_type: np.ndarray
    junior: np.ndarray
    vip_qualified: np.ndarray
    capacity: np.ndarray
    groups: tuple[frozenset[int], ...]

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def index_of(self, manager_ids: np.ndarray) -> np.ndarray:
        """The position of each id among the managers, -1 when it is not one of them."""
        if len(self) == 0:
            return np.full(len(manager_ids), -1, dtype=np.int64)
        low, high = int(self.ids.min()), int(self.ids.max())
        if high - low <= 16 * len(self) + 1024:  # dense ids (database keys): a lookup table beats a binary search
            table = np.full(high - low + 2, -1, dtype=np.int64)
            table[self.ids - low] = np.arange(len(self))
            offset = np.asarray(manager_ids, dtype=np.int64) - low
            return table[np.where((offset >= 0) & (offset <= high - low), offset, high - low + 1)]
        order = np.argsort(self.ids, kind="stable")
        sorted_ids = self.ids[order]
        pos = np.minimum(np.searchsorted(sorted_ids, manager_ids), len(self) - 1)
        return np.where(sorted_ids[pos] == manager_ids, order[pos], -1)


def _managers(problem: Problem) -> _Managers:
    managers = problem.managers
    table = _Managers(
        ids=np.array([m.id for m in managers], dtype=np.int64),
        manager_type=np.array([m.manager_type for m in managers], dtype=np.int64),
        junior=np.array([m.level == LEVEL_CODES["junior"] for m in managers], dtype=bool),
        vip_qualified=np.array([m.vip_qualified for m in managers], dtype=bool),
        capacity=np.array([m.capacity for m in managers], dtype=np.int64),
        groups=tuple(m.groups for m in managers),
    )
    if len(np.unique(table.ids)) != len(table):
        raise ValueError("Manager ids must be unique.")
    if (table.capacity < 0).any():
        raise ValueError("Manager capacities must not be negative.")
    return table


@dataclass(frozen=True)
class _Hubs:
    """Hub nodes between classes and managers; see the module docstring."""

    count: int
    class_arc: np.ndarray  # class → hub arcs: class, hub, soft cost
    class_arc_hub: np.ndarray
    class_arc_cost: np.ndarray
    manager_arc_hub: np.ndarray  # hub → manager arcs, sorted by hub then manager
    manager_arc_manager: np.ndarray


def _hubs(weights: Weights, classes: ClassTable, managers: _Managers) -> _Hubs:
    """Hubs ``(type, junior, VIP-qualified)`` over all such managers, priced as if they did not serve the class's
    group, and hubs ``(group, type, junior, VIP-qualified)`` over the managers serving that group, priced as served.

    A class reaches every manager through the hub that prices it exactly; the other route to a manager who serves
    the group costs ``group_not_served`` more and is never used by an optimum (and costs the same when that
    weight is 0), so the network stays exact with about ``#managers + Σ|groups served| + 24 * #classes`` arcs."""
    combo_code = managers.manager_type * 4 + managers.junior * 2 + managers.vip_qualified
    combos, combo_of_manager = np.unique(combo_code, return_inverse=True)
    n_combos = len(combos)
    c_type, c_junior, c_vip = combos >> 2, ((combos >> 1) & 1).astype(bool), (combos & 1).astype(bool)

    groups = np.unique(classes.group[classes.group != NO_GROUP])
    relevant = set(groups.tolist())
    pair_manager = np.array(
        [index for index, served in enumerate(managers.groups) for g in served if g in relevant], dtype=np.int64
    )
    pair_group = np.array([g for served in managers.groups for g in served if g in relevant], dtype=np.int64)
    pair_key = np.searchsorted(groups, pair_group) * n_combos + combo_of_manager[pair_manager]
    served_keys, pair_hub = np.unique(pair_key, return_inverse=True)
    served_group, served_combo = groups[served_keys // n_combos], served_keys % n_combos

    # class → hub arcs: first every class with every combo hub, then each class with its group's served hubs
    general_class, general_combo = np.divmod(np.arange(len(classes) * n_combos), n_combos)
    served_class, served_index = np.nonzero(classes.group[:, None] == served_group[None, :])
    arc_class = np.r_[general_class, served_class]
    arc_combo = np.r_[general_combo, served_combo[served_index]]
    arc_hub = np.r_[general_combo, n_combos + served_index]
    motivation = classes.motivation.astype(np.int64)[arc_class]
    vip = classes.is_vip[arc_class]
    cost = (
        weights.motivation_mismatch * ((motivation != 0) & (motivation != c_type[arc_combo]))
        + weights.vip_with_junior * (vip & c_junior[arc_combo])
        + weights.group_not_served * ((classes.group[arc_class] != NO_GROUP) & (arc_hub < n_combos))
    ).astype(np.int64)
    allowed = ~vip | c_vip[arc_combo]
    arc_order = np.lexsort((arc_hub, arc_class))
    arc_order = arc_order[allowed[arc_order]]

    has_room = managers.capacity > 0
    hub_of = np.r_[combo_of_manager[has_room], n_combos + pair_hub[has_room[pair_manager]]]
    member = np.r_[np.flatnonzero(has_room), pair_manager[has_room[pair_manager]]]
    by_hub = np.lexsort((member, hub_of))
    return _Hubs(
        count=n_combos + len(served_keys),
        class_arc=arc_class[arc_order],
        class_arc_hub=arc_hub[arc_order],
        class_arc_cost=cost[arc_order],
        manager_arc_hub=hub_of[by_hub],
        manager_arc_manager=member[by_hub],
    )


def _soft_cost(weights: Weights, classes: ClassTable, class_index, managers: _Managers, manager_index) -> np.ndarray:
    """The soft cost of a client of each class with each manager (pairwise arrays)."""
    motivation = classes.motivation.astype(np.int64)[class_index]
    vip = classes.is_vip[class_index]
    group = classes.group[class_index]
    groups = np.unique(classes.group)
    relevant = set(groups.tolist())
    pair_manager = np.array(
        [index for index, served in enumerate(managers.groups) for g in served if g in relevant], dtype=np.int64
    )
    pair_group = np.array([g for served in managers.groups for g in served if g in relevant], dtype=np.int64)
    served = np.isin(
        manager_index * len(groups) + np.searchsorted(groups, group),
        pair_manager * len(groups) + np.searchsorted(groups, pair_group),
    )
    return (
        weights.motivation_mismatch * ((motivation != 0) & (motivation != managers.manager_type[manager_index]))
        + weights.vip_with_junior * (vip & managers.junior[manager_index])
        + weights.group_not_served * ((group != NO_GROUP) & ~served)
    ).astype(np.int64)


# ---------------------------------------------------------------------------------------------------------------
# Solve
# ---------------------------------------------------------------------------------------------------------------


def lexicographic_unassigned(weights: Weights) -> int:
    """The unassigned cost the solver uses: ``weights.unassigned``, raised when needed so that assigning one more
    client always pays. One more client never needs more than one other client to change manager (the only hard
    rule that ties clients to managers is VIP), so any cost above ``2 * (worst base cost) + move + top band`` makes
    every optimum assign as many clients as the hard rules allow. With the default weights (1000 > 210) nothing
    changes."""
    worst_base = weights.motivation_mismatch + weights.group_not_served + weights.vip_with_junior
    top_band = max(cost for _, cost in weights.load_bands)
    return max(weights.unassigned, 2 * worst_base + weights.move + top_band + 1)


def _empty_solution(clients: Clients) -> Solution:
    return Solution(
        client_ids=np.asarray(clients.ids, dtype=np.int64),
        manager_ids=np.zeros(0, dtype=np.int64),
        cost_before=0,
        cost_after=0,
        assigned=0,
        unassigned=0,
        moves=0,
        classes=0,
    )


@dataclass(frozen=True)
class _SubClasses:
    """Clients sorted by (sub-class, id): ``order[start[s] : start[s] + count[s]]`` are sub-class s's rows."""

    order: np.ndarray
    id_rank: np.ndarray | None  # each row's rank by id; None when rows are already in id order
    start: np.ndarray
    count: np.ndarray
    manager: np.ndarray  # eligible current manager's position, or len(managers) for none
    class_of: np.ndarray  # the attribute class of each sub-class
    classes: ClassTable
    class_count: np.ndarray
    n_managers: int

    @property
    def eligible(self) -> np.ndarray:
        """Which sub-classes have an eligible current manager."""
        return self.manager < self.n_managers


def _sub_classes(clients: Clients, current_index: np.ndarray, eligible: np.ndarray, n_managers: int) -> _SubClasses:
    """Sub-classes ``S = (attribute class, eligible current manager or none)`` by one stable sort."""
    ids = np.asarray(clients.ids, dtype=np.int64)
    n = len(ids)
    codes, group_values = _attribute_codes(clients)
    sub = codes * (n_managers + 1) + np.where(eligible, current_index, n_managers)
    if (ids[1:] > ids[:-1]).all():
        id_rank = None
        order = np.argsort(sub, kind="stable")
    else:
        by_id = np.argsort(ids, kind="stable")
        if (ids[by_id][1:] == ids[by_id][:-1]).any():
            raise ValueError("Client ids must be unique.")
        id_rank = np.empty(n, dtype=np.int64)
        id_rank[by_id] = np.arange(n)
        order = by_id[np.argsort(sub[by_id], kind="stable")]
    sub_sorted = sub[order]
    start = np.flatnonzero(np.r_[True, sub_sorted[1:] != sub_sorted[:-1]])
    count = np.diff(np.r_[start, n])
    code = sub_sorted[start]
    class_code = code // (n_managers + 1)
    first = np.r_[True, class_code[1:] != class_code[:-1]]
    class_of = np.cumsum(first) - 1
    classes = _decode(class_code[first], group_values)
    return _SubClasses(
        order=order,
        id_rank=id_rank,
        start=start,
        count=count,
        manager=code % (n_managers + 1),
        class_of=class_of,
        classes=classes,
        class_count=np.bincount(class_of, weights=count, minlength=len(classes)).astype(np.int64),
        n_managers=n_managers,
    )


def solve(problem: Problem) -> Solution:
    """The optimal plan for ``problem``: as many clients assigned as the hard rules allow, then the least total
    cost, then the most clients kept with their current managers. Deterministic: the same problem always gives
    the same plan. Raises ``ValueError`` for invalid input (weights, duplicate ids, negative capacities)."""
    weights = problem.weights
    check_weights(weights)
    clients = problem.clients
    n = len(clients)
    if n == 0:
        return _empty_solution(clients)
    ids = np.asarray(clients.ids, dtype=np.int64)
    is_vip = np.asarray(clients.is_vip, dtype=bool)
    current = np.asarray(clients.current_manager, dtype=np.int64)
    managers = _managers(problem)
    n_managers = len(managers)

    # A current manager is eligible when it is one of the problem's managers and the hard rules allow it.
    current_index = managers.index_of(current)
    eligible = current_index >= 0
    eligible[eligible] &= ~is_vip[eligible] | managers.vip_qualified[current_index[eligible]]
    sc = _sub_classes(clients, current_index, eligible, n_managers)
    classes, n_classes, class_count = sc.classes, len(sc.classes), sc.class_count
    hubs = _hubs(weights, classes, managers)

    stay_s = np.flatnonzero(sc.eligible)
    stay_class, stay_manager, stay_count = sc.class_of[stay_s], sc.manager[stay_s], sc.count[stay_s]
    stay_base = _soft_cost(weights, classes, stay_class, managers, stay_manager)
    n_eligible = int(stay_count.sum())
    unassigned_cost = lexicographic_unassigned(weights)
    places, band_cost = band_places(managers.capacity, weights)

    # Scaling for the continuity tie-break, dropped when the costs would not fit OR-tools' int64 range.
    n_nodes = n_classes + hubs.count + n_managers + 1
    worst = max(unassigned_cost, int(hubs.class_arc_cost.max(initial=0)) + weights.move, int(band_cost.max()))
    scale, tie = 2 * n_classes + 1, 1
    if scale * (worst + 1) * (n_nodes + 1) >= _COST_LIMIT:
        scale, tie = 1, 0
    if (worst + 1) * (n_nodes + 1) >= _COST_LIMIT:
        raise ValueError("Assignment weights are too large for the solver.")

    # The network. Nodes: classes, then hubs, then managers, then the sink.
    hub_node, manager_node, sink = n_classes, n_classes + hubs.count, n_nodes - 1
    band_manager, band_index = np.nonzero(places)
    parts = [
        # stays: class → current manager
        (stay_class, manager_node + stay_manager, stay_count, scale * (stay_base - weights.move) - tie),
        # class → hub
        (hubs.class_arc, hub_node + hubs.class_arc_hub, class_count[hubs.class_arc], scale * hubs.class_arc_cost),
        # hub → manager
        (
            hub_node + hubs.manager_arc_hub,
            manager_node + hubs.manager_arc_manager,
            managers.capacity[hubs.manager_arc_manager],
            np.zeros(len(hubs.manager_arc_manager), dtype=np.int64),
        ),
        # manager → sink, one arc per load band
        (
            manager_node + band_manager,
            np.full(len(band_manager), sink),
            places[band_manager, band_index],
            scale * band_cost[band_index],
        ),
        # class → sink: unassigned
        (np.arange(n_classes), np.full(n_classes, sink), class_count, np.full(n_classes, scale * unassigned_cost)),
    ]
    bounds = np.cumsum([0] + [len(part[0]) for part in parts])
    network = min_cost_flow.SimpleMinCostFlow()
    network.add_arcs_with_capacity_and_unit_cost(
        *(np.concatenate([part[i] for part in parts]).astype(dtype) for i, dtype in enumerate("iiqq"))
    )
    supplies = np.r_[class_count, np.zeros(hubs.count + n_managers, dtype=np.int64), -n].astype(np.int64)
    network.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
    status = network.solve()
    if status != network.OPTIMAL:
        raise RuntimeError(f"The min-cost flow solver failed with status {status}.")
    flows = np.asarray(network.flows(np.arange(bounds[-1], dtype=np.int32)), dtype=np.int64)
    f_stay, f_hub, f_manager, f_band, f_unassigned = (flows[bounds[i] : bounds[i + 1]] for i in range(5))

    # The plan's cost, checked against the solver's own optimum.
    n_stay, n_unassigned = int(f_stay.sum()), int(f_unassigned.sum())
    soft = int(f_stay @ stay_base + f_hub @ hubs.class_arc_cost + f_band @ band_cost[band_index])
    cost_after = soft + weights.move * (n_eligible - n_stay) + weights.unassigned * n_unassigned
    internal = (
        scale * (cost_after + (unassigned_cost - weights.unassigned) * n_unassigned)
        + tie * (n_eligible - n_stay)
        - (scale * weights.move + tie) * n_eligible
    )
    if internal != network.optimal_cost():
        raise RuntimeError("The plan's cost differs from the solver's optimum.")

    stays = np.zeros(len(sc.count), dtype=np.int64)
    stays[stay_s] = f_stay
    plan = _disaggregate(sc, stays, hubs, f_hub, f_manager, f_unassigned, current, managers.ids)

    # Cost of keeping every current assignment that is still allowed (loads may exceed cut capacities).
    load_before = np.bincount(stay_manager, weights=stay_count, minlength=n_managers).astype(np.int64)
    cost_before = (
        int(stay_count @ stay_base)
        + int(load_cost(managers.capacity, load_before, weights).sum())
        + weights.unassigned * (n - n_eligible)
    )

    has_current = current != NO_MANAGER
    assigned = plan != NO_MANAGER
    return Solution(
        client_ids=ids,
        manager_ids=plan,
        cost_before=int(cost_before),
        cost_after=int(cost_after),
        assigned=int(assigned.sum()),
        unassigned=int(n - assigned.sum()),
        moves=int((has_current & assigned & (plan != current)).sum()),
        classes=len(sc.count),
        dropped=int((has_current & ~assigned).sum()),
    )


def _disaggregate(
    sc: _SubClasses,
    stays: np.ndarray,
    hubs: _Hubs,
    f_hub: np.ndarray,
    f_manager: np.ndarray,
    f_unassigned: np.ndarray,
    current: np.ndarray,
    manager_ids: np.ndarray,
) -> np.ndarray:
    """Each client's manager from the flows, with no per-client Python loop.

    Within each sub-class the first clients by id stay with their current manager. The others of each class
    (clients that had a manager first, then by id) take the class's hub flows in hub order, and each hub's
    clients go to its managers in manager order; whoever is left over in the class is unassigned.
    """
    n = len(sc.order)
    ids_or_none = np.r_[manager_ids, NO_MANAGER]
    plan = np.full(n, NO_MANAGER, dtype=np.int64)
    rank = np.arange(n) - np.repeat(sc.start, sc.count)
    staying = rank < np.repeat(stays, sc.count)
    plan[sc.order[staying]] = ids_or_none[np.repeat(sc.manager, stays)]

    leaving = sc.order[~staying]
    leave_class = np.repeat(sc.class_of, sc.count - stays)
    by_id = sc.id_rank[leaving] if sc.id_rank is not None else leaving
    key = (leave_class * 2 + (current[leaving] == NO_MANAGER)) * n + by_id
    leaving = leaving[np.argsort(key, kind="stable")]
    leave_count = np.bincount(leave_class, minlength=len(sc.classes))
    to_hubs = np.bincount(hubs.class_arc, weights=f_hub, minlength=len(sc.classes)).astype(np.int64)
    if not np.array_equal(leave_count - to_hubs, f_unassigned):
        raise RuntimeError("The solver's flows do not balance.")
    leave_rank = np.arange(len(leaving)) - np.repeat(np.cumsum(leave_count) - leave_count, leave_count)
    moved = leaving[leave_rank < np.repeat(to_hubs, leave_count)]
    moved = moved[np.argsort(np.repeat(hubs.class_arc_hub, f_hub), kind="stable")]
    plan[moved] = manager_ids[np.repeat(hubs.manager_arc_manager, f_manager)]
    return plan
