"""The compensation engine, without a database: exact statements on hand-made months.

Every expected figure is worked out by hand in a comment beside it (never by calling the engine's helpers). The last
test builds the worked example of ``docs/compensation-rules.md`` and asserts every figure the document shows.
"""

import datetime
import pathlib
from decimal import Decimal

import pytest

import rapport.compensation.engine as engine_package
from rapport.compensation.choices import LineKind
from rapport.compensation.engine.calculate import calculate, evidence_of
from rapport.compensation.engine.types import (
    Acquired,
    ClientDays,
    Line,
    ManagerMonth,
    Rates,
    RatingTier,
    Statement,
)

D = Decimal
JUNE_2025 = datetime.date(2025, 6, 1)  # 30 days
JULY_2025 = datetime.date(2025, 7, 1)  # 31 days

TIERS = (
    RatingTier(threshold=D("4.2"), amount=D("20000")),
    RatingTier(threshold=D("4.4"), amount=D("40000")),
    RatingTier(threshold=D("4.7"), amount=D("80000")),
)


# ---------------------------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------------------------


def rates(**overrides) -> Rates:
    """A HUF plan: base 400 000 / 550 000 / 750 000; allowance 25 000 corporate, 40 000 VIP; acquisition 50 000,
    VIP 120 000; service 3 000; no tiers and no cap unless asked."""
    values = {
        "currency": "HUF",
        "base": {"junior": D("400000"), "middle": D("550000"), "senior": D("750000")},
        "allowance_corporate": D("25000"),
        "allowance_vip": D("40000"),
        "acquisition": D("50000"),
        "acquisition_vip": D("120000"),
        "service": D("3000"),
    }
    values.update(overrides)
    return Rates(**values)


def month(**overrides) -> ManagerMonth:
    """A middle-level personal manager employed all of June 2025 (30 days), with nothing else."""
    values = {
        "manager_id": 7,
        "month": JUNE_2025,
        "days_in_month": 30,
        "employed_days": 30,
        "level": "middle",
        "work_mode": "personal",
    }
    values.update(overrides)
    return ManagerMonth(**values)


def won(client_id: int, *, vip: bool = False, day: int = 10) -> Acquired:
    return Acquired(client_id=client_id, was_vip=vip, acquired_on=JUNE_2025.replace(day=day))


def line(statement: Statement, kind: str) -> Line | None:
    """The statement's line of ``kind`` (None when there is none; never two)."""
    found = [each for each in statement.lines if each.kind == kind]
    assert len(found) <= 1
    return found[0] if found else None


def amounts(statement: Statement) -> dict[str, Decimal]:
    return {each.kind: each.amount for each in statement.lines}


# ---------------------------------------------------------------------------------------------------------------
# Base: base[level] × days employed ÷ days in the month
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_day", "days_in_month", "employed_days", "level", "amount"),
    [
        # full months of every length: the whole base
        (datetime.date(2025, 2, 1), 28, 28, "middle", D("550000")),
        (datetime.date(2028, 2, 1), 29, 29, "middle", D("550000")),  # leap February
        (JUNE_2025, 30, 30, "middle", D("550000")),
        (JULY_2025, 31, 31, "middle", D("550000")),
        (JULY_2025, 31, 31, "senior", D("750000")),
        (JULY_2025, 31, 31, "junior", D("400000")),
        # hired on 16 July (days 16–31 = 16): 550 000 × 16 ÷ 31 = 283 870.967… → 283 871
        (JULY_2025, 31, 16, "middle", D("283871")),
        # dismissed on 11 June (exclusive: days 1–10): 550 000 × 10 ÷ 30 = 183 333.333… → 183 333
        (JUNE_2025, 30, 10, "middle", D("183333")),
        # hired on 15 February 2025 (days 15–28 = 14): 550 000 × 14 ÷ 28 = 275 000
        (datetime.date(2025, 2, 1), 28, 14, "middle", D("275000")),
        # the same 14 days in leap February 2028 (days 16–29): 550 000 × 14 ÷ 29 = 265 517.241… → 265 517
        (datetime.date(2028, 2, 1), 29, 14, "middle", D("265517")),
        # dismissed on 2 February 2028 (one day): 550 000 × 1 ÷ 29 = 18 965.517… → 18 966
        (datetime.date(2028, 2, 1), 29, 1, "middle", D("18966")),
        # one day of a 31-day month: 550 000 ÷ 31 = 17 741.935… → 17 742
        (JULY_2025, 31, 1, "middle", D("17742")),
        # not employed at all in the month (dismissed on the 1st): 0
        (JUNE_2025, 30, 0, "middle", D("0")),
    ],
)
def test_base_is_prorated_by_days_employed(first_day, days_in_month, employed_days, level, amount):
    # given a manager employed some days of a month / when calculated / then the prorated base, rounded once
    facts = month(month=first_day, days_in_month=days_in_month, employed_days=employed_days, level=level)
    base = line(calculate(facts, rates()), "base")
    assert base.amount == amount
    assert base.rate == rates().base[level]
    assert base.quantity == D(employed_days) / D(days_in_month)


