"""Inputs of a statement as JSON and back: a statement recomputed from its snapshot gives the same figures."""

import datetime
from decimal import Decimal

from django.conf import settings

from rapport.compensation.engine.types import Acquired, ClientDays, ManagerMonth, Rates, RatingTier
from rapport.compensation.models import PlanVersion


def rates_of(version: PlanVersion) -> Rates:
    """The engine's rates of a plan version (with the rating prior from the settings)."""
    return Rates(
        currency=version.plan.currency,
        base={"junior": version.base_junior, "middle": version.base_middle, "senior": version.base_senior},
        allowance_corporate=version.allowance_corporate,
        allowance_vip=version.allowance_vip,
        acquisition=version.acquisition_bonus,
        acquisition_vip=version.acquisition_bonus_vip,
        service=version.service_bonus,
        rating_tiers=tiers_of(version.rating_tiers),
        rating_min_count=version.rating_min_count,
        bonus_cap_percent=version.bonus_cap_percent,
        rating_prior_weight=Decimal(str(settings.RAPPORT["RATING_PRIOR_WEIGHT"])),
        rating_prior_mean=Decimal(str(settings.RAPPORT["RATING_PRIOR_MEAN"])),
    )


def tiers_of(raw) -> tuple[RatingTier, ...]:
    """Rating tiers from their stored form (a list of {"threshold", "amount"} with decimal strings)."""
    return tuple(
        sorted(
            (RatingTier(Decimal(str(t["threshold"])), Decimal(str(t["amount"]))) for t in raw or []),
            key=lambda t: t.threshold,
        )
    )


def rates_to_json(rates: Rates) -> dict:
    return {
        "currency": rates.currency,
        "base": {level: str(amount) for level, amount in rates.base.items()},
        "allowance_corporate": str(rates.allowance_corporate),
        "allowance_vip": str(rates.allowance_vip),
        "acquisition": str(rates.acquisition),
        "acquisition_vip": str(rates.acquisition_vip),
        "service": str(rates.service),
        "rating_tiers": [{"threshold": str(t.threshold), "amount": str(t.amount)} for t in rates.rating_tiers],
        "rating_min_count": rates.rating_min_count,
        "bonus_cap_percent": None if rates.bonus_cap_percent is None else str(rates.bonus_cap_percent),
        "rating_prior_weight": str(rates.rating_prior_weight),
        "rating_prior_mean": str(rates.rating_prior_mean),
    }


def rates_from_json(data: dict) -> Rates:
    cap = data.get("bonus_cap_percent")
    return Rates(
        currency=data["currency"],
        base={level: Decimal(amount) for level, amount in data["base"].items()},
        allowance_corporate=Decimal(data["allowance_corporate"]),
        allowance_vip=Decimal(data["allowance_vip"]),
        acquisition=Decimal(data["acquisition"]),
        acquisition_vip=Decimal(data["acquisition_vip"]),
        service=Decimal(data["service"]),
        rating_tiers=tiers_of(data["rating_tiers"]),
        rating_min_count=int(data["rating_min_count"]),
        bonus_cap_percent=None if cap is None else Decimal(cap),
        rating_prior_weight=Decimal(data["rating_prior_weight"]),
        rating_prior_mean=Decimal(data["rating_prior_mean"]),
    )


def facts_to_json(facts: ManagerMonth) -> dict:
    return {
        "manager_id": facts.manager_id,
        "month": facts.month.isoformat(),
        "days_in_month": facts.days_in_month,
        "employed_days": facts.employed_days,
        "level": facts.level,
        "work_mode": facts.work_mode,
        "portfolio": [[c.client_id, c.corporate_days, c.vip_days] for c in facts.portfolio],
        "acquired": [[a.client_id, a.was_vip, a.acquired_on.isoformat()] for a in facts.acquired],
        "served": list(facts.served),
        "rating_total": facts.rating_total,
        "rating_count": facts.rating_count,
    }


def facts_from_json(data: dict) -> ManagerMonth:
    return ManagerMonth(
        manager_id=data["manager_id"],
        month=datetime.date.fromisoformat(data["month"]),
        days_in_month=data["days_in_month"],
        employed_days=data["employed_days"],
        level=data["level"],
        work_mode=data["work_mode"],
        portfolio=tuple(ClientDays(*row) for row in data["portfolio"]),
        acquired=tuple(Acquired(c, v, datetime.date.fromisoformat(d)) for c, v, d in data["acquired"]),
        served=tuple(data["served"]),
        rating_total=data["rating_total"],
        rating_count=data["rating_count"],
    )
