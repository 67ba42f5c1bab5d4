"""The assignment engine, without a database: exact plans and costs on hand-made instances, then properties on
random ones checked against a brute force, an independent LP and the independent validator.
"""

import itertools
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment, linprog

from rapport.assignment.engine import (
    NO_GROUP,
    NO_MANAGER,
    Clients,
    Explainer,
    Manager,
    Problem,
    Solution,
    Weights,
    change_reasons,
    class_keys,
    continuity_status,
    describe,
    explain_plan,
    manager_loads,
    objective,
    solve,
    violations,
)
from rapport.assignment.engine.solver import band_places, lexicographic_unassigned
from rapport.assignment.engine.testing import make_preset_problem, make_random_problem, make_rerun_problem

UNKNOWN, ADVICE, DECISION, PARTNERSHIP = 0, 1, 2, 3
JUNIOR, MIDDLE, SENIOR = 0, 1, 2
DEPARTED = 99  # a current manager id that is not among the problem's managers


# ---------------------------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------------------------


def manager(id, *, type=ADVICE, level=MIDDLE, vip=False, capacity=10, groups=()):
    return Manager(
        id=id, manager_type=type, level=level, vip_qualified=vip, capacity=capacity, groups=frozenset(groups)
    )


def client(id, *, vip=False, motivation=UNKNOWN, group=NO_GROUP, current=NO_MANAGER):
    return (id, vip, motivation, group, current)


def problem_of(clients, managers, weights=None, group_names=None) -> Problem:
    rows = list(clients)
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    return Problem(
        clients=Clients(
            ids=np.array(columns[0], dtype=np.int64),
            is_vip=np.array(columns[1], dtype=bool),
            motivation=np.array(columns[2], dtype=np.int8),
            group=np.array(columns[3], dtype=np.int64),
            current_manager=np.array(columns[4], dtype=np.int64),
        ),
        managers=tuple(managers),
        weights=weights or Weights(),
        group_names=group_names or {},
    )


def plan_of(solution: Solution) -> dict[int, int]:
    return dict(zip(solution.client_ids.tolist(), solution.manager_ids.tolist(), strict=True))


def fed_back(problem: Problem, solution: Solution) -> Problem:
    """The state after applying ``solution``: the plan becomes the current assignments."""
    c = problem.clients
    clients = Clients(
        ids=c.ids, is_vip=c.is_vip, motivation=c.motivation, group=c.group, current_manager=solution.manager_ids
    )
    return Problem(clients=clients, managers=problem.managers, weights=problem.weights, group_names=problem.group_names)


def kept_state(problem: Problem) -> np.ndarray:
    """Every current assignment the hard rules still allow; the others unassigned."""
    managers = {m.id: m for m in problem.managers}
    return np.array(
        [
            cur if cur in managers and (managers[cur].vip_qualified or not vip) else NO_MANAGER
            for cur, vip in zip(problem.clients.current_manager.tolist(), problem.clients.is_vip.tolist(), strict=True)
        ],
        dtype=np.int64,
    )


# ---------------------------------------------------------------------------------------------------------------
# A third, plain-Python reading of the objective, for the brute force
# ---------------------------------------------------------------------------------------------------------------


def place_cost(k: int, capacity: int, weights: Weights) -> int:
    for bound, cost in weights.load_bands:
        if capacity and Fraction(k, capacity) <= Fraction(str(bound)):
            return cost
    return weights.load_bands[-1][1]


def definition_cost(problem: Problem, plan: list[int]) -> tuple[int, int]:
    """(total cost, clients kept with their eligible current manager) of ``plan``, straight from the issue text."""
    w = problem.weights
    managers = {m.id: m for m in problem.managers}
    c = problem.clients
    total, stays, loads = 0, 0, Counter()
    for i, chosen in enumerate(plan):
        vip, motivation, group, cur = (
            bool(c.is_vip[i]),
            int(c.motivation[i]),
            int(c.group[i]),
            int(c.current_manager[i]),
        )
        could_stay = cur in managers and (managers[cur].vip_qualified or not vip)
        if could_stay and chosen == cur:
            stays += 1
        elif could_stay:
            total += w.move
        if chosen == NO_MANAGER:
            total += w.unassigned
            continue
        m = managers[chosen]
        total += w.motivation_mismatch if motivation != UNKNOWN and motivation != m.manager_type else 0
        total += w.group_not_served if group != NO_GROUP and group not in m.groups else 0
        total += w.vip_with_junior if vip and m.level == JUNIOR else 0
        loads[chosen] += 1
    for m in problem.managers:
        total += sum(place_cost(k, m.capacity, w) for k in range(1, loads[m.id] + 1))
    return total, stays


def brute_force(problem: Problem) -> dict:
    """Every plan that keeps the hard rules: the most clients assigned, the least cost among those plans, the most
    stays among those, and the least cost of any plan."""
    c = problem.clients
    options = [
        [NO_MANAGER] + [m.id for m in problem.managers if m.vip_qualified or not c.is_vip[i]] for i in range(len(c))
    ]
    capacity = {m.id: m.capacity for m in problem.managers}
    best, cheapest = None, None
    for plan in itertools.product(*options):
        counts = Counter(plan)
        if any(counts[m] > cap for m, cap in capacity.items()):
            continue
        cost, stays = definition_cost(problem, list(plan))
        assigned = len(plan) - counts[NO_MANAGER]
        key = (-assigned, cost, -stays)
        best = key if best is None or key < best else best
        cheapest = cost if cheapest is None else min(cheapest, cost)
    return {"assigned": -best[0], "cost": best[1], "stays": -best[2], "cheapest": cheapest}


