"""Synthetic assignment problems for tests and benchmarks (pure numpy, no database).

``make_random_problem`` draws clients in about ``2 * 4 * (n_groups + 1)`` attribute classes (VIP, motivation,
group) and managers with a total capacity of ``capacity_ratio`` * the number of clients. Current assignments
respect the hard rules and capacities, like a database the services kept valid. ``PRESETS`` holds the benchmark
instances (easy, tight, hard) and ``make_rerun_problem`` the re-run scenario: the state after a plan, with some
clients replaced, some managers gone and some capacities cut.
"""

import numpy as np

from rapport.assignment.engine.types import NO_GROUP, NO_MANAGER, Clients, Manager, Problem, Solution, Weights

# The benchmark instances of the Assignment engine issue.
PRESETS = {
    "easy": {"capacity_ratio": 1.2},
    "tight": {"capacity_ratio": 1.02},
    "hard": {"capacity_ratio": 1.03, "vip_capacity_ratio": 1.01},
}


def _split_total(rng: np.random.Generator, total: int, shares: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to ``shares`` that add up to ``total`` exactly."""
    if len(shares) == 0:
        return np.zeros(0, dtype=np.int64)
    raw = shares / shares.sum() * total
    parts = np.floor(raw).astype(np.int64)
    rest = int(total - parts.sum())
    if rest:
        parts[rng.choice(len(parts), size=rest, replace=False)] += 1
    return parts


def make_random_problem(
    rng: np.random.Generator,
    n_clients: int,
    n_managers: int,
    *,
    capacity_ratio: float = 1.2,
    vip_share: float = 0.1,
    n_groups: int = 12,
    assigned_share: float = 0.8,
    vip_qualified_share: float = 0.3,
    vip_capacity_ratio: float | None = None,
    groups_per_manager: tuple[int, int] = (1, 3),
    weights: Weights | None = None,
    shuffle_ids: bool = False,
) -> Problem:
    """A random problem.

    ``capacity_ratio``: total capacity ÷ number of clients. ``vip_capacity_ratio``: when given, VIP-qualified
    managers are picked until their capacity reaches this multiple of the VIP demand (scarce qualification);
    otherwise a ``vip_qualified_share`` of managers is qualified. ``assigned_share``: the share of clients that
    currently have a manager, drawn among the free places of eligible managers (VIP clients first, on qualified
    managers). Group ids are 1..n_groups; about 10 % of clients have no group. Client ids are 1..n_clients,
    in random order when ``shuffle_ids``.
    """
    n_groups = max(n_groups, 1)
    # managers
    level = rng.choice(3, size=n_managers, p=[0.3, 0.4, 0.3])
    manager_type = rng.integers(1, 4, size=n_managers)
    capacity = _split_total(rng, round(capacity_ratio * n_clients), rng.uniform(0.5, 1.5, size=n_managers))
    n_vip = round(vip_share * n_clients)
    if vip_capacity_ratio is None:
        vip_qualified = rng.random(n_managers) < vip_qualified_share
    else:
        order = rng.permutation(n_managers)
        reached = np.cumsum(capacity[order]) >= vip_capacity_ratio * n_vip
        last = int(np.argmax(reached)) if reached.any() else n_managers - 1
        vip_qualified = np.zeros(n_managers, dtype=bool)
        vip_qualified[order[: last + 1]] = True
    low, high = groups_per_manager
    n_served = rng.integers(low, high + 1, size=n_managers)
    managers = tuple(
        Manager(
            id=1000 + index,
            manager_type=int(manager_type[index]),
            level=int(level[index]),
            vip_qualified=bool(vip_qualified[index]),
            capacity=int(capacity[index]),
            groups=frozenset(
                int(g) + 1 for g in rng.choice(n_groups, size=min(int(n_served[index]), n_groups), replace=False)
            ),
        )
        for index in range(n_managers)
    )

    # clients
    is_vip = np.zeros(n_clients, dtype=bool)
    is_vip[rng.choice(n_clients, size=n_vip, replace=False)] = True
    motivation = rng.choice(4, size=n_clients, p=[0.25, 0.25, 0.25, 0.25]).astype(np.int8)
    group = rng.integers(1, n_groups + 1, size=n_clients).astype(np.int64)
    group[rng.random(n_clients) < 0.1] = NO_GROUP
    ids = np.arange(1, n_clients + 1, dtype=np.int64)
    if shuffle_ids:
        ids = rng.permutation(ids)

    # current assignments: VIP clients take places of qualified managers first, then everyone else
    current = np.full(n_clients, NO_MANAGER, dtype=np.int64)
    manager_ids = np.array([m.id for m in managers], dtype=np.int64)
    chosen = rng.random(n_clients) < assigned_share
    places_vip = rng.permutation(np.repeat(np.flatnonzero(vip_qualified), capacity[vip_qualified]))
    vip_rows = np.flatnonzero(chosen & is_vip)[: len(places_vip)]
    current[vip_rows] = manager_ids[places_vip[: len(vip_rows)]]
    left = capacity.copy()
    np.subtract.at(left, places_vip[: len(vip_rows)], 1)
    places = rng.permutation(np.repeat(np.arange(n_managers), left))
    rows = np.flatnonzero(chosen & ~is_vip)[: len(places)]
    current[rows] = manager_ids[places[: len(rows)]]

    clients = Clients(ids=ids, is_vip=is_vip, motivation=motivation, group=group, current_manager=current)
    return Problem(
        clients=clients,
        managers=managers,
        weights=weights or Weights(),
        group_names={g: f"Group {g}" for g in range(1, n_groups + 1)},
    )


def make_preset_problem(rng: np.random.Generator, preset: str, n_clients: int, n_managers: int, **options) -> Problem:
    """One of the benchmark instances: ``preset`` is "easy", "tight" or "hard" (see ``PRESETS``)."""
    return make_random_problem(rng, n_clients, n_managers, **{**PRESETS[preset], **options})


def make_rerun_problem(
    rng: np.random.Generator,
    problem: Problem,
    solution: Solution,
    *,
    replace_share: float = 0.02,
    leave_share: float = 0.01,
    shrink_share: float = 0.05,
    shrink: float = 0.30,
) -> Problem:
    """The state after applying ``solution``, then: a ``replace_share`` of clients replaced by new clients without
    a manager (new ids, the same attribute mix), a ``leave_share`` of managers gone, and a ``shrink_share`` of
    managers with ``shrink`` less capacity (their current clients stay on them, possibly above capacity)."""
    old = problem.clients
    n = len(old)
    current = solution.manager_ids.copy()
    ids = old.ids.copy()
    replaced = rng.choice(n, size=round(replace_share * n), replace=False)
    ids[replaced] = int(old.ids.max(initial=0)) + 1 + np.arange(len(replaced))
    current[replaced] = NO_MANAGER
    donors = rng.choice(n, size=len(replaced))
    is_vip, motivation, group = old.is_vip.copy(), old.motivation.copy(), old.group.copy()
    is_vip[replaced] = old.is_vip[donors]
    motivation[replaced] = old.motivation[donors]
    group[replaced] = old.group[donors]
    clients = Clients(ids=ids, is_vip=is_vip, motivation=motivation, group=group, current_manager=current)

    count = len(problem.managers)
    leaving = set(rng.choice(count, size=round(leave_share * count), replace=False).tolist())
    shrinking = set(rng.choice(count, size=round(shrink_share * count), replace=False).tolist())
    managers = []
    for index, manager in enumerate(problem.managers):
        if index in leaving:
            continue
        if index in shrinking:
            manager = Manager(
                id=manager.id,
                manager_type=manager.manager_type,
                level=manager.level,
                vip_qualified=manager.vip_qualified,
                capacity=int(manager.capacity * (1 - shrink)),
                groups=manager.groups,
            )
        managers.append(manager)
    return Problem(clients=clients, managers=tuple(managers), weights=problem.weights, group_names=problem.group_names)
