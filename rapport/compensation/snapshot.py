"""Inputs of a statement as JSON and back: a statement recomputed from its snapshot gives the same figures.

The per-client facts (the portfolio's columns and the clients served) are stored as packed columns: a string
``"<type>:<base64>"`` of the little-endian integers (``u1`` for values 0–255, ``i4``, ``i8``), e.g. ``"u1:Hx8f"``
for ``[31, 31, 31]``. They are the evidence of the allowance and service lines, kept once per statement. Snapshots
with plain JSON lists (``[[client, corporate days, VIP days], ...]``, ``[client, ...]``) are read as well.
"""

import base64
import datetime
from decimal import Decimal

import numpy as np
from django.conf import settings

from rapport.compensation.engine.calculate import evidence_of
from rapport.compensation.engine.types import Acquired, ClientDays, ClientIds, Holdings, ManagerMonth, Rates, RatingTier
from rapport.compensation.models import PlanVersion

_I4 = (-(2**31), 2**31 - 1)


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


def pack(values: np.ndarray) -> str:
    """A column of integers as ``"<type>:<base64>"`` (the smallest of ``u1``, ``i4``, ``i8`` that holds them)."""
    if not len(values):
        return "u1:"
    low, high = int(values.min()), int(values.max())
    kind = "u1" if low >= 0 and high <= 255 else "i4" if _I4[0] <= low and high <= _I4[1] else "i8"
    return f"{kind}:{base64.b64encode(values.astype('<' + kind, copy=False).tobytes()).decode('ascii')}"


def unpack(text: str) -> np.ndarray:
    """The integers of a packed column (``pack``), as int64."""
    kind, _, data = text.partition(":")
    if kind not in ("u1", "i4", "i8"):
        raise ValueError(f"not a packed column: {text[:20]!r}")
    return np.frombuffer(base64.b64decode(data), dtype="<" + kind).astype(np.int64)


def facts_to_json(facts: ManagerMonth) -> dict:
    holdings = facts.portfolio
    return {
        "manager_id": facts.manager_id,
        "month": facts.month.isoformat(),
        "days_in_month": facts.days_in_month,
        "employed_days": facts.employed_days,
        "level": facts.level,
        "work_mode": facts.work_mode,
        "portfolio": {
            "clients": pack(holdings.clients),
            "corporate_days": pack(holdings.corporate_days),
            "vip_days": pack(holdings.vip_days),
        },
        "acquired": [[a.client_id, a.was_vip, a.acquired_on.isoformat()] for a in facts.acquired],
        "served": pack(facts.served.ids),
        "rating_total": facts.rating_total,
        "rating_count": facts.rating_count,
    }


def _portfolio_from_json(data) -> Holdings:
    if isinstance(data, dict):
        return Holdings(unpack(data["clients"]), unpack(data["corporate_days"]), unpack(data["vip_days"]))
    return Holdings.of(ClientDays(*row) for row in data)


def facts_from_json(data: dict) -> ManagerMonth:
    served = data["served"]
    return ManagerMonth(
        manager_id=data["manager_id"],
        month=datetime.date.fromisoformat(data["month"]),
        days_in_month=data["days_in_month"],
        employed_days=data["employed_days"],
        level=data["level"],
        work_mode=data["work_mode"],
        portfolio=_portfolio_from_json(data["portfolio"]),
        acquired=tuple(Acquired(c, v, datetime.date.fromisoformat(d)) for c, v, d in data["acquired"]),
        served=ClientIds(unpack(served) if isinstance(served, str) else served),
        rating_total=data["rating_total"],
        rating_count=data["rating_count"],
    )


def statement_facts(statement) -> ManagerMonth | None:
    """The facts of a statement's inputs snapshot (read once per statement object), or None without one."""
    if "_snapshot_facts" not in statement.__dict__:
        data = (statement.inputs or {}).get("facts")
        statement.__dict__["_snapshot_facts"] = facts_from_json(data) if data else None
    return statement.__dict__["_snapshot_facts"]


def line_evidence(line, statement=None) -> dict:
    """A statement line's evidence with its clients listed: lines that name their clients in the snapshot (the
    allowance and service lines) get them from the statement's inputs."""
    evidence = line.evidence or {}
    if "clients_from" not in evidence:
        return evidence
    return evidence_of(evidence, statement_facts(statement if statement is not None else line.statement))
