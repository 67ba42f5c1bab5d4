"""The demo company's pay: a HUF plan with a version from half a year ago, every manager on it, a local salary
band beside the source document's (RUB and USD, shipped by a migration), last month calculated and approved, this
month calculated, and one open query — all through the services. Built once: what exists is kept."""

import datetime
from decimal import Decimal

from django.utils import timezone

from rapport.compensation import services
from rapport.compensation.choices import BandKind, PeriodStatus
from rapport.compensation.models import CompensationPlan, LineQuery, ManagerPlan, SalaryBand, Statement
from rapport.managers.models import ClientManager

PLAN = "Client managers (HUF)"
FIGURES = {
    "base_junior": Decimal("380000"),
    "base_middle": Decimal("520000"),
    "base_senior": Decimal("700000"),
    "allowance_corporate": Decimal("4000"),
    "allowance_vip": Decimal("10000"),
    "acquisition_bonus": Decimal("25000"),
    "acquisition_bonus_vip": Decimal("60000"),
    "service_bonus": Decimal("1500"),
    "rating_tiers": [{"threshold": "4.3", "amount": "15000"}, {"threshold": "4.6", "amount": "30000"}],
    "rating_min_count": 3,
    "bonus_cap_percent": Decimal("25"),
}
# The demo company's own reading of Budapest job ads: a HUF band, so the plan's bases have a place to sit.
HUF_BANDS = [
    ("Offered in Budapest job ads (HUF)", BandKind.OFFERED, Decimal("350000"), Decimal("750000")),
    ("Desired by Budapest candidates (HUF)", BandKind.DESIRED, Decimal("450000"), Decimal("900000")),
]


def _months_back(month: datetime.date, count: int) -> datetime.date:
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def build_pay(*, payroll) -> None:
    """Plan, bands, managers' plans, last month approved and this month calculated (idempotent)."""
    this_month = timezone.localdate().replace(day=1)
    last_month = _months_back(this_month, 1)
    plan = CompensationPlan.objects.filter(name=PLAN).first() or services.plan_save(
        actor=payroll,
        data={"name": PLAN, "currency": "HUF", "description": "Base by level, portfolio allowance, bonuses, cap."},
    )
    if not plan.versions.exists():
        services.plan_version_save(
            actor=payroll,
            plan=plan,
            data={**FIGURES, "effective_from": _months_back(this_month, 6), "note": "Demo figures."},
        )
    for name, kind, minimum, maximum in HUF_BANDS:
        if not SalaryBand.objects.filter(kind=kind, currency="HUF").exists():
            services.salary_band_save(
                actor=payroll,
                data={
                    "name": name,
                    "kind": kind,
                    "currency": "HUF",
                    "minimum": minimum,
                    "maximum": maximum,
                    "source": "Demo data",
                },
            )
    on_plan = set(ManagerPlan.objects.values_list("manager_id", flat=True))
    for manager in ClientManager.objects.exclude(pk__in=on_plan):
        services.manager_plan_set(actor=payroll, manager=manager, plan=plan)

    previous = services.period_get_or_open(month=last_month, actor=payroll)
    if previous.status != PeriodStatus.APPROVED:
        services.period_calculate(period=previous, actor=payroll)
        services.period_approve(period=previous, actor=payroll, note="Demo: approved.")
    current = services.period_get_or_open(month=this_month, actor=payroll)
    if current.status == PeriodStatus.OPEN:
        services.period_calculate(period=current, actor=payroll)
    _ask(current)


def _ask(period) -> None:
    """Anna asks about her portfolio allowance this month (an open query for Payroll to answer)."""
    statement = Statement.objects.filter(period=period, manager__user__username="anna").select_related("manager")
    statement = statement.first()
    if statement is None or LineQuery.objects.filter(period=period, manager=statement.manager).exists():
        return
    kind = "allowance_corporate" if statement.lines.filter(kind="allowance_corporate").exists() else "base"
    services.line_query_create(
        actor=statement.manager.user,
        statement=statement,
        kind=kind,
        comment="Is the client I took over this month counted from the day I got it?",
    )