def test_base_line_explains_level_and_days():
    # given 16 of 31 days at middle level / when calculated / then the code, params and evidence name them
    base = line(calculate(month(month=JULY_2025, days_in_month=31, employed_days=16), rates()), "base")
    assert base.explanation == {"code": "base", "params": {"level": "middle", "days": 16, "days_in_month": 31}}
    assert base.evidence == {"employed_days": 16, "days_in_month": 31, "level": "middle"}
    assert base.quantity == D("0.5161290322580645161290322581")  # 16 ÷ 31 to 28 significant digits


@pytest.mark.parametrize(
    ("base", "days_in_month", "employed_days", "amount"),
    [
        # 300 006 × 1 ÷ 28 = 10 714.5 exactly → half up → 10 715 (1 ÷ 28 first, then × 300 006, would give 10 714)
        (D("300006"), 28, 1, D("10715")),
        # 126 × 1 ÷ 28 = 4.5 exactly → 5
        (D("126"), 28, 1, D("5")),
        # 300 015 × 1 ÷ 30 = 10 000.5 exactly → 10 001
        (D("300015"), 30, 1, D("10001")),
        # 300 001 × 15 ÷ 30 = 150 000.5 exactly → 150 001
        (D("300001"), 30, 15, D("150001")),
    ],
)
def test_an_exact_half_of_a_prorated_base_rounds_up(base, days_in_month, employed_days, amount):
    # given a base whose prorated value is exactly x.5 forints / when calculated / then rounded up, not down
    facts = month(days_in_month=days_in_month, employed_days=employed_days)
    assert line(calculate(facts, rates(base={"middle": base})), "base").amount == amount


# ---------------------------------------------------------------------------------------------------------------
# Portfolio allowance: rate of the client's class on each day ÷ days in the month, summed per class
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_in_month", "portfolio", "corporate", "vip"),
    [
        # one corporate client all June: 25 000 × 30 ÷ 30
        (30, (ClientDays(1, 30, 0),), D("25000"), None),
        # one VIP client all June: 40 000 × 30 ÷ 30
        (30, (ClientDays(1, 0, 30),), None, D("40000")),
        # VIP from 11 July: corporate 1–10, VIP 11–31 (21 days):
        #   25 000 × 10 ÷ 31 = 8 064.516… → 8 065;  40 000 × 21 ÷ 31 = 27 096.774… → 27 097
        (31, (ClientDays(1, 10, 21),), D("8065"), D("27097")),
        # three clients, 10 days each, summed before rounding: 25 000 × 30 ÷ 30 = 25 000
        # (rounded one by one they would make 3 × 8 333 = 24 999)
        (30, (ClientDays(1, 10, 0), ClientDays(2, 10, 0), ClientDays(3, 10, 0)), D("25000"), None),
        # two clients, one of them VIP for the last 5 days of February 2025:
        #   corporate 28 + 23 = 51 days: 25 000 × 51 ÷ 28 = 45 535.714… → 45 536
        #   VIP 5 days: 40 000 × 5 ÷ 28 = 7 142.857… → 7 143
        (28, (ClientDays(1, 28, 0), ClientDays(2, 23, 5)), D("45536"), D("7143")),
        # assigned from 20 February 2028 (leap, days 20–29 = 10): 25 000 × 10 ÷ 29 = 8 620.689… → 8 621
        (29, (ClientDays(1, 10, 0),), D("8621"), None),
        # no clients: no allowance lines at all
        (30, (), None, None),
    ],
)
def test_allowance_by_client_days_and_class(days_in_month, portfolio, corporate, vip):
    # given a portfolio's client-days per class / when calculated / then one line per class held, rounded once
    statement = calculate(month(days_in_month=days_in_month, portfolio=portfolio), rates())
    corporate_line, vip_line = line(statement, "allowance_corporate"), line(statement, "allowance_vip")
    assert (corporate_line and corporate_line.amount, vip_line and vip_line.amount) == (corporate, vip)