def stays_of(problem: Problem, solution: Solution) -> int:
    return definition_cost(problem, solution.manager_ids.tolist())[1]


def max_assignable(problem: Problem) -> int:
    """The most clients the hard rules allow, by a maximum matching of clients to capacity places."""
    places = [m for m in problem.managers for _ in range(m.capacity)]
    if not places or len(problem.clients) == 0:
        return 0
    forbidden = np.array([[bool(vip) and not m.vip_qualified for m in places] for vip in problem.clients.is_vip])
    rows, cols = linear_sum_assignment(forbidden.astype(int))
    return int((~forbidden[rows, cols]).sum())


def lp_optimum(problem: Problem) -> int:
    """The optimum of the client-level flow LP (an independent formulation, solved by HiGHS)."""
    w = problem.weights
    c = problem.clients
    managers = problem.managers
    n, m_count, bands = len(c), len(managers), len(w.load_bands)
    if n == 0:
        return 0
    pairs = [(i, j) for i in range(n) for j, m in enumerate(managers) if m.vip_qualified or not c.is_vip[i]]
    n_x, n_y = len(pairs), m_count * bands
    cost = np.zeros(n_x + n + n_y)
    constant = 0
    index_of = {m.id: j for j, m in enumerate(managers)}
    for k, (i, j) in enumerate(pairs):
        m = managers[j]
        motivation, group, vip = int(c.motivation[i]), int(c.group[i]), bool(c.is_vip[i])
        cost[k] = (
            w.motivation_mismatch * (motivation != UNKNOWN and motivation != m.manager_type)
            + w.group_not_served * (group != NO_GROUP and group not in m.groups)
            + w.vip_with_junior * (vip and m.level == JUNIOR)
        )
        if int(c.current_manager[i]) == m.id:
            cost[k] -= w.move  # continuity: every client that could stay pays move unless it stays
    for i in range(n):
        cur = index_of.get(int(c.current_manager[i]))
        if cur is not None and (managers[cur].vip_qualified or not c.is_vip[i]):
            constant += w.move
    cost[n_x : n_x + n] = w.unassigned
    places, band_cost = band_places(np.array([m.capacity for m in managers], dtype=np.int64), w)
    cost[n_x + n :] = np.tile(band_cost, m_count)
    equalities = np.zeros((n + m_count, n_x + n + n_y))
    for k, (i, j) in enumerate(pairs):
        equalities[i, k] = 1
        equalities[n + j, k] = 1
    for i in range(n):
        equalities[i, n_x + i] = 1
    for j in range(m_count):
        equalities[n + j, n_x + n + j * bands : n_x + n + (j + 1) * bands] = -1
    rhs = np.r_[np.ones(n), np.zeros(m_count)]
    upper = np.r_[np.ones(n_x + n), places.reshape(-1)] if m_count else np.ones(n_x + n)
    result = linprog(cost, A_eq=equalities, b_eq=rhs, bounds=list(zip(np.zeros(len(cost)), upper, strict=True)))
    assert result.status == 0
    return round(result.fun) + constant


# ---------------------------------------------------------------------------------------------------------------
# Each cost term on the smallest instance
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_attributes", "manager_attributes", "expected_cost"),
    [
        pytest.param({}, {}, 0, id="unknown motivation costs nothing"),
        pytest.param({"motivation": ADVICE}, {"type": ADVICE}, 0, id="motivation matches the type"),
        pytest.param({"motivation": ADVICE}, {"type": DECISION}, 40, id="motivation differs from the type"),
        pytest.param({"group": 7}, {"groups": {7}}, 0, id="group served"),
        pytest.param({"group": 7}, {"groups": {8}}, 20, id="group not served"),
        pytest.param({}, {"groups": {8}}, 0, id="a client without group is always served"),
        pytest.param({"vip": True}, {"vip": True, "level": JUNIOR}, 15, id="VIP with a junior"),
        pytest.param({"vip": True}, {"vip": True, "level": SENIOR}, 0, id="VIP with a senior"),
        pytest.param({}, {"level": JUNIOR}, 0, id="a junior with an ordinary client"),
        pytest.param(
            {"vip": True, "motivation": PARTNERSHIP, "group": 7},
            {"vip": True, "level": JUNIOR, "type": ADVICE, "groups": {8}},
            75,
            id="every soft term at once",
        ),
        pytest.param({"current": 1}, {}, 0, id="staying costs nothing"),
    ],
)
def test_one_client_one_manager_pays_exactly_its_soft_terms(client_attributes, manager_attributes, expected_cost):
    # given one client and one manager with room (load 1 of 10 costs nothing)
    problem = problem_of([client(100, **client_attributes)], [manager(1, **manager_attributes)])

    # when the engine plans
    solution = solve(problem)

    # then the client gets the manager and the plan costs exactly the soft terms
    assert plan_of(solution) == {100: 1}
    assert (solution.cost_after, solution.assigned, solution.unassigned) == (expected_cost, 1, 0)
    assert objective(problem, solution.manager_ids) == expected_cost


