"""The assignment engine: optimality against an independent LP, solve time and memory, and the plan end to end.

Scale: ``small`` 20,000 clients and 200 managers; ``full`` 1,000,000 clients and 10,000 managers (the issue's
size). Clients fall into about 100 attribute classes (VIP, motivation, group).

Quality (pure engine, no database), instances from ``engine.testing``: ``easy`` (capacity 1.2 x demand),
``tight`` (1.02 x), ``hard`` (1.03 x, scarce VIP-qualified managers), ``rerun`` (the tight instance's optimal plan
taken as the current state, then 2 % of clients replaced, 1 % of managers gone, 5 % of managers with 30 % less
capacity) and ``tight_replan`` (the tight plan re-planned unchanged).

- ``quality``: our objective (``validate.objective``, written from the definitions) / the optimum of an aggregated
  LP written here from the cost definitions alone and solved with scipy's HiGHS (interior point + crossover: the
  dual simplex takes many minutes on a million clients); also the unassigned count must
  equal the LP's and ``validate.violations`` must be empty. Target 1.001.
- ``churn`` (rerun, tight_replan): clients whose current manager is eligible and who do not stay with it (moved
  or dropped), ours / the least possible among optimal plans. For ``rerun`` the least is a second LP over the
  optimal face (see ``_reference``); for ``tight_replan`` it is 0: the plan being re-planned is itself optimal
  for its own state (continuity obeys the triangle inequality), with no churn. Target 1.0.
- ``solve_time`` (tight): median seconds of ``solve()`` / the 15 s budget, in a fresh process.
- ``peak_memory`` (tight): the peak resident size of that process while solving (VmHWM, reset just before the
  solve; the problem itself is in memory) / 2 GiB.

Speed (database), the same kind of data written with raw inserts (no history rows): ``full_plan`` from a state
where about 70 % of clients are assigned; ``rerun`` the state after applying that plan, then the replacements,
departures and cut capacities above. Ours is ``assignment_plan_create`` + ``assignment_plan_apply`` (read, solve,
explain and store the plan's changed rows, write the changed assignments with history). The floor is a raw
``values_list`` read of the same columns + the same ``solve()`` + raw ``executemany`` of the changed rows (UPDATE
ending moved assignments, INSERT new ones). A first run of each checks that both planned the same clients at the
same cost and changed the same number of rows. Then they run alternately, each inside a transaction that is
rolled back, so both start from the same data (on PostgreSQL a VACUUM, untimed, clears the rolled-back rows).

- ``time``: ours / floor, target 1.5.
- ``seconds`` (full scale): ours in seconds / the budget (15 s full plan, 3 s re-run).
- ``peak_memory`` (full_plan): the bench process's peak resident size during ours / 2 GiB.

When a speed case misses its target, a cProfile of ours (top 15 by cumulative time) goes to stderr.
"""

import cProfile
import datetime
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from scipy.optimize import linprog

from bench.harness import analyze, bulk_insert, case_result, today
from rapport.accounts.models import User
from rapport.accounts.roles import Role
from rapport.assignment import fetch
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.engine import MOTIVATION_CODES, NO_GROUP, NO_MANAGER, TYPE_CODES, Clients, Manager, Problem
from rapport.assignment.engine.solver import solve
from rapport.assignment.engine.testing import make_preset_problem, make_random_problem, make_rerun_problem
from rapport.assignment.engine.types import LEVEL_CODES
from rapport.assignment.engine.validate import objective, violations
from rapport.assignment.models import Assignment, AssignmentWeights
from rapport.assignment.plans import assignment_plan_apply, assignment_plan_create
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client, ClientGroup
from rapport.core.testing import make_user
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.models import ClientManager

BENCH = "assignment"
ROOT = Path(__file__).resolve().parent.parent
SIZES = {"small": (20_000, 200), "full": (1_000_000, 10_000)}
SEEDS = {"easy": 11, "tight": 12, "hard": 13, "rerun": 14, "database": 15, "database_rerun": 16}
QUALITY_TARGET = 1.001
CHURN_TARGET = 1.0
SOLVE_BUDGET = 15.0  # seconds, the whole full plan's budget; the engine alone must fit in it
MEMORY_BUDGET_MIB = 2048.0
SPEED_TARGET = 1.5
SECONDS_BUDGETS = {"full_plan": 15.0, "rerun": 3.0}
ROUNDS = {"small": 15, "full": 3}
SOLVE_REPEAT = 3
DB_ASSIGNED_SHARE = 0.7
DB_CAPACITY_RATIO = 1.02
CHUNK = 50_000  # rows per fetch in the floor's reads
INDIVIDUAL_SHARE = 0.05  # clients that are not in the problem (individuals), so the reads must filter


