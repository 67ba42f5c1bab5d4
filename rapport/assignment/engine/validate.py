"""An independent check of plans: the hard rules and the objective, written from the definitions alone.

Nothing here reuses the solver (no classes, no flows, no band tables), so a bug in the solver cannot hide behind
the same bug here. Both functions work client by client with plain numpy.
"""

from fractions import Fraction

import numpy as np

from rapport.assignment.engine.types import LEVEL_CODES, NO_GROUP, NO_MANAGER, Problem, Solution

_SHOWN = 5  # offending ids listed per message


def _ids(values: np.ndarray) -> str:
    shown = ", ".join(str(int(v)) for v in values[:_SHOWN])
    return shown + (f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else "")


def _lookup(problem: Problem, manager_ids: np.ndarray) -> tuple[np.ndarray, dict]:
    """Each id's position in ``problem.managers`` (-1 when it is none of them) and the id → position dict."""
    position = {manager.id: index for index, manager in enumerate(problem.managers)}
    unique, inverse = np.unique(np.asarray(manager_ids, dtype=np.int64), return_inverse=True)
    found = np.array([position.get(int(value), -1) for value in unique], dtype=np.int64)
    return found[inverse].reshape(-1), position


def violations(problem: Problem, solution: Solution) -> list[str]:
    """Every way ``solution`` breaks the hard rules or misreports itself; an empty list for a valid plan."""
    clients = problem.clients
    n = len(clients)
    found: list[str] = []
    client_ids = np.asarray(solution.client_ids)
    plan = np.asarray(solution.manager_ids)
    if client_ids.shape != (n,) or not np.array_equal(client_ids, clients.ids):
        found.append("client_ids are not the problem's client ids in the problem's order")
    if plan.shape != (n,):
        found.append(f"manager_ids has shape {plan.shape}, expected ({n},)")
        return found

    position, _ = _lookup(problem, plan)
    unknown = (plan != NO_MANAGER) & (position < 0)
    if unknown.any():
        found.append(f"clients given a manager that is not an eligible manager: {_ids(clients.ids[unknown])}")
    assigned = (plan != NO_MANAGER) & ~unknown
    qualified = np.array([m.vip_qualified for m in problem.managers] + [False], dtype=bool)
    vip_breach = assigned & np.asarray(clients.is_vip, dtype=bool) & ~qualified[position]
    if vip_breach.any():
        found.append(f"VIP clients given a manager who is not VIP-qualified: {_ids(clients.ids[vip_breach])}")
    counts = np.bincount(position[assigned], minlength=len(problem.managers))
    for index, manager in enumerate(problem.managers):
        if counts[index] > manager.capacity:
            found.append(f"manager {manager.id} gets {counts[index]} clients, capacity {manager.capacity}")

    n_assigned = int((plan != NO_MANAGER).sum())
    if (solution.assigned, solution.unassigned) != (n_assigned, n - n_assigned):
        found.append(
            f"assigned/unassigned reported as {solution.assigned}/{solution.unassigned}, "
            f"counted {n_assigned}/{n - n_assigned}"
        )
    current = np.asarray(clients.current_manager)
    had = current != NO_MANAGER
    moves = int((had & (plan != NO_MANAGER) & (plan != current)).sum())
    dropped = int((had & (plan == NO_MANAGER)).sum())
    if (solution.moves, solution.dropped) != (moves, dropped):
        found.append(f"moves/dropped reported as {solution.moves}/{solution.dropped}, counted {moves}/{dropped}")
    return found


def objective(problem: Problem, manager_ids: np.ndarray) -> int:
    """The total cost of giving client i manager ``manager_ids[i]`` (``NO_MANAGER``: unassigned), from the
    definitions: per client its soft costs, continuity when it leaves an eligible current manager (moved or
    unassigned), the unassigned cost; per manager the load cost of its clients 1..load (top band above capacity).
    An id that is not one of the problem's managers counts as unassigned."""
    weights = problem.weights
    clients = problem.clients
    managers = problem.managers
    plan_position, _ = _lookup(problem, manager_ids)
    current_position, _ = _lookup(problem, clients.current_manager)
    is_vip = np.asarray(clients.is_vip, dtype=bool)
    motivation = np.asarray(clients.motivation, dtype=np.int64)
    group = np.asarray(clients.group, dtype=np.int64)

    # manager attributes, with a sentinel row at position -1 for "no manager"
    manager_type = np.array([m.manager_type for m in managers] + [0], dtype=np.int64)
    junior = np.array([m.level == LEVEL_CODES["junior"] for m in managers] + [False], dtype=bool)
    qualified = np.array([m.vip_qualified for m in managers] + [False], dtype=bool)
    pair_manager = np.array([index for index, m in enumerate(managers) for _ in m.groups], dtype=np.int64)
    pair_group = np.array([g for m in managers for g in m.groups], dtype=np.int64)
    values, codes = np.unique(np.r_[group, pair_group], return_inverse=True)
    client_pair = plan_position * len(values) + codes[: len(group)]
    served = np.isin(client_pair, pair_manager * len(values) + codes[len(group) :])

    has_manager = plan_position >= 0
    mismatch = has_manager & (motivation != 0) & (motivation != manager_type[plan_position])
    not_served = has_manager & (group != NO_GROUP) & ~served
    vip_junior = has_manager & is_vip & junior[plan_position]
    could_stay = (current_position >= 0) & (~is_vip | qualified[current_position])
    left = could_stay & (plan_position != current_position)
    total = (
        weights.motivation_mismatch * int(mismatch.sum())
        + weights.group_not_served * int(not_served.sum())
        + weights.vip_with_junior * int(vip_junior.sum())
        + weights.move * int(left.sum())
        + weights.unassigned * int((~has_manager).sum())
    )
    # load: client number k of a manager (k = 1.. in any order) costs the first band with k / capacity ≤ bound
    holder = plan_position[has_manager]
    by_holder = np.sort(holder)
    k = np.arange(1, len(by_holder) + 1) - np.searchsorted(by_holder, by_holder)
    capacity = np.array([m.capacity for m in managers], dtype=np.int64)[by_holder]
    place_cost = np.full(len(k), weights.load_bands[-1][1], dtype=np.int64)
    undecided = capacity > 0
    for bound, cost in weights.load_bands:
        exact = Fraction(str(bound))
        hit = undecided & (k * exact.denominator <= exact.numerator * capacity)
        place_cost[hit] = cost
        undecided &= ~hit
    return int(total + place_cost.sum())
