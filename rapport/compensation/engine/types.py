"""Engine types: the rates of a plan version and the facts of one manager's month, as frozen dataclasses.

Money is ``Decimal`` everywhere; no float enters the engine (``Rates`` and ``ManagerMonth`` refuse one).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


def _no_float(*values) -> None:
    for value in values:
        if isinstance(value, float):
            raise TypeError("Money and ratings are Decimals in the compensation engine, never floats.")


@dataclass(frozen=True)
class RatingTier:
    """A smoothed rating of at least ``threshold`` earns ``amount``."""

    threshold: Decimal
    amount: Decimal

    def __post_init__(self):
        _no_float(self.threshold, self.amount)


@dataclass(frozen=True)
class Rates:
    """A plan version's figures (per month, in ``currency``)."""

    currency: str
    base: dict[str, Decimal]  # level → monthly base salary
    allowance_corporate: Decimal
    allowance_vip: Decimal
    acquisition: Decimal
    acquisition_vip: Decimal
    service: Decimal
    rating_tiers: tuple[RatingTier, ...] = ()
    rating_min_count: int = 0
    bonus_cap_percent: Decimal | None = None
    rating_prior_weight: Decimal = Decimal(5)
    rating_prior_mean: Decimal = Decimal("4.0")

    def __post_init__(self):
        _no_float(
            *self.base.values(),
            self.allowance_corporate,
            self.allowance_vip,
            self.acquisition,
            self.acquisition_vip,
            self.service,
            self.bonus_cap_percent,
            self.rating_prior_weight,
            self.rating_prior_mean,
        )


@dataclass(frozen=True)
class ClientDays:
    """How many days of the month a client was assigned to the manager, split by its class on each day."""

    client_id: int
    corporate_days: int
    vip_days: int


@dataclass(frozen=True)
class Acquired:
    """A client the manager won in the month (standing credits only)."""

    client_id: int
    was_vip: bool
    acquired_on: datetime.date


@dataclass(frozen=True)
class ManagerMonth:
    """Everything that decides one manager's pay for one month.

    ``employed_days``: days of the month between hire (inclusive) and dismissal (exclusive). ``level`` and
    ``work_mode`` are the ones at the end of the month (or on the last day employed). ``served`` are the distinct
    clients served in the month (an interaction logged or a case resolved); the service bonus goes to managers in
    pool mode at month end. ``rating_total``/``rating_count``: the month's ratings of the manager.
    """

    manager_id: int
    month: datetime.date  # the first day
    days_in_month: int
    employed_days: int
    level: str
    work_mode: str
    portfolio: tuple[ClientDays, ...] = ()
    acquired: tuple[Acquired, ...] = ()
    served: tuple[int, ...] = ()
    rating_total: int = 0
    rating_count: int = 0

    def __post_init__(self):
        _no_float(
            self.days_in_month,
            self.employed_days,
            self.rating_total,
            self.rating_count,
            *(days for client in self.portfolio for days in (client.corporate_days, client.vip_days)),
        )

    @property
    def corporate_days(self) -> int:
        return sum(c.corporate_days for c in self.portfolio)

    @property
    def vip_days(self) -> int:
        return sum(c.vip_days for c in self.portfolio)


@dataclass(frozen=True)
class Line:
    """One computed line: ``amount`` = ``quantity`` × ``rate``, rounded once to the currency's unit (a prorated
    line multiplies its days by the rate before dividing by the days in the month, so the rounding sees the exact
    value; its ``quantity`` is that share, shown).

    ``explanation`` is a code with parameters (rendered in the reader's language); ``evidence`` lists what the
    line counts (client ids, days, events)."""

    kind: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    explanation: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    reference_month: datetime.date | None = None


@dataclass(frozen=True)
class Statement:
    manager_id: int
    month: datetime.date
    currency: str
    lines: tuple[Line, ...]

    @property
    def total(self) -> Decimal:
        """The sum of the rounded lines (never rounded again)."""
        return sum((line.amount for line in self.lines), Decimal(0))