def _log(message: str) -> None:
    print(f"# {BENCH}: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# The reference: an aggregated LP written from the cost definitions (docs/assignment-engine.md), not the solver
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    objective: int
    unassigned: int
    eligible: int  # clients whose current manager is eligible (could stay)
    min_churn: int | None  # the fewest of those that do not stay, among optimal plans
    seconds: float


def _band_places(capacity: np.ndarray, weights) -> tuple[np.ndarray, np.ndarray]:
    """places[m, b]: how many of manager m's places k = 1..capacity cost band b, read literally from the
    definition (the first band whose bound is >= k / capacity), one capacity value at a time."""
    bands = weights.load_bands
    bounds = [Fraction(str(bound)) for bound, _ in bands]
    values, inverse = np.unique(capacity, return_inverse=True)
    per_value = np.zeros((len(values), len(bands)), dtype=np.int64)
    for row, cap in enumerate(values.tolist()):
        for k in range(1, cap + 1):
            band = next((b for b, bound in enumerate(bounds) if Fraction(k, cap) <= bound), len(bands) - 1)
            per_value[row, band] += 1
    return per_value[inverse.reshape(-1)], np.array([cost for _, cost in bands], dtype=np.int64)


def _reference(problem: Problem, *, churn: bool) -> Reference:
    """The optimum of the assignment LP, aggregated over attribute classes a = (VIP, motivation, group).

    Variables (all >= 0):
      x[a, m]   clients of class a given manager m other than by staying (every allowed pair: m VIP-qualified
                when a is VIP), cost base(a, m);
      s[a, m0]  clients of class a staying with their eligible current manager m0, at most their number, cost
                base(a, m0) - move: every client with an eligible current manager pays ``move`` up front (a
                constant) and gets it back by staying, so leaving (moved or unassigned) costs ``move``;
      u[a]      clients of class a left unassigned, cost ``unassigned``;
      y[m, b]   manager m's places taken in load band b, at most the band's places, cost the band's cost.
    Rows: per class, sum_m x[a, m] + sum_m0 s[a, m0] + u[a] = clients of a; per manager, sum_a x[a, m] +
    sum_a s[a, m] = sum_b y[m, b] (so load <= capacity; the convex band costs fill the cheap places first).

    The constraint matrix is a network matrix, so the LP has an integral optimum and equals the integer optimum:
    any plan maps to a feasible point of the same cost, and any integral point to a plan of at most its cost.
    With ``churn``, a second LP minimises the eligible clients that do not stay over the optimal face: by
    complementary slackness, with the first LP's duals, the optimal plans are the feasible points whose variables
    with a positive (negative) reduced cost sit at their lower (upper) bound. That face of an integral polytope is
    integral, so its optimum is the least churn among optimal plans.
    """
    started = time.perf_counter()
    weights = problem.weights
    clients = problem.clients
    managers = problem.managers
    n_managers = len(managers)
    manager_ids = np.array([m.id for m in managers], dtype=np.int64)
    manager_type = np.array([m.manager_type for m in managers], dtype=np.int64)
    junior = np.array([m.level == LEVEL_CODES["junior"] for m in managers], dtype=bool)
    qualified = np.array([m.vip_qualified for m in managers], dtype=bool)
    capacity = np.array([m.capacity for m in managers], dtype=np.int64)

    is_vip = np.asarray(clients.is_vip, dtype=bool)
    motivation = np.asarray(clients.motivation, dtype=np.int64)
    group = np.asarray(clients.group, dtype=np.int64)
    current = np.asarray(clients.current_manager, dtype=np.int64)

    # the current manager's position among the problem's managers, -1 when it is none of them
    if n_managers == 0:
        raise ValueError("the reference needs at least one manager")
    by_id = np.argsort(manager_ids)
    found = np.minimum(np.searchsorted(manager_ids[by_id], current), n_managers - 1)
    current_pos = np.where(manager_ids[by_id][found] == current, by_id[found], -1)
    could_stay = current_pos >= 0
    could_stay[could_stay] &= ~is_vip[could_stay] | qualified[current_pos[could_stay]]
    eligible = int(could_stay.sum())

    # attribute classes
    keys = np.stack([is_vip.astype(np.int64), motivation, group], axis=1)
    table, class_of, class_size = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    class_of = class_of.reshape(-1)
    n_classes = len(table)
    a_vip, a_motivation, a_group = table[:, 0].astype(bool), table[:, 1], table[:, 2]
    group_values = np.unique(a_group[a_group != NO_GROUP])
    serves = np.zeros((len(group_values) + 1, n_managers), dtype=bool)  # last row: no group
    for index, manager in enumerate(managers):
        for g in manager.groups:
            row = np.searchsorted(group_values, g)
            if row < len(group_values) and group_values[row] == g:
                serves[row, index] = True
    a_group_row = np.where(a_group == NO_GROUP, len(group_values), np.searchsorted(group_values, a_group))
    base = (
        weights.motivation_mismatch * ((a_motivation[:, None] != 0) & (a_motivation[:, None] != manager_type[None, :]))
        + weights.group_not_served * ((a_group[:, None] != NO_GROUP) & ~serves[a_group_row])
        + weights.vip_with_junior * (a_vip[:, None] & junior[None, :])
    ).astype(np.int64)
    allowed = ~a_vip[:, None] | qualified[None, :]

    # stays: (class, eligible current manager) with their counts
    stay_key, stay_count = np.unique(class_of[could_stay] * n_managers + current_pos[could_stay], return_counts=True)
    stay_class, stay_manager = np.divmod(stay_key, n_managers)

    pair_class, pair_manager = np.nonzero(allowed)
    places, band_cost = _band_places(capacity, weights)
    n_bands = places.shape[1]
    nx, ns = len(pair_class), len(stay_key)
    ox, os_, ou, oy = 0, nx, nx + ns, nx + ns + n_classes
    n_vars = oy + n_managers * n_bands
    cost = np.concatenate(
        [
            base[pair_class, pair_manager],
            base[stay_class, stay_manager] - weights.move,
            np.full(n_classes, weights.unassigned),
            np.tile(band_cost, n_managers),
        ]
    ).astype(float)
    band_manager = np.repeat(np.arange(n_managers), n_bands)
    # each x and s column has a 1 in its class row and in its manager row; u in its class row; y -1 in its manager
    rows = np.concatenate(
        [
            pair_class,
            stay_class,
            np.arange(n_classes),
            n_classes + pair_manager,
            n_classes + stay_manager,
            n_classes + band_manager,
        ]
    )
    cols = np.concatenate(
        [
            ox + np.arange(nx),
            os_ + np.arange(ns),
            ou + np.arange(n_classes),
            ox + np.arange(nx),
            os_ + np.arange(ns),
            oy + np.arange(n_managers * n_bands),
        ]
    )
    vals = np.concatenate([np.ones(nx + ns + n_classes + nx + ns), -np.ones(n_managers * n_bands)])
    a_eq = sp.csc_matrix((vals, (rows, cols)), shape=(n_classes + n_managers, n_vars))
    b_eq = np.concatenate([class_size, np.zeros(n_managers)]).astype(float)
    upper = np.full(n_vars, np.inf)
    upper[os_:ou] = stay_count
    upper[oy:] = places.reshape(-1)
    lower = np.zeros(n_vars)

    first = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=np.stack([lower, upper], axis=1), method="highs-ipm")
    if first.status != 0:
        raise RuntimeError(f"reference LP failed: {first.message}")
    optimum = first.fun + weights.move * eligible
    if abs(optimum - round(optimum)) > 1e-3:
        raise RuntimeError(f"reference LP optimum {optimum} is not integral")
    unassigned = first.x[ou:oy].sum()

    min_churn = None
    if churn:
        reduced = cost - a_eq.T @ first.eqlin.marginals
        fixed_upper = np.where(reduced > 0.5, 0.0, upper)
        fixed_lower = np.where(reduced < -0.5, upper, lower)
        if not np.isfinite(fixed_lower).all():
            raise RuntimeError("reference LP: a variable without an upper bound has a negative reduced cost")
        stays_only = np.zeros(n_vars)
        stays_only[os_:ou] = -1.0
        second = linprog(
            stays_only,
            A_eq=a_eq,
            b_eq=b_eq,
            bounds=np.stack([fixed_lower, fixed_upper], axis=1),
            method="highs-ipm",
        )
        if second.status != 0:
            raise RuntimeError(f"reference churn LP failed: {second.message}")
        if abs(cost @ second.x - first.fun) > 0.5:
            raise RuntimeError("reference churn LP left the optimal face")
        min_churn = eligible - round(second.x[os_:ou].sum())
    return Reference(
        objective=round(optimum),
        unassigned=round(unassigned),
        eligible=eligible,
        min_churn=min_churn,
        seconds=round(time.perf_counter() - started, 2),
    )


