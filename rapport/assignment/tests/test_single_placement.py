"""Placing one won client with the engine's costs (``engine/single.py``), without a database: exact managers and
costs on hand-made tables.

Default weights: motivation mismatch 40, group not served 20, VIP with a junior 15; the next place of a manager
costs 0 up to 50 % of capacity, 2 up to 75 %, 5 up to 90 %, 10 above.
"""

import pytest

from rapport.assignment.engine.single import Placement, best_manager, marginal_load_cost, placement_cost
from rapport.assignment.engine.types import NO_GROUP, Manager, Weights

UNKNOWN, ADVICE, DECISION, PARTNERSHIP = 0, 1, 2, 3
JUNIOR, MIDDLE, SENIOR = 0, 1, 2
RETAIL, INDUSTRY = 7, 8
WEIGHTS = Weights()


def manager(id, *, type=ADVICE, level=MIDDLE, vip=False, capacity=10, groups=()):
    return Manager(
        id=id, manager_type=type, level=level, vip_qualified=vip, capacity=capacity, groups=frozenset(groups)
    )


# ---------------------------------------------------------------------------------------------------------------
# The load cost of the next place
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "capacity", "cost"),
    [
        (0, 10, 0),  # 1st of 10: 10 %
        (4, 10, 0),  # 5th of 10: 50 %, still the first band
        (5, 10, 2),  # 6th of 10: 60 %
        (6, 10, 2),  # 7th of 10: 70 %
        (7, 10, 5),  # 8th of 10: 80 %
        (8, 10, 5),  # 9th of 10: 90 %
        (9, 10, 10),  # 10th of 10: 100 %
        (1, 4, 0),  # 2nd of 4: 50 %
        (2, 4, 2),  # 3rd of 4: 75 %
        (3, 4, 10),  # 4th of 4: 100 %
        (0, 1, 10),  # the only place of a manager of capacity 1
        (0, 2, 0),
        (1, 2, 10),
    ],
)
def test_marginal_load_cost_is_the_band_of_the_next_place(load, capacity, cost):
    # given a manager holding ``load`` of ``capacity`` clients / when one more comes / then its band's cost
    assert marginal_load_cost(load, capacity, WEIGHTS) == cost


def test_marginal_load_cost_follows_the_weights():
    # given other band costs
    weights = Weights(load_bands=((0.5, 1), (0.75, 3), (0.9, 7), (1.0, 11)))
    # when / then every band gives its own cost
    assert [marginal_load_cost(load, 10, weights) for load in range(10)] == [1, 1, 1, 1, 1, 3, 3, 7, 7, 11]


# ---------------------------------------------------------------------------------------------------------------
# The cost of one client with one manager
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "load", "client", "cost"),
    [
        (manager(1), 0, {"is_vip": False, "motivation": UNKNOWN, "group": NO_GROUP}, 0),
        (manager(1), 0, {"is_vip": False, "motivation": ADVICE, "group": NO_GROUP}, 0),
        (manager(1), 0, {"is_vip": False, "motivation": DECISION, "group": NO_GROUP}, 40),
        (manager(1, groups=[RETAIL]), 0, {"is_vip": False, "motivation": UNKNOWN, "group": RETAIL}, 0),
        (manager(1, groups=[RETAIL]), 0, {"is_vip": False, "motivation": UNKNOWN, "group": INDUSTRY}, 20),
        (manager(1, level=JUNIOR, vip=True), 0, {"is_vip": True, "motivation": UNKNOWN, "group": NO_GROUP}, 15),
        (manager(1, level=JUNIOR), 0, {"is_vip": False, "motivation": UNKNOWN, "group": NO_GROUP}, 0),
        (manager(1, level=SENIOR, vip=True), 0, {"is_vip": True, "motivation": UNKNOWN, "group": NO_GROUP}, 0),
        # every soft cost at once, at the 90 % band: 40 + 20 + 15 + 5
        (manager(1, level=JUNIOR, vip=True), 8, {"is_vip": True, "motivation": PARTNERSHIP, "group": RETAIL}, 80),
    ],
)
def test_placement_cost_adds_the_soft_costs_to_the_load_cost(candidate, load, client, cost):
    assert placement_cost(candidate, load, weights=WEIGHTS, **client) == cost