def test_allowance_of_a_client_becoming_vip_explains_both_classes():
    # given a client corporate for 10 days and VIP for 21 days of July / when calculated / then two explained lines
    facts = month(month=JULY_2025, days_in_month=31, portfolio=(ClientDays(42, 10, 21),))
    statement = calculate(facts, rates())
    corporate, vip = line(statement, "allowance_corporate"), line(statement, "allowance_vip")
    assert (corporate.quantity, corporate.rate, corporate.amount) == (D(10) / D(31), D("25000"), D("8065"))
    assert corporate.explanation == {
        "code": "allowance_corporate",
        "params": {"clients": 1, "client_days": 10, "days_in_month": 31},
    }
    # the evidence names the facts' clients with their days of the class; listed, client 42 with 10 days
    assert corporate.evidence == {"clients_from": "portfolio.corporate_days"}
    assert evidence_of(corporate.evidence, facts) == {"clients": [[42, 10]]}
    assert (vip.quantity, vip.rate, vip.amount) == (D(21) / D(31), D("40000"), D("27097"))
    assert vip.explanation == {
        "code": "allowance_vip",
        "params": {"clients": 1, "client_days": 21, "days_in_month": 31},
    }
    assert vip.evidence == {"clients_from": "portfolio.vip_days"}
    assert evidence_of(vip.evidence, facts) == {"clients": [[42, 21]]}


def test_a_reassigned_client_pays_each_manager_their_days():
    # given client 5 held by manager 1 on 1–20 July and by manager 2 from 21 July (11 days)
    first = month(manager_id=1, month=JULY_2025, days_in_month=31, portfolio=(ClientDays(5, 20, 0),))
    second = month(manager_id=2, month=JULY_2025, days_in_month=31, portfolio=(ClientDays(5, 11, 0),))
    # when both months are calculated
    statements = [calculate(first, rates()), calculate(second, rates())]
    # then 25 000 × 20 ÷ 31 = 16 129.032… → 16 129 and 25 000 × 11 ÷ 31 = 8 870.967… → 8 871,
    # together the month's 25 000
    paid = [line(s, "allowance_corporate").amount for s in statements]
    assert paid == [D("16129"), D("8871")]
    assert sum(paid) == D("25000")
    assert [s.manager_id for s in statements] == [1, 2]


def test_a_client_held_in_two_intervals_counts_once():
    # given client 5 held 1–10 and 21–30 June (assigned away and back) and client 6 all month
    facts = month(portfolio=(ClientDays(5, 10, 0), ClientDays(6, 30, 0), ClientDays(5, 10, 0)))
    # when calculated
    corporate = line(calculate(facts, rates()), "allowance_corporate")
    # then 2 clients with 50 client-days: 25 000 × 50 ÷ 30 = 41 666.666… → 41 667; the evidence merges client 5's days
    assert corporate.amount == D("41667")
    assert corporate.explanation["params"] == {"clients": 2, "client_days": 50, "days_in_month": 30}
    assert evidence_of(corporate.evidence, facts) == {"clients": [[5, 20], [6, 30]]}


# ---------------------------------------------------------------------------------------------------------------
# Acquisition and service bonuses
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acquired", "plain", "vip"),
    [
        ((), None, None),
        # one plain client: 1 × 50 000
        ((won(3),), (D("1"), D("50000"), [3]), None),
        # two plain, listed in any order: 2 × 50 000 = 100 000, evidence sorted
        ((won(9), won(3)), (D("2"), D("100000"), [3, 9]), None),
        # one VIP: 1 × 120 000
        ((won(4, vip=True),), None, (D("1"), D("120000"), [4])),
        # two plain and one VIP: 100 000 and 120 000 on separate lines
        ((won(4, vip=True), won(3), won(8)), (D("2"), D("100000"), [3, 8]), (D("1"), D("120000"), [4])),
    ],
)
def test_acquisition_bonus_per_client_won(acquired, plain, vip):
    # given the clients won in the month / when calculated / then a line per class: count × rate, with the clients
    statement = calculate(month(acquired=acquired), rates())
    for kind, expected in (("acquisition", plain), ("acquisition_vip", vip)):
        found = line(statement, kind)
        if expected is None:
            assert found is None
            continue
        count, amount, clients = expected
        assert (found.quantity, found.amount) == (count, amount)
        assert found.explanation == {"code": kind, "params": {"count": len(clients)}}
        assert found.evidence == {"clients": clients}