def _churn(problem: Problem, plan: np.ndarray) -> int:
    """Clients whose current manager is eligible (among the managers, VIP rule met) and who do not stay."""
    qualified = {m.id: m.vip_qualified for m in problem.managers}
    current = np.asarray(problem.clients.current_manager, dtype=np.int64)
    values, inverse = np.unique(current, return_inverse=True)
    present = np.array([int(v) in qualified for v in values.tolist()], dtype=bool)[inverse.reshape(-1)]
    ok_vip = np.array([qualified.get(int(v), False) for v in values.tolist()], dtype=bool)[inverse.reshape(-1)]
    could_stay = present & (~np.asarray(problem.clients.is_vip, dtype=bool) | ok_vip)
    return int((could_stay & (plan != current)).sum())


def _churn_ratio(ours: int, least: int) -> float:
    if least == 0:
        return 1.0 if ours == 0 else float(1 + ours)
    return round(ours / least, 6)


# ---------------------------------------------------------------------------------------------------------------
# Quality, solve time and memory (pure engine)
# ---------------------------------------------------------------------------------------------------------------


def _quality(case: str, problem: Problem, *, churn: bool) -> tuple[list[dict], object]:
    started = time.perf_counter()
    solution = solve(problem)
    solve_seconds = time.perf_counter() - started
    ours = objective(problem, solution.manager_ids)
    broken = violations(problem, solution)
    reference = _reference(problem, churn=churn)
    ratio = round(ours / reference.objective, 6) if reference.objective else (1.0 if ours == 0 else float("inf"))
    error = None
    if broken:
        error = "; ".join(broken[:3])
    elif solution.unassigned != reference.unassigned:
        error = f"unassigned {solution.unassigned}, reference {reference.unassigned}"
    elif ours != solution.cost_after:
        error = f"cost_after {solution.cost_after} differs from validate.objective {ours}"
    sizes = {"clients": len(problem.clients), "managers": len(problem.managers), "classes": solution.classes}
    results = [
        case_result(
            BENCH,
            case,
            metric="quality",
            target=QUALITY_TARGET,
            timing={"ratio": ratio},
            error=error,
            objective=ours,
            reference=reference.objective,
            unassigned=solution.unassigned,
            reference_unassigned=reference.unassigned,
            moves=solution.moves,
            dropped=solution.dropped,
            solve_s=round(solve_seconds, 3),
            reference_s=reference.seconds,
            **sizes,
        )
    ]
    if churn:
        ours_churn = _churn(problem, solution.manager_ids)
        results.append(
            case_result(
                BENCH,
                case,
                metric="churn",
                target=CHURN_TARGET,
                timing={"ratio": _churn_ratio(ours_churn, reference.min_churn)},
                churn=ours_churn,
                min_churn=reference.min_churn,
                eligible=reference.eligible,
                **sizes,
            )
        )
    _log(f"{case}: objective {ours} vs {reference.objective} in {reference.seconds} s (solve {solve_seconds:.2f} s)")
    return results, solution