@pytest.mark.parametrize(
    ("client_attributes", "first", "second", "expected_manager", "expected_cost", "expected_moves"),
    [
        pytest.param({"motivation": ADVICE}, {"type": DECISION}, {"type": ADVICE}, 2, 0, 0, id="motivation decides"),
        pytest.param({"group": 7}, {"groups": {8}}, {"groups": {7}}, 2, 0, 0, id="group decides"),
        pytest.param(
            {"vip": True},
            {"vip": True, "level": JUNIOR},
            {"vip": True, "level": SENIOR},
            2,
            0,
            0,
            id="VIP avoids a junior",
        ),
        pytest.param(
            {"vip": True, "motivation": ADVICE},
            {"type": ADVICE},
            {"type": DECISION, "vip": True},
            2,
            40,
            0,
            id="a VIP goes only to the qualified, even at a cost",
        ),
        pytest.param(
            {"motivation": ADVICE, "current": 1},
            {"type": DECISION},
            {"type": ADVICE},
            1,
            40,
            0,
            id="continuity 50 outweighs a mismatch 40",
        ),
        pytest.param(
            {"motivation": ADVICE, "group": 7, "current": 1},
            {"type": DECISION},
            {"type": ADVICE, "groups": {7}},
            2,
            50,
            1,
            id="mismatch and group 60 outweigh continuity 50",
        ),
        pytest.param(
            {"motivation": ADVICE, "current": DEPARTED},
            {"type": DECISION},
            {"type": ADVICE},
            2,
            0,
            1,
            id="a current manager who is gone does not bind",
        ),
        pytest.param(
            {"vip": True, "current": 1}, {}, {"vip": True}, 2, 0, 1, id="an unqualified current manager does not bind"
        ),
    ],
)
def test_the_cheaper_of_two_managers(client_attributes, first, second, expected_manager, expected_cost, expected_moves):
    # given one client and two managers with room
    problem = problem_of([client(100, **client_attributes)], [manager(1, **first), manager(2, **second)])

    # when the engine plans
    solution = solve(problem)

    # then the client goes where it costs least, at exactly that cost
    assert plan_of(solution) == {100: expected_manager}
    assert (solution.cost_after, solution.moves) == (expected_cost, expected_moves)


@pytest.mark.parametrize(
    ("clients_count", "expected_cost"),
    [(1, 0), (5, 0), (6, 2), (7, 4), (8, 9), (9, 14), (10, 24)],
)
def test_load_cost_of_the_kth_client_follows_the_bands(clients_count, expected_cost):
    # given clients_count identical clients and one manager of capacity 10 (places 1-5: 0, 6-7: 2, 8-9: 5, 10: 10)
    problem = problem_of([client(i) for i in range(1, clients_count + 1)], [manager(1, capacity=10)])

    # when the engine plans
    solution = solve(problem)

    # then all are assigned and the load cost is the sum of the bands of places 1..clients_count
    assert (solution.assigned, solution.cost_after) == (clients_count, expected_cost)


@pytest.mark.parametrize(
    ("capacity", "expected_places"),
    [
        (0, [0, 0, 0, 0]),
        (1, [0, 0, 0, 1]),
        (2, [1, 0, 0, 1]),
        (3, [1, 1, 0, 1]),
        (4, [2, 1, 0, 1]),
        (10, [5, 2, 2, 1]),
        (20, [10, 5, 3, 2]),
    ],
)
def test_places_per_band_read_bounds_as_exact_decimals(capacity, expected_places):
    # when the places of a manager are split over the default bands (50 %, 75 %, 90 %, 100 %)
    places, costs = band_places(np.array([capacity]), Weights())

    # then each band holds exactly the places k with k / capacity up to its bound
    assert places.tolist() == [expected_places]
    assert costs.tolist() == [0, 2, 5, 10]


def test_identical_managers_share_the_load():
    # given 14 identical clients and two identical managers of capacity 10
    problem = problem_of([client(i) for i in range(1, 15)], [manager(1), manager(2)])

    # when the engine plans
    solution = solve(problem)

    # then each gets 7 (2 + 2 each for places 6 and 7), not 6 and 8 (2 + 2 + 2 + 5)
    assert sorted(Counter(solution.manager_ids.tolist()).values()) == [7, 7]
    assert solution.cost_after == 8


def test_clients_beyond_capacity_stay_unassigned_at_the_unassigned_cost():
    # given three identical clients and one manager of capacity 2
    problem = problem_of([client(1), client(2), client(3)], [manager(1, capacity=2)])

    # when the engine plans
    solution = solve(problem)

    # then the first two by id are assigned (place 2 of 2 costs 10) and the third pays 1000
    assert plan_of(solution) == {1: 1, 2: 1, 3: NO_MANAGER}
    assert (solution.assigned, solution.unassigned, solution.cost_after) == (2, 1, 1010)


