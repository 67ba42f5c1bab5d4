"""The demo company's pay: a plan for everyone, last month approved, this month calculated; built only once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from rapport.compensation.choices import PeriodStatus
from rapport.compensation.models import (
    CompensationPlan,
    LineQuery,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
)
from rapport.demo.pay import build_pay
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (CompensationPlan, PlanVersion, ManagerPlan, SalaryBand, PayPeriod, Statement, LineQuery)
    )


def test_the_demo_pays_every_manager_once():
    # given the demo company
    call_command("demo", stdout=io.StringIO())
    this_month = timezone.localdate().replace(day=1)
    # then every manager is on the HUF plan, last month is approved and this month calculated
    assert ManagerPlan.objects.count() == ClientManager.objects.count() == 9
    periods = list(PayPeriod.objects.order_by("month").values_list("month", "status"))
    assert periods[-1] == (this_month, PeriodStatus.CALCULATED)
    assert periods[-2][1] == PeriodStatus.APPROVED
    assert Statement.objects.filter(period__month=this_month).count() == 9
    # and the source document's bands sit beside the demo's HUF bands
    assert set(SalaryBand.objects.values_list("kind", "currency")) == {
        (kind, currency) for kind in ("desired", "offered") for currency in ("HUF", "RUB", "USD")
    }
    assert LineQuery.objects.filter(status="open").count() == 1
    # when built again / then nothing is added or recalculated
    before = counts()
    build_pay(payroll=get_user_model().objects.get(username="payroll"))
    assert counts() == before