@pytest.mark.parametrize(
    ("work_mode", "served", "expected"),
    [
        # pool, 4 distinct clients among 6 services: 4 × 3 000 = 12 000
        ("pool", (11, 12, 11, 13, 14, 12), (D("4"), D("12000"), [11, 12, 13, 14])),
        ("pool", (5,), (D("1"), D("3000"), [5])),
        ("pool", (), None),  # served nobody: no line
        ("personal", (11, 12, 13), None),  # personal managers earn no service bonus
    ],
)
def test_service_bonus_only_in_pool_mode(work_mode, served, expected):
    # given a work mode at month end and the clients served / when calculated / then the service line or none
    facts = month(work_mode=work_mode, served=served)
    found = line(calculate(facts, rates()), "service")
    if expected is None:
        assert found is None
        return
    count, amount, clients = expected
    assert (found.quantity, found.rate, found.amount) == (count, D("3000"), amount)
    assert found.explanation == {"code": "service", "params": {"count": len(clients)}}
    assert found.evidence == {"clients_from": "served"}
    assert evidence_of(found.evidence, facts) == {"clients": clients}


# ---------------------------------------------------------------------------------------------------------------
# Rating bonus: the highest tier the smoothed rating (C·m + Σ) ÷ (C + n) reaches, with at least the minimum count
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "amount", "threshold", "smoothed_shown", "smoothed"),
    [
        # (5 × 4.0 + 20) ÷ (5 + 5) = 4.0: below the lowest tier (4.2)
        (5, 20, None, None, None, None),
        # (20 + 22) ÷ 10 = 4.2: exactly at the 4.2 threshold → 20 000
        (5, 22, D("20000"), "4.2", "4.20", "4.2"),
        # (20 + 23) ÷ 10 = 4.3: the 4.2 tier only → 20 000
        (5, 23, D("20000"), "4.2", "4.30", "4.3"),
        # (20 + 24) ÷ 10 = 4.4: exactly at 4.4 → 40 000
        (5, 24, D("40000"), "4.4", "4.40", "4.4"),
        # (20 + 75) ÷ 20 = 4.75: reaches all three, the highest (4.7) is paid → 80 000
        (15, 75, D("80000"), "4.7", "4.75", "4.75"),
        # four ratings of 5: (20 + 20) ÷ 9 = 4.44… would reach 4.4, but 4 is below the minimum count 5
        (4, 20, None, None, None, None),
        # no ratings at all: no line
        (0, 0, None, None, None, None),
    ],
)
def test_rating_bonus_tiers(count, total, amount, threshold, smoothed_shown, smoothed):
    # given C = 5, m = 4.0, minimum 5 ratings, tiers 4.2 / 4.4 / 4.7 / when calculated / then the tier reached
    plan = rates(rating_tiers=TIERS, rating_min_count=5)
    found = line(calculate(month(rating_count=count, rating_total=total), plan), "rating")
    if amount is None:
        assert found is None
        return
    assert (found.quantity, found.rate, found.amount) == (D("1"), amount, amount)
    assert found.explanation == {
        "code": "rating",
        "params": {"smoothed": smoothed_shown, "count": count, "threshold": threshold},
    }
    assert found.evidence == {"count": count, "total": total, "smoothed": smoothed}


def test_no_ratings_pay_nothing_even_when_the_prior_would_reach_a_tier():
    # given no minimum count and a tier at 3.5, below the prior mean 4.0 / when a month without ratings is calculated
    plan = rates(rating_tiers=(RatingTier(D("3.5"), D("10000")),), rating_min_count=0)
    # then no rating line: the prior alone earns nothing
    assert line(calculate(month(rating_count=0, rating_total=0), plan), "rating") is None


def test_tiers_in_any_order_pay_the_highest_reached():
    # given the tiers listed highest first / when (20 + 75) ÷ 20 = 4.75 / then still the 4.7 tier's 80 000
    plan = rates(rating_tiers=tuple(reversed(TIERS)), rating_min_count=5)
    assert line(calculate(month(rating_count=15, rating_total=75), plan), "rating").amount == D("80000")


