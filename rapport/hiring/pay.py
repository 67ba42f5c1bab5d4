"""Pay beside HR's figures: a candidate's expected and offered pay against the position's range and the market
salary bands, and a contract's base salary against the manager's pay plan.

Bands and plans belong to compensation, which reads the other apps and is read by none. HR needs them only as
reference, so this module is the one place HR reads them — through the app registry, when compensation is
installed, read-only — and everything else in HR works without it.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.hiring.candidate_models import Candidate
from rapport.hiring.contract_models import EmploymentContract

BELOW = "below"
WITHIN = "within"
ABOVE = "above"


def _model(name: str):
    if not apps.is_installed("rapport.compensation"):
        return None
    return apps.get_model("compensation", name)


@dataclass(frozen=True)
class Band:
    label: str
    minimum: Decimal
    maximum: Decimal
    currency: str


@dataclass(frozen=True)
class PayCheck:
    """Where an amount lies in a band: 0 at its minimum, 100 at its maximum."""

    label: str
    amount: Decimal
    band: Band
    position: Decimal
    verdict: str

    @property
    def bar(self) -> Decimal:
        """The position clamped to 0–100 for drawing."""
        return min(max(self.position, Decimal(0)), Decimal(100))


def band_position(amount: Decimal, band: Band) -> Decimal:
    width = band.maximum - band.minimum
    if width <= 0:
        return Decimal(100) if amount >= band.maximum else Decimal(0)
    return ((amount - band.minimum) * 100 / width).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _check(label: str, amount: Decimal, band: Band) -> PayCheck:
    verdict = BELOW if amount < band.minimum else ABOVE if amount > band.maximum else WITHIN
    return PayCheck(label=label, amount=amount, band=band, position=band_position(amount, band), verdict=verdict)


def market_bands(currency: str) -> dict[str, Band]:
    """The market bands of ``currency`` by kind (``desired``, ``offered``), when compensation keeps them."""
    SalaryBand = _model("SalaryBand")
    if SalaryBand is None:
        return {}
    return {
        band.kind: Band(label=band.get_kind_display(), minimum=band.minimum, maximum=band.maximum, currency=currency)
        for band in SalaryBand.objects.filter(currency=currency)
    }


def pay_checks(candidate: Candidate) -> list[PayCheck]:
    """Expected pay against what candidates ask on the market and against the position's range; offered pay
    against what employers offer and the position's range. Only amounts in the same currency are compared."""
    bands = market_bands(candidate.currency)
    position = candidate.position
    own = None
    if position is not None and position.currency == candidate.currency and position.pay_min is not None:
        own = Band(
            label=_("Position's range"),
            minimum=position.pay_min,
            maximum=position.pay_max if position.pay_max is not None else position.pay_min,
            currency=position.currency,
        )
    checks = []
    for label, amount, market in (
        (_("Expected pay"), candidate.expected_pay, bands.get("desired")),
        (_("Offered pay"), candidate.offered_pay, bands.get("offered")),
    ):
        if amount is None:
            continue
        if own is not None:
            checks.append(_check(label, amount, own))
        if market is not None:
            checks.append(_check(label, amount, market))
    return checks


@dataclass(frozen=True)
class PlanBase:
    plan: str
    base: Decimal
    currency: str
    matches: bool


def plan_base(contract: EmploymentContract, *, on: datetime.date | None = None) -> PlanBase | None:
    """The manager's pay plan and its base salary for their level on ``on``, beside the contract's base."""
    ManagerPlan = _model("ManagerPlan")
    if ManagerPlan is None:
        return None
    link = ManagerPlan.objects.select_related("plan").filter(manager_id=contract.manager_id).first()
    if link is None:
        return None
    on = on or timezone.localdate()
    version = link.plan.versions.filter(effective_from__lte=on).order_by("-effective_from").first()
    if version is None:
        return None
    base = getattr(version, f"base_{contract.manager.level}")
    return PlanBase(
        plan=link.plan.name,
        base=base,
        currency=link.plan.currency,
        matches=link.plan.currency == contract.currency and base == contract.base_salary,
    )