def test_a_vip_without_any_qualified_manager_stays_unassigned():
    # given a VIP client and only an unqualified manager with room
    problem = problem_of([client(1, vip=True)], [manager(1)])

    # when the engine plans
    solution = solve(problem)

    # then the hard rule wins over the unassigned cost
    assert plan_of(solution) == {1: NO_MANAGER}
    assert (solution.cost_after, violations(problem, solution)) == (1000, [])


def test_an_ordinary_client_moves_to_free_a_qualified_place_for_a_vip():
    # given a full VIP-qualified manager holding an ordinary client, a VIP without manager, and room elsewhere
    problem = problem_of(
        [client(1, current=1), client(2, vip=True)], [manager(1, vip=True, capacity=1), manager(2, capacity=5)]
    )

    # when the engine plans
    solution = solve(problem)

    # then the ordinary client moves (50) and the VIP takes its place (place 1 of 1 costs 10)
    assert plan_of(solution) == {1: 2, 2: 1}
    assert (solution.cost_after, solution.moves, solution.assigned) == (60, 1, 2)


def test_assigning_everyone_possible_comes_first_even_with_a_small_unassigned_weight():
    # given the same instance, but leaving a client unassigned costs only 10 (less than a move)
    weights = Weights(unassigned=10)
    problem = problem_of(
        [client(1, current=1), client(2, vip=True)],
        [manager(1, vip=True, capacity=1), manager(2, capacity=1)],
        weights=weights,
    )

    # when the engine plans
    solution = solve(problem)

    # then both clients are still assigned; the cost is reported with the configured weights
    assert plan_of(solution) == {1: 2, 2: 1}
    assert (solution.assigned, solution.cost_after) == (2, 70)
    assert lexicographic_unassigned(weights) == 2 * 75 + 50 + 10 + 1
    assert lexicographic_unassigned(Weights()) == 1000


def test_cut_capacity_reports_the_current_state_at_the_top_band_and_drops_the_excess():
    # given a manager whose capacity was cut to 2 while holding four clients
    problem = problem_of([client(i, current=1) for i in range(1, 5)], [manager(1, capacity=2)])

    # when the engine plans
    solution = solve(problem)

    # then before: places 1 (0) and 2 (10), two above capacity at 10 each; after: the first two stay and
    # the others are dropped (1000 + continuity 50 each)
    assert solution.cost_before == 30
    assert plan_of(solution) == {1: 1, 2: 1, 3: NO_MANAGER, 4: NO_MANAGER}
    assert (solution.cost_after, solution.moves, solution.dropped) == (2110, 0, 2)
    assert solution.cost_before == objective(problem, kept_state(problem))


def test_no_clients_and_no_managers():
    # given nothing to plan / clients but no manager
    empty = solve(problem_of([], [manager(1)]))
    alone = solve(problem_of([client(1, current=DEPARTED)], []))

    # then the plans are empty / all unassigned
    assert (empty.assigned, empty.cost_after, empty.manager_ids.tolist()) == (0, 0, [])
    assert (alone.manager_ids.tolist(), alone.cost_after, alone.dropped) == ([NO_MANAGER], 1000, 1)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (Weights(move=-1), "non-negative"),
        (Weights(load_bands=((0.5, 5), (1.0, 2))), "never decrease"),
        (Weights(load_bands=((0.9, 0), (0.5, 2))), "increasing"),
        (Weights(load_bands=()), "at least one"),
    ],
)
def test_weights_the_model_cannot_honour_are_refused(weights, message):
    # when the weights are not convex or negative, then solve refuses them
    with pytest.raises(ValueError, match=message):
        solve(problem_of([client(1)], [manager(1)], weights=weights))


def test_duplicate_client_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        solve(problem_of([client(2), client(1), client(2)], [manager(1)]))


# ---------------------------------------------------------------------------------------------------------------
# Departure, stability, determinism
# ---------------------------------------------------------------------------------------------------------------


def departure_problem(capacity_of_second: int) -> Problem:
    """Manager 3 (serving groups 1 and 2) leaves; 1 serves group 1, 2 serves group 2; clients by group."""
    clients = [
        client(1, group=1, current=1),
        client(2, group=1, current=1),
        client(3, group=2, current=2),
        client(4, group=2, current=2),
        client(5, group=1, current=3),
        client(6, group=2, current=3),
    ]
    managers = [manager(1, groups={1}, capacity=3), manager(2, groups={2}, capacity=capacity_of_second)]
    return problem_of(clients, managers, group_names={1: "Retail", 2: "Industry"})


def test_a_departing_managers_clients_go_where_their_group_is_served_and_nobody_else_moves():
    # given manager 3 removed from the problem (departing); the others hold two clients each, capacity 3
    problem = departure_problem(capacity_of_second=3)

    # when the engine plans
    solution = solve(problem)

    # then 5 and 6 go to the manager serving their group (places 2/3: 2 and 3/3: 10 each), the rest stay
    assert plan_of(solution) == {1: 1, 2: 1, 3: 2, 4: 2, 5: 1, 6: 2}
    assert (solution.cost_after, solution.moves, solution.dropped, solution.unassigned) == (24, 2, 0, 0)
    assert solution.cost_before == 2 * (0 + 2) + 2 * 1000