def test_no_tiers_no_rating_line():
    # given a plan without tiers / when a manager has many 5s / then no rating line
    assert line(calculate(month(rating_count=50, rating_total=250), rates()), "rating") is None


def test_smoothed_rating_is_shown_half_up_like_the_rating_pages():
    # given C = 5, m = 4.0 and three ratings adding up to 13: (20 + 13) ÷ 8 = 4.125 exactly
    plan = rates(rating_tiers=(RatingTier(D("4.1"), D("15000")),), rating_min_count=3)
    found = line(calculate(month(rating_count=3, rating_total=13), plan), "rating")
    # then the explanation shows 4.13 (half up, as everywhere ratings are shown) and the evidence keeps 4.125
    assert found.explanation["params"]["smoothed"] == "4.13"
    assert found.evidence["smoothed"] == "4.125"
    assert found.amount == D("15000")


def test_prior_weight_and_mean_come_from_the_rates():
    # given C = 2, m = 3.0, ratings 5 + 5: (2 × 3.0 + 10) ÷ 4 = 4.0 / when calculated / then tier 4.0 is reached
    plan = rates(
        rating_tiers=(RatingTier(D("4.0"), D("5000")),),
        rating_prior_weight=D(2),
        rating_prior_mean=D("3.0"),
    )
    found = line(calculate(month(rating_count=2, rating_total=10), plan), "rating")
    assert (found.amount, found.evidence["smoothed"]) == (D("5000"), "4.0")  # 16.0 ÷ 4 keeps one decimal


# ---------------------------------------------------------------------------------------------------------------
# Cap: bonuses above a percentage of the prorated base are cut by a negative line
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("acquired", "vip_rate", "earned", "cap_amount", "total"),
    [
        # base 550 000, cap 20 % = 110 000
        ((), D("120000"), None, None, D("550000")),  # no bonuses
        ((won(1),), D("120000"), "50000", None, D("600000")),  # 50 000: below the cap
        ((won(1), won(2)), D("120000"), "100000", None, D("650000")),  # 100 000: below the cap
        # 50 000 + 60 000 = 110 000: exactly at the cap, nothing cut
        ((won(1), won(2, vip=True)), D("60000"), "110000", None, D("660000")),
        # 50 000 + 60 001 = 110 001: one forint above, cut by 1
        ((won(1), won(2, vip=True)), D("60001"), "110001", D("-1"), D("660000")),
        # 50 000 + 120 000 = 170 000: cut by 60 000 to 110 000 → 550 000 + 110 000
        ((won(1), won(2, vip=True)), D("120000"), "170000", D("-60000"), D("660000")),
        # 3 × 50 000 + 120 000 = 270 000: cut by 160 000
        ((won(1), won(2), won(3), won(4, vip=True)), D("120000"), "270000", D("-160000"), D("660000")),
    ],
)
def test_cap_brings_bonuses_down_to_a_percentage_of_the_base(acquired, vip_rate, earned, cap_amount, total):
    # given a 20 % cap on a 550 000 base and some acquisitions / when calculated / then the cap line and the total
    statement = calculate(month(acquired=acquired), rates(bonus_cap_percent=D("20"), acquisition_vip=vip_rate))
    cap = line(statement, "cap")
    assert statement.total == total
    if cap_amount is None:
        assert cap is None
        return
    assert (cap.quantity, cap.rate, cap.amount) == (D("1"), cap_amount, cap_amount)
    assert cap.explanation == {"code": "cap", "params": {"percent": "20", "cap": "110000", "earned": earned}}
    assert cap.evidence == {"cap": "110000", "earned": earned}
    assert statement.lines[-1] == cap  # the cap comes last


def test_cap_is_a_percentage_of_the_prorated_base():
    # given 16 of 31 July days: base 550 000 × 16 ÷ 31 = 283 870.967… → 283 871; cap 30 % = 85 161.3 → 85 161
    facts = month(month=JULY_2025, days_in_month=31, employed_days=16, acquired=(won(2, vip=True),))
    statement = calculate(facts, rates(bonus_cap_percent=D("30")))
    # when a 120 000 VIP acquisition is earned / then cut by 120 000 - 85 161 = 34 839; total 283 871 + 85 161
    assert amounts(statement) == {"base": D("283871"), "acquisition_vip": D("120000"), "cap": D("-34839")}
    assert line(statement, "cap").explanation["params"] == {"percent": "30", "cap": "85161", "earned": "120000"}
    assert statement.total == D("369032")


