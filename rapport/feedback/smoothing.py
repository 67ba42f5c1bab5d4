"""The smoothed rating of a manager (pure: no database, no settings).

With few ratings an average is noise: one 5-star rating would put a newcomer above a colleague with fifty 4.9s.
The smoothed rating pulls a manager's average towards a prior mean ``m`` with the weight of ``C`` imagined ratings:

    smoothed = (C·m + Σ ratings) ÷ (C + n)

With no ratings it is ``m``; as ``n`` grows it tends to the plain average. ``C`` and ``m`` are settings
(``RAPPORT["RATING_PRIOR_WEIGHT"]`` and ``RAPPORT["RATING_PRIOR_MEAN"]``; see ``prior()`` in ``selectors.py``).
Values are exact Decimals; ``shown()`` is the one place that rounds them for people.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class RatingSummary:
    """A manager's ratings in a period: count ``n``, sum, plain mean (None without ratings) and smoothed value."""

    count: int
    total: int
    mean: Decimal | None
    smoothed: Decimal

    @property
    def mean_shown(self) -> Decimal | None:
        return shown(self.mean)

    @property
    def smoothed_shown(self) -> Decimal:
        return shown(self.smoothed)


def smoothed_rating(*, total: int, count: int, prior_weight: int | Decimal, prior_mean: Decimal) -> Decimal:
    """``(C·m + Σ) ÷ (C + n)`` as an exact Decimal (28 significant digits). With no ratings it is the prior mean
    ``m``, whatever the weight (also with ``C = 0``, where the formula itself is undefined)."""
    if count < 0 or total < 0 or prior_weight < 0:
        raise ValueError("Counts, sums and the prior weight cannot be negative.")
    if count == 0:
        return Decimal(prior_mean)
    weight = Decimal(prior_weight)
    return (weight * Decimal(prior_mean) + Decimal(total)) / (weight + count)


def summarise(*, total: int, count: int, prior_weight: int | Decimal, prior_mean: Decimal) -> RatingSummary:
    """The summary of ``count`` ratings adding up to ``total``."""
    mean = Decimal(total) / count if count else None
    smoothed = smoothed_rating(total=total, count=count, prior_weight=prior_weight, prior_mean=prior_mean)
    return RatingSummary(count=count, total=total, mean=mean, smoothed=smoothed)


def shown(value: Decimal | None) -> Decimal | None:
    """A rating as shown to people: two decimals, half up."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