def test_a_departure_without_enough_capacity_leaves_the_excess_unassigned_with_a_reason():
    # given the manager serving group 2 has no free place
    problem = departure_problem(capacity_of_second=2)

    # when the engine plans
    solution = solve(problem)

    # then 5 is placed, 6 cannot be (group 1's manager is full too) and nobody else moves
    assert plan_of(solution) == {1: 1, 2: 1, 3: 2, 4: 2, 5: 1, 6: NO_MANAGER}
    assert (solution.moves, solution.dropped) == (1, 1)
    explanation = explain_plan(problem, solution, rows=np.array([5]))
    assert explanation.for_row(0) == {
        "code": "no_capacity",
        "kind": "unassigned",
        "cost": 0,
        "params": {
            "vip": False,
            "eligible_managers": 2,
            "group_managers": 1,
            "group_free_places": 0,
            "free_places": 0,
            "group": "Industry",
            "group_id": 2,
        },
    }
    assert describe(explanation.for_row(0)) == "No active personal manager with free capacity serving group Industry."


def test_replanning_the_plans_own_state_moves_nobody():
    # given a plan for a random instance, applied
    problem = make_random_problem(np.random.default_rng(3), 3000, 30, capacity_ratio=1.02, shuffle_ids=True)
    first = solve(problem)
    applied = fed_back(problem, first)

    # when the engine plans again, twice
    second = solve(applied)
    third = solve(applied)

    # then nothing changes, and the cost is that of the applied state
    assert (second.moves, second.dropped) == (0, 0)
    assert np.array_equal(second.manager_ids, first.manager_ids)
    assert second.cost_after == second.cost_before == objective(applied, first.manager_ids)
    assert np.array_equal(third.manager_ids, second.manager_ids) and third.cost_after == second.cost_after


def test_the_same_problem_in_any_client_order_gives_the_same_plan():
    # given a random problem and the same problem with its clients in another order
    rng = np.random.default_rng(11)
    problem = make_random_problem(rng, 2000, 25, capacity_ratio=1.05, shuffle_ids=True)
    order = rng.permutation(len(problem.clients))
    c = problem.clients
    shuffled = Problem(
        clients=Clients(
            ids=c.ids[order],
            is_vip=c.is_vip[order],
            motivation=c.motivation[order],
            group=c.group[order],
            current_manager=c.current_manager[order],
        ),
        managers=problem.managers,
        weights=problem.weights,
    )

    # when both are solved (the first one twice)
    once, twice, other = solve(problem), solve(problem), solve(shuffled)

    # then every client gets the same manager each time
    assert np.array_equal(once.manager_ids, twice.manager_ids)
    assert plan_of(once) == plan_of(other)
    assert (once.cost_after, once.classes) == (other.cost_after, other.classes)


@pytest.mark.parametrize("preset", ["easy", "tight", "hard"])
def test_benchmark_instances_at_small_scale_are_valid_and_exact(preset):
    # given a small version of a benchmark instance, and the re-run scenario after its plan
    rng = np.random.default_rng(5)
    problem = make_preset_problem(rng, preset, 3000, 30)
    solution = solve(problem)
    rerun = make_rerun_problem(rng, problem, solution)

    # when the re-run is planned too
    second = solve(rerun)

    # then both plans keep every hard rule and report their costs exactly
    for p, s in ((problem, solution), (rerun, second)):
        assert violations(p, s) == []
        assert s.cost_after == objective(p, s.manager_ids)
        assert s.cost_before == objective(p, kept_state(p))
        assert s.assigned == min(len(p.clients), max_assignable_fast(p))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("preset", ["easy", "tight", "hard"])
def test_generated_instances_match_the_client_level_lp(preset, seed):
    # given a generated instance of 150 clients (many sharing a class) and 8 managers
    problem = make_preset_problem(np.random.default_rng(seed), preset, 150, 8, n_groups=3)

    # when the engine plans, then its cost is the optimum of the LP over single clients
    solution = solve(problem)
    assert violations(problem, solution) == []
    assert solution.cost_after == lp_optimum(problem) == objective(problem, solution.manager_ids)


def max_assignable_fast(problem: Problem) -> int:
    """With one hard rule tying clients to managers (VIP), the most clients assigned is in closed form."""
    vip = int(problem.clients.is_vip.sum())
    qualified = sum(m.capacity for m in problem.managers if m.vip_qualified)
    total = sum(m.capacity for m in problem.managers)
    return min(vip, qualified) + min(len(problem.clients) - vip, total - min(vip, qualified))


# ---------------------------------------------------------------------------------------------------------------
# Properties on random tiny instances
# ---------------------------------------------------------------------------------------------------------------


@st.composite
def weights_strategy(draw):
    costs = sorted(draw(st.lists(st.integers(0, 12), min_size=3, max_size=3)))
    return Weights(
        motivation_mismatch=draw(st.integers(0, 60)),
        group_not_served=draw(st.integers(0, 60)),
        vip_with_junior=draw(st.integers(0, 60)),
        move=draw(st.integers(0, 60)),
        load_bands=((0.5, costs[0]), (0.8, costs[1]), (1.0, costs[2])),
        unassigned=draw(st.integers(1, 1000)),
    )