def test_the_allowance_is_not_capped():
    # given a 10 % cap (55 000) and an allowance of 40 clients all month: 40 × 25 000 = 1 000 000
    portfolio = tuple(ClientDays(n, 30, 0) for n in range(1, 41))
    statement = calculate(month(portfolio=portfolio), rates(bonus_cap_percent=D("10")))
    # when calculated / then no cap line: only bonus lines count towards the cap
    assert amounts(statement) == {"base": D("550000"), "allowance_corporate": D("1000000")}


def test_a_zero_cap_takes_every_bonus_back():
    # given a 0 % cap / when 50 000 is earned / then a cap line of -50 000 and the base alone
    statement = calculate(month(acquired=(won(1),)), rates(bonus_cap_percent=D("0")))
    assert line(statement, "cap").amount == D("-50000")
    assert statement.total == D("550000")


def test_rating_and_service_bonuses_count_towards_the_cap():
    # given a pool manager, cap 10 % = 55 000: service 10 × 3 000 = 30 000, rating (20 + 25) ÷ 10 = 4.5 → 40 000
    facts = month(work_mode="pool", served=tuple(range(1, 11)), rating_count=5, rating_total=25)
    statement = calculate(facts, rates(bonus_cap_percent=D("10"), rating_tiers=TIERS))
    # when calculated / then 70 000 earned is cut by 15 000
    assert amounts(statement) == {"base": D("550000"), "service": D("30000"), "rating": D("40000"), "cap": D("-15000")}
    assert statement.total == D("605000")  # 550 000 + 55 000


# ---------------------------------------------------------------------------------------------------------------
# Rounding per currency
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "days_in_month", "employed_days", "client_days", "base", "allowance"),
    [
        # base 1 000, allowance 100 per client-month
        # 1 000 × 1 ÷ 30 = 33.333…;  100 × 1 ÷ 30 = 3.333…
        ("HUF", 30, 1, 1, D("33"), D("3")),
        ("EUR", 30, 1, 1, D("33.33"), D("3.33")),
        ("RUB", 30, 1, 1, D("33.33"), D("3.33")),
        # 1 000 × 2 ÷ 30 = 66.666…;  100 × 2 ÷ 30 = 6.666…
        ("HUF", 30, 2, 2, D("67"), D("7")),
        ("USD", 30, 2, 2, D("66.67"), D("6.67")),
        # 1 000 × 7 ÷ 28 = 250;  100 × 7 ÷ 28 = 25
        ("HUF", 28, 7, 7, D("250"), D("25")),
        ("EUR", 28, 7, 7, D("250.00"), D("25.00")),
        # 1 000 × 15 ÷ 31 = 483.870…;  100 × 15 ÷ 31 = 48.387…
        ("HUF", 31, 15, 15, D("484"), D("48")),
        ("EUR", 31, 15, 15, D("483.87"), D("48.39")),
    ],
)
def test_each_line_is_rounded_to_the_currency_unit(
    currency, days_in_month, employed_days, client_days, base, allowance
):
    # given the same figures in different currencies / when calculated / then each line rounded to that unit
    plan = rates(currency=currency, base={"middle": D("1000")}, allowance_corporate=D("100"))
    facts = month(days_in_month=days_in_month, employed_days=employed_days, portfolio=(ClientDays(1, client_days, 0),))
    statement = calculate(facts, plan)
    assert amounts(statement) == {"base": base, "allowance_corporate": allowance}
    assert [str(a) for a in amounts(statement).values()] == [str(base), str(allowance)]  # the unit's digits too
    assert statement.total == base + allowance
    assert statement.currency == currency


def test_exact_halves_round_up_in_cents():
    # given an EUR allowance of 12.46 a month and one client-day of February 2025: 12.46 × 1 ÷ 28 = 0.445 exactly
    plan = rates(currency="EUR", base={"middle": D("3000.00")}, allowance_corporate=D("12.46"))
    facts = month(days_in_month=28, employed_days=28, portfolio=(ClientDays(1, 1, 0),))
    # when calculated / then 0.45 (half up), not 0.44
    assert line(calculate(facts, plan), "allowance_corporate").amount == D("0.45")


