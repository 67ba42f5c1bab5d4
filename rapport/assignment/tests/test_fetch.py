"""The plan's read joins clients to their current managers with arrays: both ways of doing it give the same."""

import numpy as np
import pytest

from rapport.assignment.engine import NO_MANAGER
from rapport.assignment.fetch import _holders


@pytest.mark.parametrize(
    ("ids", "held", "expected"),
    [
        # dense ids, in any order: the look-up table
        ([7, 3, 5, 4], [(5, 70), (3, 30), (99, 1)], [NO_MANAGER, 30, 70, NO_MANAGER]),
        # ids far apart (above four times their count plus 1024): the sort
        ([9_000_000, 3, 5_000], [(5_000, 50), (9_000_000, 90), (4, 1)], [90, NO_MANAGER, 50]),
        # no current assignment at all
        ([2, 1], [], [NO_MANAGER, NO_MANAGER]),
    ],
)
def test_each_client_gets_its_current_manager_and_other_clients_pairs_are_left_out(ids, held, expected):
    # given clients and (client, manager) pairs, some of clients not read (individuals, soft-deleted)
    pairs = np.array(held, dtype=np.int64).reshape(-1, 2)
    # when the managers are looked up / then each client has its own, or none
    assert _holders(np.array(ids, dtype=np.int64), pairs).tolist() == expected


def test_no_clients_give_no_managers():
    assert _holders(np.zeros(0, dtype=np.int64), np.array([[1, 2]], dtype=np.int64)).tolist() == []
