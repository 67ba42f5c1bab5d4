"""Why a plan gives a client a manager, or none: reason codes with parameters, computed once per class.

A reason is a plain dict ``{"code": str, "kind": "rule" | "cost" | "unassigned", "cost": int, "params": dict}``.
Codes are stable identifiers (``RULE_CODES``, ``COST_CODES``, ``UNASSIGNED_CODES``): the UI and the API show them
translated by code; ``MESSAGES`` holds plain English templates for logs, the CLI and translators, and ``describe``
renders one. Parameters carry ids (managers, groups) and code names (motivation, manager type), never display text.

Everything a reason depends on is the client's attribute class (VIP, motivation, group), its current manager, its
new manager and that manager's load after the plan, so a caller computes reasons per distinct combination and
attaches them to rows by key (``explain_plan``), not per client.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from rapport.assignment.engine.solver import class_keys
from rapport.assignment.engine.types import (
    LEVEL_CODES,
    MOTIVATION_CODES,
    NO_GROUP,
    NO_MANAGER,
    TYPE_CODES,
    Manager,
    Problem,
    Solution,
)

RULE_CODES = ("legal_entity", "manager_active_personal", "vip_qualified", "capacity")
COST_CODES = (
    "motivation_match",
    "motivation_mismatch",
    "group_served",
    "group_not_served",
    "vip_with_junior",
    "motivation_unknown",
    "continuity",
    "move",
    "current_manager_unavailable",
    "load",
)
UNASSIGNED_CODES = ("no_manager", "no_vip_qualified_manager", "no_capacity")

MESSAGES = {
    "legal_entity": "The client is a legal entity.",
    "manager_active_personal": "{manager} is active and works with personal clients.",
    "vip_qualified": "The client is a VIP and {manager} is VIP-qualified.",
    "capacity": "{manager} holds {load} of {capacity} clients after the plan.",
    "motivation_match": "The client's motivation ({motivation}) matches the manager type.",
    "motivation_mismatch": "The client's motivation ({motivation}) differs from the manager type ({manager_type}).",
    "motivation_unknown": "The client's motivation is not known yet.",
    "group_served": "{manager} serves group {group}.",
    "group_not_served": "{manager} does not serve group {group}.",
    "vip_with_junior": "A VIP client with a junior manager.",
    "continuity": "The client stays with {manager}.",
    "move": "The client moves from {from} to {to}.",
    "current_manager_unavailable": "{from} can no longer hold personal clients; the client goes to {to}.",
    "load": "{manager} is at {percent}% of capacity after the plan (load cost of the last place: {cost}).",
    "no_manager": "No active personal manager.",
    "no_vip_qualified_manager": "No active VIP-qualified personal manager.",
    "no_capacity": "No active {qualified}personal manager with free capacity{serving}.{elsewhere}",
}

_MOTIVATION_NAMES = {code: name for name, code in MOTIVATION_CODES.items()}
_TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}


def _reason(code: str, kind: str, cost: int = 0, /, **params) -> dict:
    return {"code": code, "kind": kind, "cost": int(cost), "params": params}


def _band_cost(load: int, capacity: int, problem: Problem) -> int:
    """The load cost of a manager's last place (``load`` of ``capacity``): what one client more or less changes."""
    return _band_cost_of(load, capacity, _exact_bands(problem.weights.load_bands))


def _exact_bands(bands) -> tuple[tuple[int, int, int], ...]:
    """The load bands as (numerator, denominator, cost) of their exact decimal bounds."""
    exact = []
    for bound, cost in bands:
        share = Fraction(str(bound))
        exact.append((share.numerator, share.denominator, cost))
    return tuple(exact)


def _band_cost_of(load: int, capacity: int, bands: tuple[tuple[int, int, int], ...]) -> int:
    if capacity <= 0 or load <= 0:
        return 0
    # load / capacity <= numerator / denominator, in integers (both denominators are positive)
    for num, den, cost in bands:
        if load * den <= num * capacity:
            return cost
    return bands[-1][2]


def manager_loads(problem: Problem, manager_ids: np.ndarray) -> dict[int, int]:
    """How many clients each of the problem's managers holds in ``manager_ids`` (a plan or the current state)."""
    known = np.array([m.id for m in problem.managers], dtype=np.int64)
    values, counts = np.unique(np.asarray(manager_ids, dtype=np.int64), return_counts=True)
    held = dict(zip(values.tolist(), counts.tolist(), strict=True))
    return {int(m): int(held.get(int(m), 0)) for m in known}


