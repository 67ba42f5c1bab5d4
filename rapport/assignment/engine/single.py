"""Placing one new client with the engine's costs (pure).

When a single client needs a personal manager now (a prospect just won), the other clients stay where they are, so
the optimum for that client alone is the eligible manager with free capacity whose cost for it is lowest: the soft
costs (motivation, group, VIP with a junior) plus the load cost of the manager's next place. Ties go to the manager
with the lower utilisation, then the lower id — the same choice every time.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from rapport.assignment.engine.types import LEVEL_CODES, MOTIVATION_CODES, NO_GROUP, Manager, Weights


@dataclass(frozen=True)
class Placement:
    """The chosen manager and the cost the client adds with them."""

    manager_id: int
    cost: int


def marginal_load_cost(load: int, capacity: int, weights: Weights) -> int:
    """The load cost of a manager's ``load + 1``-th client (the band that place falls in)."""
    share = Fraction(load + 1, capacity)
    bands = weights.load_bands
    return next((cost for bound, cost in bands if share <= Fraction(str(bound))), bands[-1][1])


def placement_cost(manager: Manager, load: int, *, is_vip: bool, motivation: int, group: int, weights: Weights) -> int:
    """What giving the client to ``manager`` (holding ``load`` clients) costs."""
    cost = marginal_load_cost(load, manager.capacity, weights)
    if motivation != MOTIVATION_CODES["unknown"] and motivation != manager.manager_type:
        cost += weights.motivation_mismatch
    if group != NO_GROUP and group not in manager.groups:
        cost += weights.group_not_served
    if is_vip and manager.level == LEVEL_CODES["junior"]:
        cost += weights.vip_with_junior
    return cost


def best_manager(
    managers: tuple[Manager, ...],
    loads: Mapping[int, int],
    *,
    is_vip: bool,
    motivation: int,
    group: int,
    weights: Weights,
) -> Placement | None:
    """The cheapest eligible manager with a free place for one client, or None when nobody may take it.

    ``managers`` are the active personal managers (as ``load_managers`` gives them); ``loads`` their current
    number of clients."""
    best: tuple | None = None
    for manager in managers:
        load = int(loads.get(manager.id, 0))
        if load >= manager.capacity or (is_vip and not manager.vip_qualified):
            continue
        cost = placement_cost(manager, load, is_vip=is_vip, motivation=motivation, group=group, weights=weights)
        key = (cost, Fraction(load, manager.capacity), manager.id)
        if best is None or key < best:
            best = key
    if best is None:
        return None
    return Placement(manager_id=best[2], cost=best[0])