@st.composite
def problems(draw, max_clients=6, max_managers=3, any_weights=False):
    n_managers = draw(st.integers(0, max_managers))
    managers = [
        manager(
            10 + j,
            type=draw(st.integers(1, 3)),
            level=draw(st.integers(0, 2)),
            vip=draw(st.booleans()),
            capacity=draw(st.integers(0, 3)),
            groups=draw(st.sets(st.sampled_from([1, 2]))),
        )
        for j in range(n_managers)
    ]
    n_clients = draw(st.integers(0, max_clients))
    ids = draw(st.permutations(list(range(1, n_clients + 1))))
    currents = [NO_MANAGER, DEPARTED] + [m.id for m in managers]
    clients = [
        client(
            i,
            vip=draw(st.booleans()),
            motivation=draw(st.integers(0, 3)),
            group=draw(st.sampled_from([NO_GROUP, 1, 2])),
            current=draw(st.sampled_from(currents)),
        )
        for i in ids
    ]
    weights = draw(weights_strategy()) if any_weights else Weights()
    return problem_of(clients, managers, weights=weights)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_plan_is_the_brute_force_optimum(problem):
    # when the engine plans a tiny instance
    solution = solve(problem)
    best = brute_force(problem)

    # then no hard rule is broken, as many clients as possible are assigned, the cost is the least possible (with
    # the default weights also the least of any plan), and among the cheapest plans it keeps the most clients
    assert violations(problem, solution) == []
    assert solution.assigned == best["assigned"] == max_assignable(problem)
    assert solution.cost_after == best["cost"] == best["cheapest"]
    assert (
        solution.cost_after
        == objective(problem, solution.manager_ids)
        == definition_cost(problem, solution.manager_ids.tolist())[0]
    )
    assert stays_of(problem, solution) == best["stays"]
    assert solution.cost_before == objective(problem, kept_state(problem))


@settings(max_examples=200, deadline=None)
@given(problems(any_weights=True))
def test_any_weights_give_the_lexicographic_optimum(problem):
    # when the engine plans with arbitrary (convex) weights, the unassigned one possibly small
    solution = solve(problem)
    best = brute_force(problem)

    # then it still assigns as many as possible first, then has the least cost among such plans
    assert violations(problem, solution) == []
    assert (solution.assigned, solution.cost_after) == (best["assigned"], best["cost"])
    assert stays_of(problem, solution) == best["stays"]
    assert solution.cost_after == objective(problem, solution.manager_ids)


@settings(max_examples=150, deadline=None)
@given(problems(max_clients=8, max_managers=4))
def test_larger_tiny_instances_assign_the_maximum_and_match_the_lp(problem):
    # when the engine plans up to 8 clients over 4 managers
    solution = solve(problem)

    # then the number assigned is a maximum matching and the cost is the LP optimum
    assert violations(problem, solution) == []
    assert solution.assigned == max_assignable(problem)
    assert solution.cost_after == lp_optimum(problem) == objective(problem, solution.manager_ids)


@settings(max_examples=150, deadline=None)
@given(problems(any_weights=True))
def test_replanning_is_stable_on_random_instances(problem):
    # given the state a plan produced
    first = solve(problem)
    applied = fed_back(problem, first)

    # when the engine plans again
    second = solve(applied)

    # then nobody moves or is dropped and the cost is the applied state's
    assert np.array_equal(second.manager_ids, first.manager_ids)
    assert (second.moves, second.dropped) == (0, 0)
    assert second.cost_after == second.cost_before


@settings(max_examples=100, deadline=None)
@given(problems(max_clients=8, max_managers=4), st.data())
def test_a_departing_manager_is_replaced_as_far_as_capacity_allows(problem, data):
    # given a stable plan, then one manager leaves
    if not problem.managers:
        return
    applied = fed_back(problem, solve(problem))
    leaving = data.draw(st.sampled_from([m.id for m in problem.managers]))
    rest = tuple(m for m in problem.managers if m.id != leaving)
    after = Problem(clients=applied.clients, managers=rest, weights=applied.weights)

    # when the engine plans without them
    solution = solve(after)

    # then the rules hold, the most clients possible are placed and no cheaper plan exists
    assert violations(after, solution) == []
    assert solution.assigned == max_assignable(after)
    assert solution.cost_after == lp_optimum(after)


# ---------------------------------------------------------------------------------------------------------------
# Explanations
# ---------------------------------------------------------------------------------------------------------------


