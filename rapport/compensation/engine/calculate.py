"""The monthly statement of one manager (pure): base, portfolio allowance, bonuses, cap.

Rules (documented with a worked example in ``docs/compensation-rules.md``):

* **Base**: base[level at month end] × days employed ÷ days in the month.
* **Portfolio allowance**: for each day a client was assigned to the manager, the rate of the client's class that
  day (VIP or corporate) ÷ days in the month. Days are summed per class first, so splitting an assignment into
  intervals never changes the amount.
* **Acquisition bonus**: rate × clients won in the month (a separate rate for VIP clients).
* **Service bonus**: rate × distinct clients served in the month, for managers in pool mode at month end.
* **Rating bonus**: the highest tier the month's smoothed rating reaches, if the month has at least the minimum
  number of ratings. Smoothed = (C·m + Σ ratings) ÷ (C + n).
* **Cap**: when the bonus lines add up to more than the cap (a percentage of the prorated base), a negative line
  brings them down to it.

Each line is rounded half-up to the currency's unit (``rapport.core.money.quantize``) and the total is the sum of
the rounded lines.
"""

from decimal import Decimal

from rapport.compensation.engine.types import Line, ManagerMonth, Rates, Statement
from rapport.core.money import quantize
from rapport.feedback.smoothing import shown, smoothed_rating

ZERO = Decimal(0)
BONUS_KINDS = ("acquisition", "acquisition_vip", "service", "rating")


def _line(
    kind: str, units: Decimal, rate: Decimal, currency: str, code: str, evidence=None, per: int = 1, **params
) -> Line:
    """A line of ``units ÷ per`` × ``rate``. The amount is ``units × rate ÷ per`` — multiplied before dividing, so an
    exact half (e.g. 1 day × 126 ÷ 28 = 4.5) stays exact and rounds up; the quantity ``units ÷ per`` is only shown.
    """
    amount = quantize(Decimal(units) * rate / Decimal(per), currency)
    return Line(
        kind=kind,
        quantity=Decimal(units) / Decimal(per),
        rate=rate,
        amount=amount,
        explanation={"code": code, "params": params},
        evidence=evidence or {},
    )


def base_line(facts: ManagerMonth, rates: Rates) -> Line:
    return _line(
        "base",
        Decimal(facts.employed_days),
        rates.base[facts.level],
        rates.currency,
        "base",
        {"employed_days": facts.employed_days, "days_in_month": facts.days_in_month, "level": facts.level},
        per=facts.days_in_month,
        level=facts.level,
        days=facts.employed_days,
        days_in_month=facts.days_in_month,
    )


def allowance_lines(facts: ManagerMonth, rates: Rates) -> list[Line]:
    lines = []
    for kind, rate, attribute in (
        ("allowance_corporate", rates.allowance_corporate, "corporate_days"),
        ("allowance_vip", rates.allowance_vip, "vip_days"),
    ):
        # A client held in several intervals (assigned away and back) is one client with the days added up.
        held: dict[int, int] = {}
        for client in facts.portfolio:
            days = getattr(client, attribute)
            if days:
                held[client.client_id] = held.get(client.client_id, 0) + days
        if not held:
            continue
        client_days = sum(held.values())
        lines.append(
            _line(
                kind,
                Decimal(client_days),
                rate,
                rates.currency,
                kind,
                {"clients": [[client_id, days] for client_id, days in sorted(held.items())]},
                per=facts.days_in_month,
                clients=len(held),
                client_days=client_days,
                days_in_month=facts.days_in_month,
            )
        )
    return lines


def bonus_lines(facts: ManagerMonth, rates: Rates) -> list[Line]:
    lines = []
    plain = sorted(a.client_id for a in facts.acquired if not a.was_vip)
    vip = sorted(a.client_id for a in facts.acquired if a.was_vip)
    if plain:
        lines.append(
            _line(
                "acquisition",
                Decimal(len(plain)),
                rates.acquisition,
                rates.currency,
                "acquisition",
                {"clients": plain},
                count=len(plain),
            )
        )
    if vip:
        lines.append(
            _line(
                "acquisition_vip",
                Decimal(len(vip)),
                rates.acquisition_vip,
                rates.currency,
                "acquisition_vip",
                {"clients": vip},
                count=len(vip),
            )
        )
    if facts.served and facts.work_mode == "pool":
        served = sorted(set(facts.served))
        lines.append(
            _line(
                "service",
                Decimal(len(served)),
                rates.service,
                rates.currency,
                "service",
                {"clients": served},
                count=len(served),
            )
        )
    rating = rating_line(facts, rates)
    if rating is not None:
        lines.append(rating)
    return lines


def rating_line(facts: ManagerMonth, rates: Rates) -> Line | None:
    """The rating bonus line, or None when there are no tiers, too few ratings, or no tier is reached."""
    if not rates.rating_tiers or facts.rating_count == 0 or facts.rating_count < rates.rating_min_count:
        return None
    smoothed = smoothed_rating(
        total=facts.rating_total,
        count=facts.rating_count,
        prior_weight=rates.rating_prior_weight,
        prior_mean=rates.rating_prior_mean,
    )
    reached = [tier for tier in rates.rating_tiers if smoothed >= tier.threshold]
    if not reached:
        return None
    tier = max(reached, key=lambda t: t.threshold)
    return _line(
        "rating",
        Decimal(1),
        tier.amount,
        rates.currency,
        "rating",
        {"count": facts.rating_count, "total": facts.rating_total, "smoothed": str(smoothed)},
        smoothed=str(shown(smoothed)),  # as the rating pages show it: half up
        count=facts.rating_count,
        threshold=str(tier.threshold),
    )


def cap_line(base: Line, bonuses: list[Line], rates: Rates) -> Line | None:
    """The negative line that brings the bonuses down to the cap, if they exceed it."""
    if rates.bonus_cap_percent is None:
        return None
    cap = quantize(base.amount * rates.bonus_cap_percent / Decimal(100), rates.currency)
    earned = sum((line.amount for line in bonuses), ZERO)
    if earned <= cap:
        return None
    excess = earned - cap
    return Line(
        kind="cap",
        quantity=Decimal(1),
        rate=-excess,
        amount=-excess,
        explanation={
            "code": "cap",
            "params": {"percent": str(rates.bonus_cap_percent), "cap": str(cap), "earned": str(earned)},
        },
        evidence={"cap": str(cap), "earned": str(earned)},
    )


def calculate(facts: ManagerMonth, rates: Rates) -> Statement:
    """The statement of one manager's month under ``rates``."""
    base = base_line(facts, rates)
    lines = [base, *allowance_lines(facts, rates)]
    bonuses = bonus_lines(facts, rates)
    lines.extend(bonuses)
    cap = cap_line(base, bonuses, rates)
    if cap is not None:
        lines.append(cap)
    return Statement(manager_id=facts.manager_id, month=facts.month, currency=rates.currency, lines=tuple(lines))
