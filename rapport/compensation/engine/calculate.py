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

The evidence of the allowance and service lines names where their clients are in the facts (``{"clients_from":
"portfolio.corporate_days"}``, ``"portfolio.vip_days"``, ``"served"``) rather than repeating them: the facts are
kept with the statement as its inputs snapshot, and ``evidence_of`` gives the lists back (``{"clients": ...}``).

Each line is rounded half-up to the currency's unit (``rapport.core.money.quantize``) and the total is the sum of
the rounded lines.
"""

from decimal import Decimal

import numpy as np

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
    holdings = facts.portfolio
    for kind, rate, attribute in (
        ("allowance_corporate", rates.allowance_corporate, "corporate_days"),
        ("allowance_vip", rates.allowance_vip, "vip_days"),
    ):
        # The portfolio has one entry per client (a client held in several intervals has its days added up).
        clients, client_days = holdings.total(attribute)
        if not clients:
            continue
        lines.append(
            _line(
                kind,
                Decimal(client_days),
                rate,
                rates.currency,
                kind,
                {"clients_from": f"portfolio.{attribute}"},
                per=facts.days_in_month,
                clients=clients,
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
    served = len(facts.served)
    if served and facts.work_mode == "pool":
        lines.append(
            _line(
                "service",
                Decimal(served),
                rates.service,
                rates.currency,
                "service",
                {"clients_from": "served"},
                count=served,
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


def evidence_of(evidence: dict | None, facts: ManagerMonth | None) -> dict:
    """A line's evidence with the clients it names in ``facts`` listed: ``[client id, days]`` pairs by client id for
    an allowance line, the client ids ascending for the service line. Evidence that lists its clients already (or
    has none) is returned as it is; without the facts, the reference stays unresolved."""
    evidence = evidence or {}
    source = evidence.get("clients_from")
    if source is None or facts is None:
        return evidence
    rest = {key: value for key, value in evidence.items() if key != "clients_from"}
    if source == "served":
        return {**rest, "clients": facts.served.ids.tolist()}
    attribute = source.removeprefix("portfolio.")
    if source.startswith("portfolio.") and attribute in ("corporate_days", "vip_days"):
        days = getattr(facts.portfolio, attribute)
        held = np.flatnonzero(days)
        return {
            **rest,
            "clients": [
                list(pair) for pair in zip(facts.portfolio.clients[held].tolist(), days[held].tolist(), strict=True)
            ],
        }
    return evidence