class Explainer:
    """Reasons for one problem and one plan; build it once, then ask per class (it holds the managers by id and
    their loads after the plan)."""

    def __init__(
        self,
        problem: Problem,
        manager_ids: np.ndarray | None = None,
        loads: Mapping[int, int] | None = None,
        managers: Mapping[int, Manager] | None = None,
    ):
        """``manager_ids``: the plan (aligned with the problem's clients), to know each manager's load after it;
        or give ``loads`` directly. ``managers``: the problem's managers by id, when the caller has them."""
        self.problem = problem
        self.weights = problem.weights
        self.managers = managers if managers is not None else {m.id: m for m in problem.managers}
        if loads is None:
            loads = manager_loads(problem, manager_ids) if manager_ids is not None else {}
        self.loads = dict(loads)
        self._bands = _exact_bands(self.weights.load_bands)
        self._unassigned: dict[tuple[bool, int], dict] = {}
        self._capacity_view = None

    def _group(self, group: int) -> dict:
        """``group``: the name (what messages show), ``group_id``: the id; both None for a client without one."""
        if group == NO_GROUP:
            return {"group": None, "group_id": None}
        return {"group": self.problem.group_names.get(int(group), str(group)), "group_id": int(group)}

    def assignment_reasons(
        self, *, is_vip: bool, motivation: int, group: int, manager_id: int, current_manager: int = NO_MANAGER
    ) -> list[dict]:
        """The rules a client with these attributes meets with manager ``manager_id``, then its cost terms (soft
        costs, continuity, the manager's load). The costs of the soft and continuity terms add up to what the
        plan pays for this client; ``load`` reports the manager's marginal load cost after the plan."""
        manager: Manager = self.managers[int(manager_id)]
        w = self.weights
        mid = manager.id
        reasons = [_reason("legal_entity", "rule"), _reason("manager_active_personal", "rule", manager=mid)]
        if is_vip:
            reasons.append(_reason("vip_qualified", "rule", manager=mid))
        load = self.loads.get(mid)
        reasons.append(_reason("capacity", "rule", manager=mid, load=load, capacity=manager.capacity))

        names = {"motivation": _MOTIVATION_NAMES.get(int(motivation), str(motivation))}
        names["manager_type"] = _TYPE_NAMES.get(manager.manager_type, str(manager.manager_type))
        if motivation == MOTIVATION_CODES["unknown"]:
            reasons.append(_reason("motivation_unknown", "cost", 0))
        else:
            if motivation == manager.manager_type:
                reasons.append(_reason("motivation_match", "cost", 0, **names))
            else:
                reasons.append(_reason("motivation_mismatch", "cost", w.motivation_mismatch, **names))
        if group != NO_GROUP:
            if group in manager.groups:
                reasons.append(_reason("group_served", "cost", 0, manager=mid, **self._group(group)))
            else:
                cost = w.group_not_served
                reasons.append(_reason("group_not_served", "cost", cost, manager=mid, **self._group(group)))
        if is_vip and manager.level == LEVEL_CODES["junior"]:
            reasons.append(_reason("vip_with_junior", "cost", w.vip_with_junior, manager=mid, level="junior"))

        current = self.managers.get(int(current_manager))
        if current_manager == mid:
            reasons.append(_reason("continuity", "cost", 0, manager=mid))
        elif current is not None and (current.vip_qualified or not is_vip):
            reasons.append(_reason("move", "cost", w.move, **{"from": int(current_manager), "to": mid}))
        elif current_manager != NO_MANAGER:
            reasons.append(
                _reason("current_manager_unavailable", "cost", 0, **{"from": int(current_manager), "to": mid})
            )

        if load is not None and manager.capacity > 0:
            percent = round(100 * load / manager.capacity)
            cost = _band_cost_of(load, manager.capacity, self._bands)
            params = {"manager": mid, "load": load, "capacity": manager.capacity, "percent": percent, "cost": cost}
            reasons.append(_reason("load", "cost", cost, **params))
        return reasons

    def unassigned_reason(self, *, is_vip: bool, group: int) -> dict:
        """Why a client with these attributes has no manager after the plan.

        ``no_manager``: there is no eligible manager at all; ``no_vip_qualified_manager``: the client is a VIP and
        no manager is VIP-qualified; ``no_capacity``: eligible managers exist and all are full after the plan.
        ``no_capacity`` also says how many eligible managers serve the group and how many free places managers
        serving the group have that the client may not take (non-qualified managers, for a VIP).

        It depends on the VIP flag and the group only, so it is computed once per pair (a copy is returned)."""
        key = (bool(is_vip), int(group))
        if key not in self._unassigned:
            self._unassigned[key] = self._unassigned_reason(is_vip=key[0], group=key[1])
        reason = self._unassigned[key]
        return {**reason, "params": dict(reason["params"])}

    def _capacities(self):
        """The managers as columns (VIP-qualified, free places after the plan) and each group's managers'
        positions, built once."""
        if self._capacity_view is None:
            managers = list(self.managers.values())
            qualified = np.array([m.vip_qualified for m in managers], dtype=bool)
            free = np.array([m.capacity - self.loads.get(m.id, 0) for m in managers], dtype=np.int64)
            by_group: dict[int, list[int]] = {}
            for position, manager in enumerate(managers):
                for g in manager.groups:
                    by_group.setdefault(g, []).append(position)
            groups = {g: np.array(positions, dtype=np.int64) for g, positions in by_group.items()}
            self._capacity_view = (qualified, free, groups)
        return self._capacity_view

    def _unassigned_reason(self, *, is_vip: bool, group: int) -> dict:
        group_params = self._group(group)
        if not self.managers:
            return _reason("no_manager", "unassigned", vip=bool(is_vip), **group_params)
        qualified, free, groups = self._capacities()
        eligible = qualified if is_vip else np.ones(qualified.shape[0], dtype=bool)
        if not eligible.any():
            return _reason("no_vip_qualified_manager", "unassigned", vip=True, **group_params)
        if (free[eligible] > 0).any():
            raise ValueError("An eligible manager has free capacity: this is not an optimal plan's unassigned client.")
        serving = groups.get(group, np.empty(0, dtype=np.int64)) if group != NO_GROUP else np.empty(0, dtype=np.int64)
        open_places = np.maximum(free, 0)
        return _reason(
            "no_capacity",
            "unassigned",
            vip=bool(is_vip),
            eligible_managers=int(eligible.sum()),
            group_managers=int(eligible[serving].sum()),
            group_free_places=int(open_places[serving].sum()),
            free_places=int(open_places.sum()),
            **group_params,
        )


