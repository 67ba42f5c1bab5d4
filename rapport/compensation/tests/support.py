"""Helpers of the pay interface tests: a HUF plan, a small company with a calculated January 2026, browsers."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.test import Client as Browser
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.compensation import services
from rapport.compensation.models import CompensationPlan, PayPeriod, Statement
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.managers.choices import ManagerLevel
from rapport.pipeline.models import Acquisition, Opportunity

ZONE = timezone.get_default_timezone()
JANUARY = datetime.date(2026, 1, 1)


def at(year, month, day, hour=12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ZONE)


def frozen(moment: datetime.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


FIGURES = {
    "base_junior": Decimal("300000"),
    "base_middle": Decimal("450000"),
    "base_senior": Decimal("600000"),
    "allowance_corporate": Decimal("3100"),
    "allowance_vip": Decimal("6200"),
    "acquisition_bonus": Decimal("20000"),
    "acquisition_bonus_vip": Decimal("50000"),
    "service_bonus": Decimal("1000"),
    "rating_tiers": [],
    "rating_min_count": 3,
    "bonus_cap_percent": None,
}


def huf_plan(payroll, name="Standard", **figures) -> CompensationPlan:
    plan = services.plan_save(actor=payroll, data={"name": name, "currency": "HUF"})
    services.plan_version_save(
        actor=payroll, plan=plan, data={"effective_from": datetime.date(2025, 12, 1), **FIGURES, **figures}
    )
    return plan


def acquisition(manager, client, day: datetime.date, was_vip=False) -> Acquisition:
    moment = at(day.year, day.month, day.day)
    opportunity = Opportunity.objects.create(
        client=client,
        manager=manager,
        title="Deal",
        stage="won",
        stage_changed_at=moment,
        closed_at=moment,
        created_by=manager.user,
    )
    return Acquisition.objects.create(
        client=client,
        manager=manager,
        opportunity=opportunity,
        acquired_on=day,
        was_vip=was_vip,
        credited_by=manager.user,
    )


@dataclass
class World:
    payroll: object
    management: object
    hr: object
    anna: object  # a middle manager with two clients all January and one acquisition
    bence: object  # a middle manager with nothing but his base
    plan: CompensationPlan
    january: PayPeriod
    alfa: object
    beta: object
    gamma: object
    won: object

    @property
    def statement(self) -> Statement:
        return Statement.objects.get(period=self.january, manager=self.anna)

    @property
    def bence_statement(self) -> Statement:
        return Statement.objects.get(period=self.january, manager=self.bence)

    def users(self) -> dict:
        return {
            "payroll": self.payroll,
            "management": self.management,
            "owner": self.anna.user,
            "other_manager": self.bence.user,
            "hr": self.hr,
            "anonymous": None,
        }


def build_world(management, *, calculate=True) -> World:
    """Anna (Kovács) and Bence (Szabó), middle managers hired in 2025 on a HUF plan; Anna holds Alfa Kft. and
    Béta Kft. all of January 2026 and won Gamma Kft. on 10 January. January is calculated (not approved):
    Anna 450000 + 6200 + 20000 = 476200, Bence 450000."""
    payroll = make_user(Role.PAYROLL, username="payroll", first_name="Pál", last_name="Bér")
    hr = make_user(Role.HR, username="hr")
    anna = make_manager(
        user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"),
        level=ManagerLevel.MIDDLE,
        hire_date=datetime.date(2025, 1, 1),
    )
    bence = make_manager(
        user=make_user(Role.CLIENT_MANAGER, username="bence", first_name="Bence", last_name="Szabó"),
        level=ManagerLevel.MIDDLE,
        hire_date=datetime.date(2025, 1, 1),
    )
    plan = huf_plan(payroll)
    for manager in (anna, bence):
        services.manager_plan_set(actor=payroll, manager=manager, plan=plan)
    alfa = make_client(name="Alfa Kft.")
    beta = make_client(name="Béta Kft.")
    for client in (alfa, beta):
        make_assignment(client, anna, actor=management, start_date=datetime.date(2025, 6, 1))
    gamma = make_client(name="Gamma Kft.")
    won = acquisition(anna, gamma, datetime.date(2026, 1, 10))
    january = PayPeriod.objects.create(month=JANUARY)
    if calculate:
        with frozen(at(2026, 2, 3)):
            services.period_calculate(period=january, actor=payroll)
        january.refresh_from_db()
    return World(payroll, management, hr, anna, bence, plan, january, alfa, beta, gamma, won)


def browser(user=None) -> Browser:
    b = Browser()
    if user is not None:
        b.force_login(user)
    return b


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def pay_state() -> tuple:
    """Everything a pay write could change, to assert a refusal changed nothing."""
    from rapport.compensation.models import LineOverride, LineQuery, StatementLine

    return (
        list(PayPeriod.objects.order_by("pk").values_list("pk", "status", "approved_at", "calculated_at", "running")),
        list(Statement.objects.order_by("pk").values_list("pk", "total")),
        list(StatementLine.objects.order_by("pk").values_list("pk", "kind", "amount", "computed_amount")),
        list(LineQuery.objects.order_by("pk").values_list("pk", "status", "answer")),
        list(LineOverride.objects.order_by("pk").values_list("pk", "amount", "reason")),
    )