def _replan(problem: Problem, plan: np.ndarray) -> list[dict]:
    """Re-plan the state a plan produced: the plan is optimal for it with no churn, so nobody may move."""
    c = problem.clients
    state = Problem(
        clients=Clients(ids=c.ids, is_vip=c.is_vip, motivation=c.motivation, group=c.group, current_manager=plan),
        managers=problem.managers,
        weights=problem.weights,
        group_names=problem.group_names,
    )
    again = solve(state)
    ours_churn = _churn(state, again.manager_ids)
    error = None if objective(state, again.manager_ids) <= objective(state, plan) else "re-plan costs more"
    return [
        case_result(
            BENCH,
            "tight_replan",
            metric="churn",
            target=CHURN_TARGET,
            timing={"ratio": _churn_ratio(ours_churn, 0)},
            error=error,
            churn=ours_churn,
            min_churn=0,
            moves=again.moves,
            clients=len(c),
            managers=len(problem.managers),
        )
    ]


_RESOURCE_SCRIPT = """
import json, statistics, sys, time
import numpy as np
sys.path.insert(0, {root!r})
from rapport.assignment.engine.solver import solve
from rapport.assignment.engine.testing import make_preset_problem

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return None

problem = make_preset_problem(np.random.default_rng({seed}), "tight", {n_clients}, {n_managers})
solve(problem).manager_ids.sum()  # warm up imports
reset = True
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    reset = False
before = status("VmRSS")
times = []
for _ in range({repeat}):
    started = time.perf_counter()
    solve(problem)
    times.append(time.perf_counter() - started)
print(json.dumps({{"seconds": statistics.median(times), "times": times, "peak_mib": status("VmHWM"),
                  "before_mib": before, "reset": reset}}))
"""


def _resources(scale: str) -> list[dict]:
    """Solve time and peak memory of the tight instance, in a fresh process (nothing else in its memory)."""
    n_clients, n_managers = SIZES[scale]
    script = _RESOURCE_SCRIPT.format(
        root=str(ROOT), seed=SEEDS["tight"], n_clients=n_clients, n_managers=n_managers, repeat=SOLVE_REPEAT
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=1800
    )
    if done.returncode != 0:
        error = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        return [
            case_result(BENCH, "tight", metric=metric, target=1.0, timing=None, error=error)
            for metric in ("solve_time", "peak_memory")
        ]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    sizes = {"clients": n_clients, "managers": n_managers}
    peak = measured["peak_mib"]
    return [
        case_result(
            BENCH,
            "tight",
            metric="solve_time",
            target=1.0,
            timing={"ratio": round(measured["seconds"] / SOLVE_BUDGET, 4)},
            seconds=round(measured["seconds"], 3),
            budget_s=SOLVE_BUDGET,
            times=[round(t, 3) for t in measured["times"]],
            **sizes,
        ),
        case_result(
            BENCH,
            "tight",
            metric="peak_memory",
            target=1.0,
            timing={"ratio": round(peak / MEMORY_BUDGET_MIB, 4)} if peak else None,
            peak_mib=round(peak, 1) if peak else None,
            before_solve_mib=round(measured["before_mib"], 1) if measured["before_mib"] else None,
            peak_reset=measured["reset"],
            budget_mib=MEMORY_BUDGET_MIB,
            **sizes,
        ),
    ]