def test_reasons_list_the_rules_met_and_every_cost_term():
    # given a VIP client (advice, group Retail) whose current manager is 2, planned to manager 1 at load 3 of 4
    problem = problem_of(
        [],
        [
            manager(1, type=DECISION, level=JUNIOR, vip=True, capacity=4, groups={7}),
            manager(2, vip=True),
        ],
        group_names={7: "Retail"},
    )

    # when the reasons are asked
    reasons = change_reasons(
        problem=problem,
        is_vip=True,
        motivation=ADVICE,
        group=7,
        current_manager=2,
        new_manager=1,
        loads={1: 3, 2: 0},
    )

    # then the rules, then the cost terms, with exact costs and parameters
    assert reasons == [
        {"code": "legal_entity", "kind": "rule", "cost": 0, "params": {}},
        {"code": "manager_active_personal", "kind": "rule", "cost": 0, "params": {"manager": 1}},
        {"code": "vip_qualified", "kind": "rule", "cost": 0, "params": {"manager": 1}},
        {"code": "capacity", "kind": "rule", "cost": 0, "params": {"manager": 1, "load": 3, "capacity": 4}},
        {
            "code": "motivation_mismatch",
            "kind": "cost",
            "cost": 40,
            "params": {"motivation": "advice", "manager_type": "decision"},
        },
        {"code": "group_served", "kind": "cost", "cost": 0, "params": {"manager": 1, "group": "Retail", "group_id": 7}},
        {"code": "vip_with_junior", "kind": "cost", "cost": 15, "params": {"manager": 1, "level": "junior"}},
        {"code": "move", "kind": "cost", "cost": 50, "params": {"from": 2, "to": 1}},
        {
            "code": "load",
            "kind": "cost",
            "cost": 2,
            "params": {"manager": 1, "load": 3, "capacity": 4, "percent": 75, "cost": 2},
        },
    ]
    assert [describe(r, {1: "Ann", 2: "Bob"}) for r in reasons[-2:]] == [
        "The client moves from Bob to Ann.",
        "Ann is at 75% of capacity after the plan (load cost of the last place: 2).",
    ]


@pytest.mark.parametrize(
    ("client_attributes", "current", "expected"),
    [
        pytest.param(
            {"motivation": ADVICE}, 1, [("motivation_match", 0), ("continuity", 0)], id="matching and staying"
        ),
        pytest.param(
            {"group": 8},
            DEPARTED,
            [("motivation_unknown", 0), ("group_not_served", 20), ("current_manager_unavailable", 0)],
            id="group not served, previous manager gone",
        ),
        pytest.param({}, NO_MANAGER, [("motivation_unknown", 0)], id="a first assignment"),
    ],
)
def test_cost_terms_per_case(client_attributes, current, expected):
    # given one manager of type advice serving group 7, holding 1 of 10 after the plan
    explainer = Explainer(problem_of([], [manager(1, groups={7})]), loads={1: 1})
    attributes = {"is_vip": False, "motivation": UNKNOWN, "group": NO_GROUP} | client_attributes

    # when the reasons are asked
    reasons = explainer.assignment_reasons(**attributes, manager_id=1, current_manager=current)

    # then the cost terms (the last one is always the manager's load) are exactly
    terms = [(r["code"], r["cost"]) for r in reasons if r["kind"] == "cost"]
    assert terms == [*expected, ("load", 0)]


@pytest.mark.parametrize(
    ("managers", "is_vip", "group", "loads", "code", "message"),
    [
        pytest.param([], False, 7, {}, "no_manager", "No active personal manager.", id="no manager at all"),
        pytest.param(
            [manager(1)],
            True,
            7,
            {1: 0},
            "no_vip_qualified_manager",
            "No active VIP-qualified personal manager.",
            id="no qualified",
        ),
        pytest.param(
            [manager(1, vip=True, capacity=2, groups={7}), manager(2, capacity=5, groups={7})],
            True,
            7,
            {1: 2, 2: 2},
            "no_capacity",
            "No active VIP-qualified personal manager with free capacity serving group Retail. "
            "Managers serving the group who are not VIP-qualified have 3 free places.",
            id="qualified managers full, others serving the group have room",
        ),
        pytest.param(
            [manager(1, capacity=1)],
            False,
            NO_GROUP,
            {1: 1},
            "no_capacity",
            "No active personal manager with free capacity.",
            id="everyone full, no group",
        ),
    ],
)
def test_why_a_client_is_left_without_manager(managers, is_vip, group, loads, code, message):
    # when the reason is asked for a client the plan could not place
    reason = Explainer(problem_of([], managers, group_names={7: "Retail"}), loads=loads).unassigned_reason(
        is_vip=is_vip, group=group
    )

    # then its code and its English rendering are exactly
    assert (reason["code"], describe(reason)) == (code, message)


def test_an_eligible_manager_with_room_is_no_reason_to_stay_unassigned():
    explainer = Explainer(problem_of([], [manager(1, capacity=2)]), loads={1: 1})
    with pytest.raises(ValueError, match="free capacity"):
        explainer.unassigned_reason(is_vip=False, group=NO_GROUP)


def test_explanations_add_up_to_the_plans_cost():
    # given a plan of a random instance
    problem = make_random_problem(np.random.default_rng(8), 600, 8, capacity_ratio=1.02)
    solution = solve(problem)

    # when every row is explained
    explanation = explain_plan(problem, solution)

    # then the soft and continuity terms of the assigned rows, the load of every manager, the unassigned cost and
    # the continuity of dropped clients add up to the plan's cost
    terms = 0
    for j in range(len(explanation.rows)):
        reasons = explanation.for_row(j)
        if isinstance(reasons, list):
            terms += sum(r["cost"] for r in reasons if r["kind"] == "cost" and r["code"] != "load")
    loads = manager_loads(problem, solution.manager_ids)
    load_total = sum(
        place_cost(k, m.capacity, problem.weights) for m in problem.managers for k in range(1, loads[m.id] + 1)
    )
    current_kept = kept_state(problem)
    dropped_eligible = int(((current_kept != NO_MANAGER) & (solution.manager_ids == NO_MANAGER)).sum())
    w = problem.weights
    assert terms + load_total + solution.unassigned * w.unassigned + dropped_eligible * w.move == solution.cost_after