def test_cap_in_cents():
    # given EUR base 3 000.00 for 16 of 31 days: 48 000 ÷ 31 = 1 548.387… → 1 548.39;
    # cap 12.5 %: 1 548.39 × 0.125 = 193.54875 → 193.55; one acquisition of 250.00 → cut 56.45
    plan = rates(currency="EUR", base={"middle": D("3000.00")}, acquisition=D("250.00"), bonus_cap_percent=D("12.5"))
    facts = month(month=JULY_2025, days_in_month=31, employed_days=16, acquired=(won(1),))
    statement = calculate(facts, plan)
    # when calculated / then every figure in cents; total 1 548.39 + 193.55 = 1 741.94
    assert amounts(statement) == {"base": D("1548.39"), "acquisition": D("250.00"), "cap": D("-56.45")}
    assert statement.total == D("1741.94")


def test_the_total_is_the_sum_of_the_rounded_lines():
    # given corporate 10 of 30 days and VIP 10 of 30 days at 1 000 each, HUF, base 1 000 all month:
    # 1 000 × 10 ÷ 30 = 333.333… → 333 twice; unrounded the total would be 1 666.67 → 1 667
    plan = rates(base={"middle": D("1000")}, allowance_corporate=D("1000"), allowance_vip=D("1000"))
    statement = calculate(month(portfolio=(ClientDays(1, 10, 0), ClientDays(2, 0, 10))), plan)
    # when calculated / then 1 000 + 333 + 333 = 1 666, never rounded again
    assert statement.total == D("1666")


# ---------------------------------------------------------------------------------------------------------------
# The statement as a whole
# ---------------------------------------------------------------------------------------------------------------


def test_lines_come_in_the_order_they_are_shown_and_are_line_kinds():
    # given a month with every kind of line / when calculated
    facts = month(
        work_mode="pool",
        portfolio=(ClientDays(1, 10, 20),),
        acquired=(won(2), won(3, vip=True)),
        served=(1, 4),
        rating_count=5,
        rating_total=25,
    )
    statement = calculate(facts, rates(rating_tiers=TIERS, bonus_cap_percent=D("10")))
    # then base, allowances, bonuses, cap — the order of LineKind
    kinds = [each.kind for each in statement.lines]
    assert kinds == [
        "base",
        "allowance_corporate",
        "allowance_vip",
        "acquisition",
        "acquisition_vip",
        "service",
        "rating",
        "cap",
    ]
    order = list(LineKind.values)
    assert kinds == sorted(kinds, key=order.index)
    assert (statement.manager_id, statement.month, statement.currency) == (7, JUNE_2025, "HUF")
    assert all(each.reference_month is None for each in statement.lines)


def test_floats_are_refused_at_the_door():
    # given a float anywhere in the rates or the facts / when built / then TypeError
    with pytest.raises(TypeError):
        rates(service=3000.0)
    with pytest.raises(TypeError):
        RatingTier(threshold=4.5, amount=D("1"))
    with pytest.raises(TypeError):
        month(rating_total=22.5)
    with pytest.raises(TypeError):
        month(portfolio=(ClientDays(1, 10.0, 0),))


def test_the_engine_imports_no_database():
    # given the engine's source files / then none of them imports django.db: it stays pure
    engine = pathlib.Path(engine_package.__file__).parent
    sources = sorted(engine.glob("*.py"))
    assert {path.name for path in sources} >= {"calculate.py", "types.py"}
    assert [path.name for path in sources if "django.db" in path.read_text()] == []


# ---------------------------------------------------------------------------------------------------------------
# The worked example of docs/compensation-rules.md — every figure the document shows
# ---------------------------------------------------------------------------------------------------------------

EXAMPLE_RATES = Rates(
    currency="HUF",
    base={"junior": D("400000"), "middle": D("550000"), "senior": D("750000")},
    allowance_corporate=D("25000"),
    allowance_vip=D("40000"),
    acquisition=D("50000"),
    acquisition_vip=D("120000"),
    service=D("3000"),
    rating_tiers=TIERS,
    rating_min_count=5,
    bonus_cap_percent=D("30"),
    rating_prior_weight=D(5),
    rating_prior_mean=D("4.0"),
)