def _engine_cases(scale: str) -> list[dict]:
    n_clients, n_managers = SIZES[scale]
    results = []
    problems = {}
    for preset in ("easy", "tight", "hard"):
        problems[preset] = make_preset_problem(np.random.default_rng(SEEDS[preset]), preset, n_clients, n_managers)
        found, solution = _quality(preset, problems[preset], churn=False)
        results += found
        if preset == "tight":
            tight_plan = solution
    rerun = make_rerun_problem(np.random.default_rng(SEEDS["rerun"]), problems["tight"], tight_plan)
    found, _ = _quality("rerun", rerun, churn=True)
    results += found
    results += _replan(problems["tight"], tight_plan.manager_ids)
    results += _resources(scale)
    return results


# ---------------------------------------------------------------------------------------------------------------
# The database: data, floor, ours
# ---------------------------------------------------------------------------------------------------------------


MOTIVATION_NAMES = {code: name for name, code in MOTIVATION_CODES.items()}
TYPE_NAMES = {code: name for name, code in TYPE_CODES.items()}
LEVEL_NAMES = {code: name for name, code in LEVEL_CODES.items()}


@dataclass
class Database:
    boss: User
    client_pks: np.ndarray  # the problem's clients, in problem order
    manager_pks: np.ndarray  # the problem's managers, in problem order
    group_pks: dict[int, int]  # problem group id -> ClientGroup pk


def _client_rows(start: int, is_vip, motivation, group, group_pks: dict[int, int]):
    vip_since = datetime.date(2023, 1, 1)
    for offset, (vip, mot, grp) in enumerate(zip(is_vip.tolist(), motivation.tolist(), group.tolist(), strict=True)):
        number = start + offset
        row = {
            "kind": ClientKind.LEGAL_ENTITY,
            "name": f"Bench client {number:07d} Kft.",
            "registration_number": f"01-10-{number:07d}",
            "status": ClientStatus.ACTIVE,
            "motivation": MOTIVATION_NAMES[mot],
            "group_id": None if grp == NO_GROUP else group_pks[grp],
            "country": "HU",
        }
        if vip:
            row.update(is_vip=True, vip_since=vip_since, vip_reason="Main source of profit")
        yield row


def _build(problem: Problem, rng: np.random.Generator) -> Database:
    """Write ``problem`` into the bench database with raw inserts: groups, managers (users, profiles, the groups
    they serve), the clients (plus individuals outside the problem) and the current assignments."""
    boss = make_user(Role.MANAGEMENT, username="bench-boss")
    group_ids = sorted(problem.group_names)
    ClientGroup.objects.bulk_create(ClientGroup(name=f"Bench group {g}", manager_types=[]) for g in group_ids)
    by_name = dict(ClientGroup.objects.filter(name__startswith="Bench group ").values_list("name", "pk"))
    group_pks = {g: by_name[f"Bench group {g}"] for g in group_ids}

    managers = problem.managers
    password = make_password(None)
    bulk_insert(
        User,
        (
            {"username": f"bench-manager-{i:06d}", "password": password, "first_name": "Manager", "last_name": f"{i}"}
            for i in range(len(managers))
        ),
    )
    user_pks = dict(User.objects.filter(username__startswith="bench-manager-").values_list("username", "pk"))
    users = [user_pks[f"bench-manager-{i:06d}"] for i in range(len(managers))]
    role = Group.objects.get(name=Role.CLIENT_MANAGER.value)
    bulk_insert(User.groups.through, ({"user_id": pk, "group_id": role.pk} for pk in users))
    hire = datetime.date(2020, 1, 1)
    bulk_insert(
        ClientManager,
        (
            {
                "user_id": users[i],
                "manager_type": TYPE_NAMES[m.manager_type],
                "level": LEVEL_NAMES[m.level],
                "work_mode": WorkMode.PERSONAL,
                "vip_qualified": m.vip_qualified,
                "capacity": m.capacity,
                "employment_status": EmploymentStatus.ACTIVE,
                "status_since": hire,
                "hire_date": hire,
                "years_of_experience": 5,
            }
            for i, m in enumerate(managers)
        ),
    )
    profile_of_user = dict(ClientManager.objects.values_list("user_id", "pk"))
    manager_pks = np.array([profile_of_user[pk] for pk in users], dtype=np.int64)
    bulk_insert(
        ClientManager.client_groups.through,
        (
            {"clientmanager_id": int(manager_pks[i]), "clientgroup_id": group_pks[g]}
            for i, m in enumerate(managers)
            for g in sorted(m.groups)
        ),
    )

    clients = problem.clients
    order = np.argsort(clients.ids, kind="stable")  # insert in id order: database keys follow the problem's ids
    bulk_insert(
        Client, _client_rows(0, clients.is_vip[order], clients.motivation[order], clients.group[order], group_pks)
    )
    n_individuals = round(INDIVIDUAL_SHARE * len(clients))
    bulk_insert(
        Client,
        (
            {
                "kind": ClientKind.INDIVIDUAL,
                "name": f"Bench person {i}",
                "status": ClientStatus.ACTIVE,
                "motivation": "unknown",
            }
            for i in range(n_individuals)
        ),
    )
    legal = np.array(
        Client.objects.filter(kind=ClientKind.LEGAL_ENTITY).order_by("pk").values_list("pk", flat=True), dtype=np.int64
    )
    client_pks = np.empty(len(clients), dtype=np.int64)
    client_pks[order] = legal

    manager_pk_of = dict(zip([m.id for m in managers], manager_pks.tolist(), strict=True))
    current = clients.current_manager
    has = np.flatnonzero(current != NO_MANAGER)
    began = today() - datetime.timedelta(days=400)
    offsets = rng.integers(0, 300, size=len(has)).tolist()
    bulk_insert(
        Assignment,
        (
            {
                "client_id": int(client_pks[i]),
                "manager_id": manager_pk_of[int(current[i])],
                "start_date": began + datetime.timedelta(days=offsets[j]),
                "reason": AssignmentReason.MANUAL,
                "actor_id": boss.pk,
            }
            for j, i in enumerate(has.tolist())
        ),
    )
    analyze()
    return Database(
        boss=User.objects.get(pk=boss.pk), client_pks=client_pks, manager_pks=manager_pks, group_pks=group_pks
    )