def test_plan_reasons_are_shared_per_class_status_and_manager_and_name_each_rows_previous_manager():
    # given two identical clients whose managers serve them badly (60 > continuity 50), and one newcomer
    problem = problem_of(
        [client(i, motivation=DECISION, group=7, current=c) for i, c in ((1, 1), (2, 2), (3, NO_MANAGER))],
        [manager(1), manager(2), manager(3, type=DECISION, groups={7})],
    )
    solution = solve(problem)
    assert plan_of(solution) == {1: 3, 2: 3, 3: 3}

    # when the plan is explained
    explanation = explain_plan(problem, solution)

    # then the two moves share one set of reasons, and each row names its own previous manager
    assert explanation.keys[0] == explanation.keys[1] != explanation.keys[2]
    assert len(explanation.reasons) == 2
    moves = [[r["params"] for r in explanation.for_row(j) if r["code"] == "move"] for j in range(3)]
    assert moves == [[{"from": 1, "to": 3}], [{"from": 2, "to": 3}], []]
    assert continuity_status(problem, problem.clients.current_manager, solution.manager_ids).tolist() == [2, 2, 0]


def test_class_keys_group_clients_by_attributes():
    # given clients with repeated attributes
    problem = problem_of(
        [client(1, vip=True, motivation=ADVICE, group=7), client(2), client(3, vip=True, motivation=ADVICE, group=7)],
        [],
    )

    # when their classes are computed
    keys, table = class_keys(problem.clients)

    # then equal attributes share a key and the table describes each key
    assert keys[0] == keys[2] != keys[1]
    assert (bool(table.is_vip[keys[0]]), int(table.motivation[keys[0]]), int(table.group[keys[0]])) == (True, 1, 7)
    assert (bool(table.is_vip[keys[1]]), int(table.motivation[keys[1]]), int(table.group[keys[1]])) == (
        False,
        0,
        NO_GROUP,
    )


# ---------------------------------------------------------------------------------------------------------------
# The independent validator
# ---------------------------------------------------------------------------------------------------------------


def solution_of(problem: Problem, plan: list[int], **counts) -> Solution:
    manager_ids = np.array(plan, dtype=np.int64)
    assigned = int((manager_ids != NO_MANAGER).sum())
    fields = {"assigned": assigned, "unassigned": len(plan) - assigned, "moves": 0, "dropped": 0} | counts
    return Solution(
        client_ids=problem.clients.ids.copy(), manager_ids=manager_ids, cost_before=0, cost_after=0, classes=0, **fields
    )


VALIDATOR_PROBLEM = problem_of(
    [client(1, vip=True), client(2), client(3, current=1)], [manager(1, vip=True, capacity=1), manager(2, capacity=1)]
)


@pytest.mark.parametrize(
    ("plan", "counts", "expected"),
    [
        pytest.param([1, 2, NO_MANAGER], {"dropped": 1}, [], id="a valid plan"),
        pytest.param(
            [2, 1, NO_MANAGER],
            {"dropped": 1},
            ["VIP clients given a manager who is not VIP-qualified: 1"],
            id="VIP to an unqualified manager",
        ),
        pytest.param(
            [1, 2, 2],
            {"moves": 1},
            ["manager 2 gets 2 clients, capacity 1"],
            id="over capacity",
        ),
        pytest.param(
            [1, 7, NO_MANAGER],
            {"dropped": 1},
            ["clients given a manager that is not an eligible manager: 2"],
            id="unknown manager",
        ),
        pytest.param(
            [1, 2, NO_MANAGER],
            {"assigned": 3, "dropped": 0},
            ["assigned/unassigned reported as 3/1, counted 2/1", "moves/dropped reported as 0/0, counted 0/1"],
            id="misreported counts",
        ),
    ],
)
def test_the_validator_names_every_breach(plan, counts, expected):
    # when a plan is validated, then each breach is reported exactly
    assert violations(VALIDATOR_PROBLEM, solution_of(VALIDATOR_PROBLEM, plan, **counts)) == expected


def test_the_validator_checks_alignment_with_the_problem():
    # given a plan whose client ids are in another order
    solution = solution_of(VALIDATOR_PROBLEM, [1, 2, NO_MANAGER], dropped=1)
    misaligned = Solution(**{**solution.__dict__, "client_ids": solution.client_ids[::-1].copy()})

    # then the validator says so
    assert violations(VALIDATOR_PROBLEM, misaligned) == [
        "client_ids are not the problem's client ids in the problem's order"
    ]


def test_the_objective_counts_each_term_from_the_definitions():
    # given client 3 leaves its manager 1 for manager 2 while VIP 1 takes manager 1's only place
    plan = np.array([1, NO_MANAGER, 2])

    # when the objective is computed, then: place 1/1 of manager 1 (10) + client 2 unassigned (1000) +
    # client 3 moved (50) + place 1/1 of manager 2 (10)
    assert objective(VALIDATOR_PROBLEM, plan) == 1070