def example_month(work_mode: str = "personal") -> ManagerMonth:
    return ManagerMonth(
        manager_id=7,
        month=JUNE_2025,
        days_in_month=30,
        employed_days=30,
        level="middle",
        work_mode=work_mode,
        portfolio=(
            ClientDays(101, 30, 0),  # Alfa Kft.: corporate all month
            ClientDays(102, 10, 20),  # Béta Zrt.: VIP since 11 June — corporate 1–10, VIP 11–30
            ClientDays(103, 20, 0),  # Gamma Bt.: reassigned to a colleague on 21 June — 1–20
            ClientDays(104, 14, 0),  # Delta Kft.: won and assigned on 17 June — 17–30
        ),
        acquired=(
            Acquired(104, was_vip=False, acquired_on=datetime.date(2025, 6, 17)),  # Delta Kft.
            Acquired(105, was_vip=True, acquired_on=datetime.date(2025, 6, 25)),  # Erdős Anna, a VIP individual
        ),
        served=(101, 102, 104, 101, 106, 107, 102, 108, 109),  # 7 distinct clients
        rating_total=29,  # 5, 5, 4, 5, 5, 5
        rating_count=6,
    )


def test_worked_example_of_the_rules_document():
    # given the document's manager, plan and month / when calculated
    facts = example_month()
    statement = calculate(facts, EXAMPLE_RATES)
    # then every line as the document shows it
    assert [(each.kind, each.quantity, each.rate, each.amount) for each in statement.lines] == [
        ("base", D("1"), D("550000"), D("550000")),  # 550 000 × 30 ÷ 30
        # 25 000 × 74 ÷ 30 = 61 666.666… → 61 667 (74 = 30 + 10 + 20 + 14 client-days)
        ("allowance_corporate", D("2.466666666666666666666666667"), D("25000"), D("61667")),
        # 40 000 × 20 ÷ 30 = 26 666.666… → 26 667
        ("allowance_vip", D("0.6666666666666666666666666667"), D("40000"), D("26667")),
        ("acquisition", D("1"), D("50000"), D("50000")),
        ("acquisition_vip", D("1"), D("120000"), D("120000")),
        # (5 × 4.0 + 29) ÷ (5 + 6) = 49 ÷ 11 = 4.4545… → the 4.4 tier
        ("rating", D("1"), D("40000"), D("40000")),
        # bonuses 50 000 + 120 000 + 40 000 = 210 000; cap 30 % × 550 000 = 165 000; cut 45 000
        ("cap", D("1"), D("-45000"), D("-45000")),
    ]
    # 550 000 + 61 667 + 26 667 + 50 000 + 120 000 + 40 000 - 45 000 = 803 334 (the unrounded sum is 803 333.33…)
    assert statement.total == D("803334")
    by_kind = {each.kind: each for each in statement.lines}
    assert by_kind["allowance_corporate"].explanation["params"] == {
        "clients": 4,
        "client_days": 74,
        "days_in_month": 30,
    }
    assert evidence_of(by_kind["allowance_corporate"].evidence, facts) == {
        "clients": [[101, 30], [102, 10], [103, 20], [104, 14]]
    }
    assert by_kind["allowance_vip"].explanation["params"] == {"clients": 1, "client_days": 20, "days_in_month": 30}
    assert evidence_of(by_kind["allowance_vip"].evidence, facts) == {"clients": [[102, 20]]}
    assert by_kind["acquisition"].evidence == {"clients": [104]}
    assert by_kind["acquisition_vip"].evidence == {"clients": [105]}
    assert by_kind["rating"].explanation["params"] == {"smoothed": "4.45", "count": 6, "threshold": "4.4"}
    assert by_kind["rating"].evidence == {"count": 6, "total": 29, "smoothed": "4.454545454545454545454545455"}
    assert by_kind["cap"].explanation["params"] == {"percent": "30", "cap": "165000", "earned": "210000"}
    assert "service" not in by_kind  # personal at month end: the 7 clients served earn nothing


def test_worked_example_in_pool_mode_pays_service_but_the_cap_keeps_the_total():
    # given the same month with the manager in pool mode at month end / when calculated
    facts = example_month(work_mode="pool")
    statement = calculate(facts, EXAMPLE_RATES)
    # then a service line of 7 × 3 000 = 21 000; bonuses 231 000, cut by 66 000 to the same 165 000
    service = line(statement, "service")
    assert (service.quantity, service.amount) == (D("7"), D("21000"))
    assert evidence_of(service.evidence, facts) == {"clients": [101, 102, 104, 106, 107, 108, 109]}
    assert line(statement, "cap").amount == D("-66000")
    assert statement.total == D("803334")