def _change_for_rerun(db: Database, rng: np.random.Generator) -> dict:
    """After a plan: 2 % of the clients replaced (former, their assignment ended; new ones without a manager),
    1 % of the managers dismissed (their clients still assigned to them) and 5 % with 30 % less capacity."""
    day = connection.ops.adapt_datefield_value(today())
    quote = connection.ops.quote_name
    clients = list(
        Client.objects.filter(kind=ClientKind.LEGAL_ENTITY, status=ClientStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "is_vip", "motivation", "group_id")
    )
    leaving = rng.choice(len(clients), size=round(0.02 * len(clients)), replace=False)
    donors = rng.choice(len(clients), size=len(leaving))
    left_pks = [clients[i][0] for i in leaving.tolist()]
    client_table, assignment_table = quote(Client._meta.db_table), quote(Assignment._meta.db_table)
    manager_table = quote(ClientManager._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {client_table} SET status = %s WHERE id = %s", [("former", pk) for pk in left_pks])
        cursor.executemany(
            f"UPDATE {assignment_table} SET end_date = %s, ended_by_id = %s, end_note = %s "
            "WHERE client_id = %s AND end_date IS NULL",
            [(day, db.boss.pk, "Client left.", pk) for pk in left_pks],
        )
    group_code = {pk: g for g, pk in db.group_pks.items()}
    donor_rows = [clients[i] for i in donors.tolist()]
    bulk_insert(
        Client,
        _client_rows(
            len(db.client_pks) + 1_000_000,
            np.array([r[1] for r in donor_rows], dtype=bool),
            np.array([MOTIVATION_CODES[r[2]] for r in donor_rows], dtype=np.int64),
            np.array([NO_GROUP if r[3] is None else group_code[r[3]] for r in donor_rows], dtype=np.int64),
            db.group_pks,
        ),
    )
    profiles = list(
        ClientManager.objects.filter(employment_status=EmploymentStatus.ACTIVE, work_mode=WorkMode.PERSONAL)
        .order_by("pk")
        .values_list("pk", "capacity")
    )
    gone = rng.choice(len(profiles), size=round(0.01 * len(profiles)), replace=False)
    cut = rng.choice(len(profiles), size=round(0.05 * len(profiles)), replace=False)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {manager_table} SET employment_status = %s, status_since = %s, dismissal_date = %s WHERE id = %s",
            [(EmploymentStatus.DISMISSED.value, day, day, profiles[i][0]) for i in gone.tolist()],
        )
        cursor.executemany(
            f"UPDATE {manager_table} SET capacity = %s WHERE id = %s",
            [(int(profiles[i][1] * 0.7), profiles[i][0]) for i in cut.tolist()],
        )
    analyze()
    return {"replaced": len(left_pks), "dismissed": len(gone), "cut": len(cut)}


