"""The inputs snapshot: packed columns read back exactly, older snapshots with plain lists still read, and the
lines that name their clients in the snapshot list them from it."""

import datetime
from decimal import Decimal

import numpy as np
import pytest

from rapport.compensation.engine.calculate import calculate, evidence_of
from rapport.compensation.engine.types import Acquired, ClientDays, ManagerMonth
from rapport.compensation.snapshot import facts_from_json, facts_to_json, line_evidence, pack, rates_to_json, unpack
from rapport.compensation.tests.test_engine import rates

JUNE_2025 = datetime.date(2025, 6, 1)


def facts(**overrides) -> ManagerMonth:
    values = {
        "manager_id": 7,
        "month": JUNE_2025,
        "days_in_month": 30,
        "employed_days": 30,
        "level": "middle",
        "work_mode": "pool",
        "portfolio": (ClientDays(101, 30, 0), ClientDays(102, 10, 20), ClientDays(101, 0, 0)),
        "acquired": (Acquired(104, was_vip=False, acquired_on=datetime.date(2025, 6, 17)),),
        "served": (109, 101, 102, 101),
        "rating_total": 29,
        "rating_count": 6,
    }
    values.update(overrides)
    return ManagerMonth(**values)


@pytest.mark.parametrize(
    ("values", "packed"),
    [
        ([31, 31, 31], "u1:Hx8f"),  # days fit one byte each
        ([], "u1:"),
        ([1, 256], "i4:AQAAAAABAAA="),
        ([2**40], "i8:AAAAAAABAAA="),
        ([-1], "i4://///w=="),
    ],
)
def test_a_packed_column_reads_back_exactly(values, packed):
    # given integers / when packed and unpacked / then the smallest type that holds them, and the same integers
    assert pack(np.array(values, dtype=np.int64)) == packed
    assert unpack(packed).tolist() == values


def test_an_unknown_packing_is_refused():
    with pytest.raises(ValueError):
        unpack("f8:AAAA")


def test_a_snapshot_recomputes_to_the_same_statement():
    # given a month's facts as stored / when read back and calculated / then the same facts and the same statement
    month = facts()
    stored = facts_to_json(month)
    assert stored["portfolio"] == {"clients": "u1:ZWY=", "corporate_days": "u1:Hgo=", "vip_days": "u1:ABQ="}
    assert stored["served"] == "u1:ZWZt"
    again = facts_from_json(stored)
    assert again == month
    assert calculate(again, rates()) == calculate(month, rates())


def test_a_snapshot_with_plain_lists_still_reads():
    # given a snapshot written with plain JSON lists (as statements calculated before packed columns were)
    stored = {
        **facts_to_json(facts()),
        "portfolio": [[101, 30, 0], [102, 10, 20]],
        "served": [109, 101, 102],
    }
    # when read / then the same facts
    assert facts_from_json(stored) == facts()


class _Statement:
    def __init__(self, inputs):
        self.inputs = inputs


class _Line:
    def __init__(self, evidence, statement):
        self.evidence = evidence
        self.statement = statement


def test_a_line_lists_its_clients_from_the_snapshot():
    # given a statement's lines as the engine made them and the statement's snapshot
    month = facts()
    statement = _Statement({"facts": facts_to_json(month), "rates": rates_to_json(rates())})
    lines = {line.kind: line for line in calculate(month, rates()).lines}
    # when their evidence is read with the statement / then the clients with their days, and the clients served
    assert line_evidence(_Line(lines["allowance_corporate"].evidence, statement)) == {"clients": [[101, 30], [102, 10]]}
    assert line_evidence(_Line(lines["allowance_vip"].evidence, statement)) == {"clients": [[102, 20]]}
    assert line_evidence(_Line(lines["service"].evidence, statement)) == {"clients": [101, 102, 109]}
    # and evidence that lists its clients itself is shown as it is
    assert line_evidence(_Line(lines["acquisition"].evidence, statement)) == {"clients": [104]}
    assert lines["service"].amount == Decimal("9000")


def test_evidence_without_facts_stays_as_stored():
    assert evidence_of({"clients_from": "served"}, None) == {"clients_from": "served"}
