"""Engine types: the rates of a plan version and the facts of one manager's month, as frozen dataclasses.

Money is ``Decimal`` everywhere; no float enters the engine (``Rates`` and ``ManagerMonth`` refuse one).

The per-client facts — the portfolio (clients with their days per class) and the clients served — are kept as
columns (``Holdings``, ``ClientIds``: integer numpy arrays, distinct clients ascending): a month of 10,000 managers
holds a million of them, and the engine only needs their counts and sums; the lists themselves are the evidence,
kept once in the statement's inputs snapshot.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np


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


def _integers(values, what: str) -> np.ndarray:
    """``values`` as a read-only int64 array; a float (or anything but integers) is refused."""
    if isinstance(values, np.ndarray):
        array = values
    else:
        values = list(values)
        if any(not isinstance(v, int | np.integer) or isinstance(v, bool) for v in values):
            _no_float(*values)
            raise TypeError(f"{what} are whole numbers in the compensation engine.")
        array = np.array(values, dtype=np.int64)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{what} are whole numbers in the compensation engine, never floats.")
    array = array.astype(np.int64, copy=False)
    array.flags.writeable = False
    return array


class Holdings:
    """A manager's portfolio as columns: the distinct clients held, ascending, with their corporate and VIP days.

    ``Holdings.of(entries)`` merges ``ClientDays`` entries (a client held in several intervals is one client with
    the days added up); ``Holdings(clients, corporate_days, vip_days)`` takes columns already merged and sorted.
    Iterating gives ``ClientDays``."""

    __slots__ = ("_totals", "clients", "corporate_days", "vip_days")

    def __init__(self, clients=(), corporate_days=(), vip_days=(), *, totals: dict | None = None):
        clients = _integers(clients, "Client ids")
        corporate_days = _integers(corporate_days, "Days")
        vip_days = _integers(vip_days, "Days")
        if not (len(clients) == len(corporate_days) == len(vip_days)):
            raise ValueError("Holdings need one corporate and one VIP figure per client.")
        object.__setattr__(self, "clients", clients)
        object.__setattr__(self, "corporate_days", corporate_days)
        object.__setattr__(self, "vip_days", vip_days)
        object.__setattr__(self, "_totals", totals)

    def total(self, attribute: str) -> tuple[int, int]:
        """(clients with days of the class, their days added up) for ``"corporate_days"`` or ``"vip_days"``.
        Whoever builds many holdings at once (``fetch``) may pass these figures as ``totals``."""
        if self._totals is None:
            object.__setattr__(
                self,
                "_totals",
                {
                    name: (int(np.count_nonzero(days)), int(days.sum()))
                    for name, days in (("corporate_days", self.corporate_days), ("vip_days", self.vip_days))
                },
            )
        return self._totals[attribute]

    def __setattr__(self, name, value):
        raise AttributeError("Holdings are frozen.")

    @classmethod
    def of(cls, entries: Iterable["ClientDays"]) -> "Holdings":
        entries = list(entries)
        if not entries:
            return cls()
        _no_float(*(days for entry in entries for days in (entry.corporate_days, entry.vip_days)))
        ids = _integers([entry.client_id for entry in entries], "Client ids")
        corporate = _integers([entry.corporate_days for entry in entries], "Days")
        vip = _integers([entry.vip_days for entry in entries], "Days")
        clients, index = np.unique(ids, return_inverse=True)
        return cls(
            clients,
            _sums(index, corporate, len(clients)),
            _sums(index, vip, len(clients)),
        )

    def __len__(self) -> int:
        return len(self.clients)

    def __iter__(self) -> Iterator["ClientDays"]:
        return map(ClientDays, self.clients.tolist(), self.corporate_days.tolist(), self.vip_days.tolist())

    def __eq__(self, other) -> bool:
        if not isinstance(other, Holdings):
            return NotImplemented
        return (
            np.array_equal(self.clients, other.clients)
            and np.array_equal(self.corporate_days, other.corporate_days)
            and np.array_equal(self.vip_days, other.vip_days)
        )

    __hash__ = None

    def __repr__(self) -> str:
        return f"Holdings({list(self)!r})"


def _sums(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    sums = np.zeros(size, dtype=np.int64)
    np.add.at(sums, index, values)
    return sums


class ClientIds:
    """Distinct client ids, ascending (the clients a manager served). Built from any iterable of ids; repeated ids
    count once."""

    __slots__ = ("ids",)

    def __init__(self, ids=(), *, distinct: bool = False):
        array = _integers(ids, "Client ids")
        if not distinct:
            array = np.unique(array)
            array.flags.writeable = False
        object.__setattr__(self, "ids", array)

    def __setattr__(self, name, value):
        raise AttributeError("Client ids are frozen.")

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids.tolist())

    def __eq__(self, other) -> bool:
        if isinstance(other, ClientIds):
            return np.array_equal(self.ids, other.ids)
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        return f"ClientIds({self.ids.tolist()!r})"


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
    ``work_mode`` are the ones at the end of the month (or on the last day employed). ``portfolio``: the clients
    held and their days per class (``Holdings``; a sequence of ``ClientDays`` is merged into one). ``served`` are
    the distinct clients served in the month (an interaction logged or a case resolved; ``ClientIds``, any
    iterable of ids is taken); the service bonus goes to managers in pool mode at month end.
    ``rating_total``/``rating_count``: the month's ratings of the manager.
    """

    manager_id: int
    month: datetime.date  # the first day
    days_in_month: int
    employed_days: int
    level: str
    work_mode: str
    portfolio: Holdings = field(default_factory=Holdings)
    acquired: tuple[Acquired, ...] = ()
    served: ClientIds = field(default_factory=ClientIds)
    rating_total: int = 0
    rating_count: int = 0

    def __post_init__(self):
        _no_float(self.days_in_month, self.employed_days, self.rating_total, self.rating_count)
        if not isinstance(self.portfolio, Holdings):
            object.__setattr__(self, "portfolio", Holdings.of(self.portfolio))
        if not isinstance(self.served, ClientIds):
            object.__setattr__(self, "served", ClientIds(self.served))

    @property
    def corporate_days(self) -> int:
        return self.portfolio.total("corporate_days")[1]

    @property
    def vip_days(self) -> int:
        return self.portfolio.total("vip_days")[1]


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
