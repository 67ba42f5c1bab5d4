"""The compensation engine's properties on random months (hypothesis, no database).

Whatever the plan and the facts: the total is the sum of the lines; the same inputs give the same statement; how a
client's days are split into intervals, and the order the facts come in, change nothing; every amount is a Decimal
on the currency's unit; no float appears anywhere; and the bonuses never end above the cap.

That reversing an acquisition never increases pay is a property of the services layer (clawbacks), not of the
engine, and is tested there.
"""

import dataclasses
import datetime
import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.compensation.engine.calculate import calculate
from rapport.compensation.engine.types import Acquired, ClientDays, ManagerMonth, Rates, RatingTier
from rapport.core.money import quantize

CURRENCY_DIGITS = {"HUF": 0, "RUB": 2, "EUR": 2, "USD": 2}
LEVELS = ("junior", "middle", "senior")
BONUS_KINDS = {"acquisition", "acquisition_vip", "service", "rating"}
MONTHS = {28: datetime.date(2025, 2, 1), 29: datetime.date(2028, 2, 1), 30: datetime.date(2025, 6, 1)}
MONTHS[31] = datetime.date(2025, 7, 1)


def money(max_value: int = 2_000_000):
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw) -> Rates:
    tiers = draw(
        st.lists(
            st.builds(
                RatingTier,
                threshold=st.decimals(min_value=1, max_value=5, places=2),
                amount=money(200_000),
            ),
            max_size=4,
        )
    )
    return Rates(
        currency=draw(st.sampled_from(sorted(CURRENCY_DIGITS))),
        base={level: draw(money()) for level in LEVELS},
        allowance_corporate=draw(money(100_000)),
        allowance_vip=draw(money(100_000)),
        acquisition=draw(money(500_000)),
        acquisition_vip=draw(money(500_000)),
        service=draw(money(50_000)),
        rating_tiers=tuple(tiers),
        rating_min_count=draw(st.integers(0, 10)),
        bonus_cap_percent=draw(st.none() | st.decimals(min_value=0, max_value=200, places=1)),
        rating_prior_weight=Decimal(draw(st.integers(0, 20))),
        rating_prior_mean=draw(st.decimals(min_value=1, max_value=5, places=1)),
    )


@st.composite
def months(draw) -> ManagerMonth:
    days_in_month = draw(st.sampled_from(sorted(MONTHS)))
    first = MONTHS[days_in_month]
    client_ids = draw(st.lists(st.integers(1, 500), unique=True, max_size=12))
    portfolio = []
    for client_id in client_ids:
        held = draw(st.integers(1, days_in_month))
        vip = draw(st.integers(0, held))
        portfolio.append(ClientDays(client_id, held - vip, vip))
    won = draw(st.lists(st.integers(501, 900), unique=True, max_size=6))
    acquired = tuple(
        Acquired(client_id, draw(st.booleans()), first.replace(day=draw(st.integers(1, days_in_month))))
        for client_id in won
    )
    ratings = draw(st.lists(st.integers(1, 5), max_size=40))
    return ManagerMonth(
        manager_id=draw(st.integers(1, 10_000)),
        month=first,
        days_in_month=days_in_month,
        employed_days=draw(st.integers(0, days_in_month)),
        level=draw(st.sampled_from(LEVELS)),
        work_mode=draw(st.sampled_from(("pool", "personal"))),
        portfolio=tuple(portfolio),
        acquired=acquired,
        served=tuple(draw(st.lists(st.integers(1, 900), max_size=30))),
        rating_total=sum(ratings),
        rating_count=len(ratings),
    )