def _floor_problem() -> Problem:
    """The problem read with plain ``values_list`` queries into numpy columns, in the fastest way measured
    (chunks of 50,000 rows, ``np.fromiter`` per column; mapping motivations in Python beats a CASE in SQL). The
    default managers leave soft-deleted clients and managers out (``deleted_at IS NULL``), as in the engine's reads."""
    rows = list(
        Client.objects.filter(kind=ClientKind.LEGAL_ENTITY, status=ClientStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "is_vip", "motivation", "group_id")
        .iterator(chunk_size=CHUNK)
    )
    n, codes = len(rows), MOTIVATION_CODES
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    is_vip = np.fromiter((r[1] for r in rows), dtype=bool, count=n)
    motivation = np.fromiter((codes[r[2]] for r in rows), dtype=np.int8, count=n)
    group = np.fromiter((NO_GROUP if r[3] is None else r[3] for r in rows), dtype=np.int64, count=n)
    del rows
    current = np.full(n, NO_MANAGER, dtype=np.int64)
    pairs = np.array(
        list(
            Assignment.objects.filter(end_date__isnull=True)
            .order_by()  # not the model's default ordering: any order will do
            .values_list("client_id", "manager_id")
            .iterator(chunk_size=CHUNK)
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    at = np.minimum(np.searchsorted(ids, pairs[:, 0]), max(n - 1, 0))
    hit = ids[at] == pairs[:, 0]
    current[at[hit]] = pairs[hit, 1]
    served: dict[int, set[int]] = {}
    for manager_id, group_id in ClientManager.client_groups.through.objects.values_list(
        "clientmanager_id", "clientgroup_id"
    ):
        served.setdefault(manager_id, set()).add(group_id)
    managers = tuple(
        Manager(
            id=pk,
            manager_type=TYPE_CODES[manager_type],
            level=LEVEL_CODES[level],
            vip_qualified=vip,
            capacity=capacity,
            groups=frozenset(served.get(pk, ())),
        )
        for pk, manager_type, level, vip, capacity in ClientManager.objects.filter(
            employment_status=EmploymentStatus.ACTIVE, work_mode=WorkMode.PERSONAL
        )
        .order_by("pk")
        .values_list("pk", "manager_type", "level", "vip_qualified", "capacity")
    )
    return Problem(
        clients=Clients(ids=ids, is_vip=is_vip, motivation=motivation, group=group, current_manager=current),
        managers=managers,
        weights=fetch.engine_weights(AssignmentWeights.current()),
    )


def _floor_write(problem: Problem, plan: np.ndarray, actor_id: int) -> int:
    """End the moved clients' assignments and insert the new ones, with raw ``executemany``."""
    ids = problem.clients.ids
    current = problem.clients.current_manager
    ending = ids[(current != NO_MANAGER) & (plan != current)].tolist()
    starting = np.flatnonzero((plan != NO_MANAGER) & (plan != current))
    day = connection.ops.adapt_datefield_value(today())
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Assignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET end_date = %s, ended_by_id = %s, end_note = %s "
            "WHERE client_id = %s AND end_date IS NULL",
            [(day, actor_id, "Plan.", pk) for pk in ending],
        )
        cursor.executemany(
            f"INSERT INTO {table} (client_id, manager_id, start_date, end_date, reason, actor_id, note, ended_by_id, "
            "end_note, created_at) VALUES (%s, %s, %s, NULL, %s, %s, %s, NULL, '', %s)",
            [
                (pk, manager, day, AssignmentReason.PLAN.value, actor_id, "Plan.", now)
                for pk, manager in zip(ids[starting].tolist(), plan[starting].tolist(), strict=True)
            ],
        )
    return len(ending) + len(starting)


def _restore() -> None:
    """After a rolled-back run: on PostgreSQL the rolled-back rows stay behind as dead tuples (in the tables and
    their unique indexes) until a vacuum, and would slow down every later run; SQLite leaves nothing behind."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def _alternate(floor, ours, *, rounds: int) -> dict:
    """``harness.compare`` for runs of seconds: one call per sample, floor and ours alternately, the data restored
    (untimed) after every call; the median ratio ours / floor. The callers warm both up first."""
    ratios, floor_times, our_times = [], [], []
    for index in range(rounds):
        times = {}
        for name, fn in (("ours", ours), ("floor", floor)) if index % 2 else (("floor", floor), ("ours", ours)):
            started = time.perf_counter()
            fn()
            times[name] = time.perf_counter() - started
            _restore()
        ratios.append(times["ours"] / times["floor"])
        floor_times.append(times["floor"])
        our_times.append(times["ours"])
    return {
        "ratio": round(statistics.median(ratios), 3),
        "floor_ms": round(statistics.median(floor_times) * 1000, 3),
        "ours_ms": round(statistics.median(our_times) * 1000, 3),
        "rounds": rounds,
        "repeat": 1,
        "ratios": [round(r, 3) for r in ratios],
    }


def _rolled_back(fn):
    def run():
        with transaction.atomic():
            result = fn()
            transaction.set_rollback(True)
        return result

    return run


def _peak_reset() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_mib() -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _profile(fn) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(15)
    return out.getvalue()


def _speed(case: str, db: Database, scale: str) -> list[dict]:
    boss = db.boss
    seen: dict = {}

    def floor_body():
        problem = _floor_problem()
        solution = solve(problem)
        written = _floor_write(problem, solution.manager_ids, boss.pk)
        seen["floor"] = (len(problem.clients), solution.cost_after, solution.assigned, written)

    def ours_body():
        plan = assignment_plan_create(actor=boss)
        plan = assignment_plan_apply(plan=plan, actor=boss)
        seen["ours"] = plan

    floor, ours = _rolled_back(floor_body), _rolled_back(ours_body)

    # One checked run of each: same problem, same plan, the same rows changed.
    reset = _peak_reset()

    def ours_checked():
        ours_body()
        seen["current"] = Assignment.objects.filter(end_date__isnull=True).count()

    started = time.perf_counter()
    _rolled_back(ours_checked)()
    first_ours = time.perf_counter() - started
    peak = _peak_mib() if reset else None
    _restore()
    floor()
    _restore()
    plan = seen["ours"]
    n_clients, cost_after, assigned, written = seen["floor"]
    changed = plan.new_count + 2 * plan.move_count + plan.unassign_count  # rows written: ended + inserted
    error = None
    if plan.status != "applied":
        error = f"plan is {plan.status}"
    elif (plan.clients, plan.cost_after, plan.assigned_after) != (n_clients, cost_after, assigned):
        error = (
            f"ours planned {plan.clients} clients, cost {plan.cost_after}, {plan.assigned_after} assigned; "
            f"floor {n_clients}, {cost_after}, {assigned}"
        )
    elif changed != written:
        error = f"ours changed {changed} rows, floor {written}"
    elif seen["current"] != plan.assigned_after:
        error = f"{seen['current']} current assignments after apply, plan says {plan.assigned_after}"
    _log(f"{case}: first run of ours {first_ours:.2f} s; error: {error}")

    timing = _alternate(floor, ours, rounds=ROUNDS[scale])
    info = {
        "clients": plan.clients,
        "managers": plan.managers,
        "changed_rows": changed,
        "moves": plan.move_count,
        "new": plan.new_count,
        "unassigned": plan.unplaced_count + plan.unassign_count,
        "vendor": connection.vendor,
    }
    results = [case_result(BENCH, case, target=SPEED_TARGET, timing=timing, error=error, **info)]
    if scale == "full":
        seconds = timing["ours_ms"] / 1000
        budget = SECONDS_BUDGETS[case]
        results.append(
            case_result(
                BENCH,
                case,
                metric="seconds",
                target=1.0,
                timing={"ratio": round(seconds / budget, 4)},
                error=error,
                seconds=round(seconds, 3),
                budget_s=budget,
                **info,
            )
        )
    if case == "full_plan":
        results.append(
            case_result(
                BENCH,
                case,
                metric="peak_memory",
                target=1.0,
                timing={"ratio": round(peak / MEMORY_BUDGET_MIB, 4)} if peak else None,
                peak_mib=round(peak, 1) if peak else None,
                budget_mib=MEMORY_BUDGET_MIB,
                note="peak resident size of the bench process during one create + apply",
                **info,
            )
        )
    if not all(r["ok"] for r in results):
        _log(f"{case}: profile of ours (one run)\n{_profile(ours)}")
        _restore()
    return results


def _database_cases(scale: str) -> list[dict]:
    n_clients, n_managers = SIZES[scale]
    rng = np.random.default_rng(SEEDS["database"])
    problem = make_random_problem(
        rng, n_clients, n_managers, capacity_ratio=DB_CAPACITY_RATIO, assigned_share=DB_ASSIGNED_SHARE
    )
    started = time.perf_counter()
    db = _build(problem, rng)
    _log(f"built {n_clients:,} clients, {n_managers:,} managers in {time.perf_counter() - started:.1f} s")
    results = _speed("full_plan", db, scale)

    plan = assignment_plan_create(actor=db.boss)  # the state after the plan, for the re-run
    assignment_plan_apply(plan=plan, actor=db.boss)
    changes = _change_for_rerun(db, np.random.default_rng(SEEDS["database_rerun"]))
    _log(f"applied plan {plan.pk}, then {changes}")
    results += [r | changes for r in _speed("rerun", db, scale)]
    return results


def run(scale: str) -> list[dict]:
    """Every case; ``ASSIGNMENT_BENCH_CASES=database`` (or ``engine``) runs only that half."""
    only = os.environ.get("ASSIGNMENT_BENCH_CASES", "")
    results = []
    if only != "database":
        started = time.perf_counter()
        results += _engine_cases(scale)
        _log(f"engine cases in {time.perf_counter() - started:.1f} s")
    if only == "engine":
        return results
    started = time.perf_counter()
    results += _database_cases(scale)
    _log(f"database cases in {time.perf_counter() - started:.1f} s")
    return results
