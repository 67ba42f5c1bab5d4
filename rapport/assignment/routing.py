"""Pool routing (C2): a request from a client without a personal manager goes to a pool-mode manager.

The same hard rules as personal assignment apply — the manager is active and works with the pool, and a VIP
client needs a VIP-qualified manager — then the best fit wins: a manager whose type matches the client's known
motivation, then one who serves the client's group, then the one with the least open work. Features that own
work (cases, opportunities) register a counter with ``register_open_work``; the routing never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapport.clients.choices import Motivation
from rapport.clients.models import Client
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.models import ClientManager

OpenWorkCounter = Callable[[list[int]], dict[int, int]]
_counters: list[OpenWorkCounter] = []


def register_open_work(counter: OpenWorkCounter) -> None:
    """Add a counter of open work per manager id (e.g. open cases); counts of all counters are added up."""
    if counter not in _counters:
        _counters.append(counter)


def open_work(manager_ids: Iterable[int]) -> dict[int, int]:
    """Open work per manager, summed over the registered counters."""
    ids = list(manager_ids)
    totals = dict.fromkeys(ids, 0)
    for counter in _counters:
        for manager_id, count in counter(ids).items():
            totals[manager_id] = totals.get(manager_id, 0) + count
    return totals


@dataclass(frozen=True)
class Routing:
    """Where a request goes: the manager (or None when nobody may take it), and why."""

    manager: ClientManager | None
    reasons: tuple[str, ...]


def pool_route(*, client: Client, exclude: Iterable[int] = ()) -> Routing:
    """Choose the pool manager for a request of ``client`` (a client without a personal manager); managers in
    ``exclude`` (e.g. one who is leaving) are not considered."""
    candidates = (
        ClientManager.objects.filter(employment_status=EmploymentStatus.ACTIVE, work_mode=WorkMode.POOL)
        .exclude(pk__in=list(exclude))
        .select_related("user")
    )
    if client.is_vip:
        candidates = candidates.filter(vip_qualified=True)
    managers = list(candidates.prefetch_related("client_groups"))
    if not managers:
        code = "no_vip_qualified_pool_manager" if client.is_vip else "no_pool_manager"
        return Routing(manager=None, reasons=(code,))
    work = open_work(m.pk for m in managers)
    motivation_known = client.motivation != Motivation.UNKNOWN

    def rank(manager: ClientManager) -> tuple:
        matches = motivation_known and manager.manager_type == client.motivation
        serves = client.group_id is not None and any(g.pk == client.group_id for g in manager.client_groups.all())
        return (not matches, not serves, work[manager.pk], manager.pk)

    best = min(managers, key=rank)
    reasons = ["pool_manager_active"]
    if client.is_vip:
        reasons.append("vip_qualified")
    if motivation_known and best.manager_type == client.motivation:
        reasons.append("motivation_match")
    if client.group_id is not None and any(g.pk == client.group_id for g in best.client_groups.all()):
        reasons.append("group_served")
    reasons.append("least_open_work")
    return Routing(manager=best, reasons=tuple(reasons))