# ---------------------------------------------------------------------------------------------------------------
# The cheapest eligible manager
# ---------------------------------------------------------------------------------------------------------------

PLAIN = {"is_vip": False, "motivation": UNKNOWN, "group": NO_GROUP}
VIP = {"is_vip": True, "motivation": UNKNOWN, "group": NO_GROUP}


@pytest.mark.parametrize(
    ("managers", "loads", "client", "expected"),
    [
        pytest.param((), {}, PLAIN, None, id="no managers"),
        pytest.param((manager(1),), {}, PLAIN, Placement(1, 0), id="missing load counts as empty"),
        # capacity
        pytest.param((manager(1), manager(2)), {1: 10, 2: 9}, PLAIN, Placement(2, 10), id="a full manager is skipped"),
        pytest.param((manager(1), manager(2)), {1: 10, 2: 12}, PLAIN, None, id="everyone full"),
        pytest.param((manager(1, capacity=0),), {}, PLAIN, None, id="capacity zero takes nobody"),
        # VIP needs a qualified manager
        pytest.param(
            (manager(1), manager(2, vip=True)), {1: 0, 2: 7}, VIP, Placement(2, 5), id="VIP skips the unqualified"
        ),
        pytest.param(
            (manager(1), manager(2, vip=True)), {1: 0, 2: 7}, PLAIN, Placement(1, 0), id="non-VIP takes anyone"
        ),
        pytest.param((manager(1), manager(2)), {}, VIP, None, id="VIP and nobody qualified"),
        pytest.param((manager(1), manager(2, vip=True)), {2: 10}, VIP, None, id="VIP and the qualified one is full"),
        # motivation mismatch 40
        pytest.param(
            (manager(1, type=DECISION), manager(2, type=ADVICE)),
            {},
            {"is_vip": False, "motivation": ADVICE, "group": NO_GROUP},
            Placement(2, 0),
            id="motivation matched",
        ),
        pytest.param(
            (manager(1, type=DECISION),),
            {},
            {"is_vip": False, "motivation": ADVICE, "group": NO_GROUP},
            Placement(1, 40),
            id="motivation mismatch is the only choice",
        ),
        pytest.param(
            (manager(1, type=DECISION), manager(2, type=ADVICE)),
            {1: 0, 2: 9},
            {"is_vip": False, "motivation": ADVICE, "group": NO_GROUP},
            Placement(2, 10),
            id="a full-ish match (10) beats an empty mismatch (40)",
        ),
        pytest.param(
            (manager(1, type=DECISION), manager(2, type=ADVICE)),
            {1: 0, 2: 5},
            PLAIN,
            Placement(1, 0),
            id="unknown motivation costs nothing, load decides",
        ),
        # group not served 20
        pytest.param(
            (manager(1), manager(2, groups=[RETAIL])),
            {},
            {"is_vip": False, "motivation": UNKNOWN, "group": RETAIL},
            Placement(2, 0),
            id="group served",
        ),
        pytest.param(
            (manager(1, groups=[INDUSTRY]),),
            {},
            {"is_vip": False, "motivation": UNKNOWN, "group": RETAIL},
            Placement(1, 20),
            id="group not served",
        ),
        pytest.param(
            (manager(1, type=DECISION, groups=[RETAIL]), manager(2, type=ADVICE)),
            {},
            {"is_vip": False, "motivation": ADVICE, "group": RETAIL},
            Placement(2, 20),
            id="a group miss (20) beats a motivation mismatch (40)",
        ),
        # VIP with a junior 15
        pytest.param(
            (manager(1, level=JUNIOR, vip=True), manager(2, level=SENIOR, vip=True)),
            {},
            VIP,
            Placement(2, 0),
            id="VIP prefers a senior",
        ),
        pytest.param(
            (manager(1, level=JUNIOR, vip=True), manager(2, level=SENIOR, vip=True)),
            {2: 9},
            VIP,
            Placement(2, 10),
            id="VIP with a nearly full senior (10) beats a junior (15)",
        ),
        pytest.param(
            (manager(1, level=JUNIOR, vip=True), manager(2, level=SENIOR, vip=True)),
            {1: 0, 2: 10},
            VIP,
            Placement(1, 15),
            id="VIP with the junior when the senior is full",
        ),
        pytest.param(
            (manager(1, level=JUNIOR), manager(2, level=SENIOR)),
            {1: 0, 2: 1},
            PLAIN,
            Placement(1, 0),
            id="a junior costs nothing for a non-VIP",
        ),
        # load bands 0 / 2 / 5 / 10 at the next place
        pytest.param((manager(1), manager(2)), {1: 5, 2: 4}, PLAIN, Placement(2, 0), id="band 0 beats band 2"),
        pytest.param((manager(1), manager(2)), {1: 7, 2: 6}, PLAIN, Placement(2, 2), id="band 2 beats band 5"),
        pytest.param((manager(1), manager(2)), {1: 9, 2: 8}, PLAIN, Placement(2, 5), id="band 5 beats band 10"),
        pytest.param(
            (manager(1, capacity=4), manager(2, capacity=20)),
            {1: 1, 2: 12},
            PLAIN,
            Placement(1, 0),
            id="bands are shares: 2 of 4 (0) beats 13 of 20 (2)",
        ),
        # ties: lower utilisation, then lower id
        pytest.param(
            (manager(1), manager(2)), {1: 2, 2: 1}, PLAIN, Placement(2, 0), id="tie goes to lower utilisation"
        ),
        pytest.param(
            (manager(1, capacity=4), manager(2, capacity=10)),
            {1: 1, 2: 2},
            PLAIN,
            Placement(2, 0),
            id="utilisation is a share: 2 of 10 beats 1 of 4",
        ),
        pytest.param(
            (manager(5), manager(3), manager(4)),
            {5: 1, 3: 1, 4: 1},
            PLAIN,
            Placement(3, 0),
            id="equal cost and utilisation go to the lower id",
        ),
        pytest.param(
            (manager(2, capacity=20), manager(1, capacity=10)),
            {2: 4, 1: 2},
            PLAIN,
            Placement(1, 0),
            id="equal shares (4/20 = 2/10) go to the lower id",
        ),
        pytest.param((manager(1), manager(2)), {1: 0, 2: 0}, PLAIN, Placement(1, 0), id="two empty managers: lower id"),
    ],
)
def test_best_manager(managers, loads, client, expected):
    # given the active personal managers and their loads / when one client with these attributes is placed
    chosen = best_manager(managers, loads, weights=WEIGHTS, **client)
    # then the cheapest eligible manager with a free place, and the cost the client adds
    assert chosen == expected


def test_best_manager_follows_the_weights():
    # given a mismatch that costs less than a crowded manager's next place
    weights = Weights(motivation_mismatch=1)
    managers = (manager(1, type=DECISION), manager(2, type=ADVICE))
    client = {"is_vip": False, "motivation": ADVICE, "group": NO_GROUP}
    # when the client is placed / then the mismatch (1) beats the 80 % band (5)
    assert best_manager(managers, {1: 0, 2: 7}, weights=weights, **client) == Placement(1, 1)
    # and with the default weights the match wins
    assert best_manager(managers, {1: 0, 2: 7}, weights=WEIGHTS, **client) == Placement(2, 5)


def test_best_manager_does_not_depend_on_the_order_of_managers():
    # given three equal managers in every order
    managers = [manager(4), manager(2), manager(9)]
    loads = {4: 3, 2: 3, 9: 3}
    results = {
        best_manager(tuple(order), loads, weights=WEIGHTS, **PLAIN)
        for order in (managers, managers[::-1], managers[1:] + managers[:1])
    }
    # then the same manager every time
    assert results == {Placement(2, 0)}