def floats_in(value, path="statement") -> list[str]:
    """Every place in ``value`` (dataclasses, dicts, lists, tuples, scalars) that holds a float."""
    if isinstance(value, float):
        return [path]
    if dataclasses.is_dataclass(value):
        return [
            found
            for field in dataclasses.fields(value)
            for found in floats_in(getattr(value, field.name), f"{path}.{field.name}")
        ]
    if isinstance(value, dict):
        return [
            found
            for key, item in value.items()
            for found in (*floats_in(key, f"{path}[key]"), *floats_in(item, f"{path}[{key!r}]"))
        ]
    if isinstance(value, list | tuple | set | frozenset):
        return [found for index, item in enumerate(value) for found in floats_in(item, f"{path}[{index}]")]
    return []


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans())
def test_the_total_is_the_sum_of_the_lines(facts, plan):
    # given any month and plan / when calculated / then the total is the plain sum of the line amounts
    statement = calculate(facts, plan)
    assert statement.total == sum((line.amount for line in statement.lines), Decimal(0))
    assert statement.lines[0].kind == "base"


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans())
def test_calculate_is_deterministic(facts, plan):
    # given the same inputs twice (the second a rebuilt copy) / when calculated / then equal statements
    copy = dataclasses.replace(facts, portfolio=tuple(dataclasses.replace(c) for c in facts.portfolio))
    assert calculate(facts, plan) == calculate(copy, dataclasses.replace(plan, base=dict(plan.base)))


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans(), data=st.data())
def test_the_order_of_the_facts_changes_nothing(facts, plan, data):
    # given the same facts listed in another order / when calculated / then the same statement
    shuffled = dataclasses.replace(
        facts,
        portfolio=tuple(data.draw(st.permutations(list(facts.portfolio)))),
        acquired=tuple(data.draw(st.permutations(facts.acquired))),
        served=tuple(data.draw(st.permutations(list(facts.served)))),
    )
    assert calculate(shuffled, plan) == calculate(facts, plan)


def _split(data, days: int) -> list[int]:
    """``days`` cut into 1–3 non-negative parts that add up to it."""
    cuts = sorted(data.draw(st.lists(st.integers(0, days), max_size=2)))
    bounds = [0, *cuts, days]
    return [high - low for low, high in itertools.pairwise(bounds)]


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans(), data=st.data())
def test_splitting_a_clients_days_into_intervals_never_changes_the_allowance(facts, plan, data):
    # given each client's days cut into several ClientDays entries (intervals of the same assignment history)
    split = []
    for client in facts.portfolio:
        corporate, vip = _split(data, client.corporate_days), _split(data, client.vip_days)
        width = max(len(corporate), len(vip))
        corporate += [0] * (width - len(corporate))
        vip += [0] * (width - len(vip))
        split.extend(ClientDays(client.client_id, c, v) for c, v in zip(corporate, vip, strict=True) if c or v)
    pieces = dataclasses.replace(facts, portfolio=tuple(data.draw(st.permutations(split))))
    # when both are calculated
    whole, cut = calculate(facts, plan), calculate(pieces, plan)
    # then the allowance lines are the same — amounts, counts and evidence alike
    kinds = ("allowance_corporate", "allowance_vip")
    whole_lines = [line for line in whole.lines if line.kind in kinds]
    cut_lines = [line for line in cut.lines if line.kind in kinds]
    assert [line.amount for line in cut_lines] == [line.amount for line in whole_lines]
    assert cut_lines == whole_lines
    assert cut.total == whole.total


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans())
def test_every_amount_is_a_decimal_on_the_currency_unit(facts, plan):
    # given any month and plan / when calculated / then every amount is a Decimal with the currency's digits at most
    statement = calculate(facts, plan)
    digits = CURRENCY_DIGITS[plan.currency]
    for line in [*statement.lines]:
        assert isinstance(line.amount, Decimal)
        assert isinstance(line.quantity, Decimal)
        assert isinstance(line.rate, Decimal)
        assert -line.amount.as_tuple().exponent <= digits
        assert line.amount == quantize(line.amount, plan.currency)  # already on the unit: rounding changes nothing
    assert isinstance(statement.total, Decimal)
    assert -statement.total.as_tuple().exponent <= digits


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans())
def test_no_float_anywhere(facts, plan):
    # given any month and plan / when calculated / then no float in any field, explanation or evidence
    assert floats_in(calculate(facts, plan)) == []


@settings(max_examples=200, deadline=None)
@given(facts=months(), plan=plans())
def test_bonuses_never_end_above_the_cap(facts, plan):
    # given any month and plan / when calculated
    statement = calculate(facts, plan)
    bonuses = sum((line.amount for line in statement.lines if line.kind in BONUS_KINDS), Decimal(0))
    caps = [line for line in statement.lines if line.kind == "cap"]
    if plan.bonus_cap_percent is None:
        assert caps == []
        return
    base = statement.lines[0].amount
    cap = quantize(base * plan.bonus_cap_percent / 100, plan.currency)
    # then a cap line appears exactly when the bonuses exceed the cap, and brings them down to it
    if bonuses > cap:
        assert len(caps) == 1
        assert caps[0].amount < 0
        assert bonuses + caps[0].amount == cap
    else:
        assert caps == []
    # and nothing is ever negative except the cap line
    assert all(line.amount >= 0 for line in statement.lines if line.kind != "cap")