# How a row relates to its current manager; with the class and the new manager this decides the reasons.
NO_CURRENT, STAYS, LEAVES_ELIGIBLE, LEAVES_UNAVAILABLE = 0, 1, 2, 3


def continuity_status(problem: Problem, current: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """Per client (aligned with ``problem.clients``): ``NO_CURRENT``, ``STAYS``, ``LEAVES_ELIGIBLE`` (a move or a
    drop that pays continuity) or ``LEAVES_UNAVAILABLE`` (the current manager is not eligible: gone, or not
    VIP-qualified for a VIP). With the class and the new manager it decides a row's reasons, so callers can key
    cached reasons by it instead of by the current manager."""
    return _status(
        Explainer(problem),
        np.asarray(current, dtype=np.int64),
        np.asarray(planned, dtype=np.int64),
        np.asarray(problem.clients.is_vip, dtype=bool),
    )


@dataclass(frozen=True)
class PlanExplanation:
    """Reasons attached to rows: ``reasons[keys[j]]`` explains client ``rows[j]`` (an index into the problem's
    clients) — a list of reasons for an assigned client, one ``unassigned`` reason dict for the others.

    Shared reasons do not name the manager a client leaves: in ``move`` and ``current_manager_unavailable`` the
    ``from`` parameter is ``None`` there (the row's own current manager); ``for_row`` fills it in.
    """

    rows: np.ndarray
    keys: np.ndarray
    reasons: list
    current: np.ndarray  # each row's current manager

    def for_row(self, j: int) -> list[dict] | dict:
        reasons = self.reasons[int(self.keys[j])]
        if isinstance(reasons, dict):
            return reasons
        current = int(self.current[j])
        return [
            {**r, "params": {**r["params"], "from": current}} if r["code"] in _LEAVING_CODES else r for r in reasons
        ]


_LEAVING_CODES = ("move", "current_manager_unavailable")


def explain_plan(problem: Problem, solution: Solution, rows: np.ndarray | None = None) -> PlanExplanation:
    """Reasons for the given rows of a plan (all rows when ``None``), computed once per distinct (class,
    continuity status, new manager): a few thousand for a million clients. Pass the rows a reviewer looks at (the
    diff); unchanged rows all read "continuity"."""
    clients = problem.clients
    rows = np.arange(len(clients)) if rows is None else np.asarray(rows, dtype=np.int64)
    current = np.asarray(clients.current_manager, dtype=np.int64)[rows]
    planned = np.asarray(solution.manager_ids, dtype=np.int64)[rows]
    explainer = Explainer(problem, solution.manager_ids)
    class_of, table = class_keys(clients)
    row_vip = np.asarray(clients.is_vip, dtype=bool)[rows]
    status = _status(explainer, current, planned, row_vip)
    new_values, new_code = np.unique(planned, return_inverse=True)
    combined = (class_of[rows] * 4 + status) * len(new_values) + new_code.reshape(-1)
    unique, first, keys = np.unique(combined, return_index=True, return_inverse=True)
    reasons: list = []
    for code, row in zip(unique.tolist(), first.tolist(), strict=True):
        class_index, new = code // len(new_values) // 4, int(new_values[code % len(new_values)])
        is_vip, group = bool(table.is_vip[class_index]), int(table.group[class_index])
        if new == NO_MANAGER:
            reasons.append(explainer.unassigned_reason(is_vip=is_vip, group=group))
            continue
        shared = explainer.assignment_reasons(
            is_vip=is_vip,
            motivation=int(table.motivation[class_index]),
            group=group,
            manager_id=new,
            current_manager=int(current[row]),
        )
        for reason in shared:
            if reason["code"] in _LEAVING_CODES:
                reason["params"]["from"] = None
        reasons.append(shared)
    return PlanExplanation(
        rows=rows, keys=np.asarray(keys, dtype=np.int64).reshape(-1), reasons=reasons, current=current
    )


def _status(explainer: "Explainer", current: np.ndarray, planned: np.ndarray, is_vip: np.ndarray) -> np.ndarray:
    """``continuity_status`` for rows, with the managers the explainer holds."""
    values, inverse = np.unique(current, return_inverse=True)
    inverse = inverse.reshape(-1)
    managers = explainer.managers
    known = np.array([int(v) in managers for v in values.tolist()], dtype=bool)[inverse]
    qualified = np.array([int(v) in managers and managers[int(v)].vip_qualified for v in values.tolist()], dtype=bool)
    eligible = known & (~is_vip | qualified[inverse])
    status = np.where(eligible, LEAVES_ELIGIBLE, LEAVES_UNAVAILABLE)
    status[current == planned] = STAYS
    status[current == NO_MANAGER] = NO_CURRENT
    return status


def assignment_reasons(
    problem: Problem,
    *,
    is_vip: bool,
    motivation: int,
    group: int,
    manager_id: int,
    current_manager: int = NO_MANAGER,
    loads: Mapping[int, int] | None = None,
) -> list[dict]:
    """One-off ``Explainer(problem, loads=loads).assignment_reasons(...)``; build an ``Explainer`` for many."""
    return Explainer(problem, loads=loads or {}).assignment_reasons(
        is_vip=is_vip, motivation=motivation, group=group, manager_id=manager_id, current_manager=current_manager
    )


def unassigned_reason(problem: Problem, *, is_vip: bool, group: int, loads: Mapping[int, int]) -> dict:
    """One-off ``Explainer(problem, loads=loads).unassigned_reason(...)``; build an ``Explainer`` for many."""
    return Explainer(problem, loads=loads).unassigned_reason(is_vip=is_vip, group=group)


def change_reasons(
    *,
    problem: Problem,
    is_vip: bool,
    motivation: int,
    group: int,
    current_manager: int,
    new_manager: int,
    managers: Mapping[int, Manager] | None = None,
    loads: Mapping[int, int],
) -> list[dict]:
    """The reasons of one planned change: the assignment reasons when ``new_manager`` is set, otherwise a
    one-element list with the unassigned reason. ``loads``: every manager's load after the plan (by id);
    ``managers``: the problem's managers by id (saves rebuilding it per call)."""
    explainer = Explainer(problem, loads=loads, managers=managers)
    if new_manager == NO_MANAGER:
        return [explainer.unassigned_reason(is_vip=is_vip, group=group)]
    return explainer.assignment_reasons(
        is_vip=is_vip, motivation=motivation, group=group, manager_id=new_manager, current_manager=current_manager
    )


def describe(reason: dict, manager_names: Mapping[int, str] | None = None) -> str:
    """A reason in plain English (logs, the CLI, and the source text for translators)."""
    params = dict(reason["params"])
    names = manager_names or {}
    for key in ("manager", "from", "to"):
        if key in params:
            params[key] = names.get(params[key], f"manager {params[key]}")
    if reason["code"] == "no_capacity":
        params["qualified"] = "VIP-qualified " if params["vip"] else ""
        params["serving"] = f" serving group {params['group']}" if params.get("group") is not None else ""
        params["elsewhere"] = ""
        if params["vip"] and params.get("group") is not None and params["group_free_places"]:
            count = params["group_free_places"]
            params["elsewhere"] = f" Managers serving the group who are not VIP-qualified have {count} free places."
    return MESSAGES[reason["code"]].format(**params)
