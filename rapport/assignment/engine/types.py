"""Engine types. Clients come as columns (numpy arrays) so a million of them cost megabytes, not gigabytes."""

from dataclasses import dataclass, field

import numpy as np

NO_MANAGER = -1
NO_GROUP = -1

# Motivation and manager type as small integers; 0 is "unknown" for motivations.
MOTIVATION_CODES = {"unknown": 0, "advice": 1, "decision": 2, "partnership": 3}
TYPE_CODES = {"advice": 1, "decision": 2, "partnership": 3}
LEVEL_CODES = {"junior": 0, "middle": 1, "senior": 2}


@dataclass(frozen=True)
class Weights:
    """Soft costs of giving a client to a manager (whole numbers; the solver works in integers).

    ``load_bands``: the marginal cost of a manager's k-th client is the cost of the first band whose upper bound
    (a share of capacity) is ≥ k / capacity: 0 up to 50 %, 2 up to 75 %, 5 up to 90 %, 10 above.
    """

    motivation_mismatch: int = 40
    group_not_served: int = 20
    vip_with_junior: int = 15
    move: int = 50
    load_bands: tuple[tuple[float, int], ...] = ((0.50, 0), (0.75, 2), (0.90, 5), (1.00, 10))
    unassigned: int = 1000


@dataclass(frozen=True)
class Manager:
    """An eligible personal manager: the caller passes only active managers in personal mode."""

    id: int
    manager_type: int  # TYPE_CODES
    level: int  # LEVEL_CODES
    vip_qualified: bool
    capacity: int
    groups: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Clients:
    """The clients that need a personal manager (active legal entities), as parallel arrays of equal length.

    ``current_manager`` is ``NO_MANAGER`` for a client without a current assignment; a current manager that is not
    among the problem's managers (dismissed, on leave, moved to the pool, departing) means the client must move.
    """

    ids: np.ndarray  # int64
    is_vip: np.ndarray  # bool
    motivation: np.ndarray  # int8, MOTIVATION_CODES
    group: np.ndarray  # int64, NO_GROUP when none
    current_manager: np.ndarray  # int64, NO_MANAGER when none

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class Problem:
    clients: Clients
    managers: tuple[Manager, ...]
    weights: Weights = field(default_factory=Weights)
    group_names: dict[int, str] = field(default_factory=dict)  # for explanations only


@dataclass(frozen=True)
class Solution:
    """The plan: for each client (same order as ``Problem.clients.ids``) the manager it gets, or NO_MANAGER.

    ``cost_before`` is the objective of keeping every current assignment that is still allowed (clients whose
    manager is not eligible count as unassigned); ``cost_after`` is the objective of the plan. Both use the same
    objective the solver minimises.
    """

    client_ids: np.ndarray  # int64
    manager_ids: np.ndarray  # int64, NO_MANAGER when left unassigned
    cost_before: int
    cost_after: int
    assigned: int
    unassigned: int
    moves: int  # clients whose current (eligible or not) manager differs from the new one, both set
    classes: int  # number of cost classes the clients were aggregated into
    dropped: int = 0  # clients that had a current (eligible or not) manager and are left without one
