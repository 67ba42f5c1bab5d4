"""Calculating, approving and correcting pay periods from the facts in the database."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.clients.choices import ClientStatus
from rapport.compensation import services
from rapport.compensation.choices import LineKind, PeriodStatus
from rapport.compensation.engine.calculate import calculate
from rapport.compensation.models import (
    Adjustment,
    CompensationPlan,
    LineQuery,
    PayPeriod,
    Statement,
    StatementLine,
)
from rapport.compensation.snapshot import facts_from_json, rates_from_json
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.managers.choices import ManagerLevel, WorkMode
from rapport.pipeline.models import Acquisition, Opportunity

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=ZONE)


@pytest.fixture
def payroll_user(db):
    return make_user(Role.PAYROLL, username="pay")


def huf_plan(payroll_user, **figures):
    plan = services.plan_save(actor=payroll_user, data={"name": "Standard", "currency": "HUF"})
    data = {
        "effective_from": datetime.date(2026, 1, 1),
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
        **figures,
    }
    services.plan_version_save(actor=payroll_user, plan=plan, data=data)
    return plan


def acquisition(manager, client, day: datetime.date, was_vip=False):
    opportunity = Opportunity.objects.create(
        client=client,
        manager=manager,
        title="Deal",
        stage="won",
        stage_changed_at=at(day.year, day.month, day.day),
        closed_at=at(day.year, day.month, day.day),
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


def lines_of(manager, month) -> dict[str, Decimal]:
    statement = Statement.objects.get(manager=manager, period__month=month)
    return {line.kind: line.amount for line in statement.lines.order_by("position")}


def test_a_month_is_calculated_from_the_database_facts(payroll_user):
    # given a middle manager hired 1 Jan 2025 on the HUF plan, holding two corporate clients all of January 2026
    # (31 days) and one from 21 January (11 days), with one acquisition on 10 January
    plan = huf_plan(payroll_user)
    anna = make_manager(level=ManagerLevel.MIDDLE, hire_date=datetime.date(2025, 1, 1))
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    for _ in range(2):
        make_assignment(make_client(), anna, start_date=datetime.date(2025, 6, 1))
    make_assignment(make_client(), anna, start_date=datetime.date(2026, 1, 21))
    acquisition(anna, make_client(status=ClientStatus.ACTIVE), datetime.date(2026, 1, 10))
    period = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))

    # when Payroll calculates January
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        result = services.period_calculate(period=period, actor=payroll_user)

    # then base 450000; allowance (31+31+11) client-days × 3100 ÷ 31 = 7300; acquisition 20000; total 477300
    assert result["statements"] == 1
    assert lines_of(anna, datetime.date(2026, 1, 1)) == {
        "base": Decimal("450000"),
        "allowance_corporate": Decimal("7300"),
        "acquisition": Decimal("20000"),
    }
    statement = Statement.objects.get(manager=anna)
    assert statement.total == Decimal("477300")
    period.refresh_from_db()
    assert period.status == PeriodStatus.CALCULATED
    # and the snapshot recomputes to the same figures
    again = calculate(facts_from_json(statement.inputs["facts"]), rates_from_json(statement.inputs["rates"]))
    assert again.total == statement.total


def test_an_undone_acquisition_after_approval_is_clawed_back_next_month(payroll_user):
    # given January approved with one acquisition of Anna's
    plan = huf_plan(payroll_user)
    anna = make_manager(level=ManagerLevel.MIDDLE, hire_date=datetime.date(2025, 1, 1), work_mode=WorkMode.PERSONAL)
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    won = acquisition(anna, make_client(status=ClientStatus.ACTIVE), datetime.date(2026, 1, 10))
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        services.period_calculate(period=january, actor=payroll_user)
        services.period_approve(period=january, actor=payroll_user)
    # when the win is undone on 5 February and February is calculated
    Acquisition.objects.filter(pk=won.pk).update(
        reversed_at=at(2026, 2, 5), reversed_by=payroll_user, reversal_reason="Fell through"
    )
    february = PayPeriod.objects.create(month=datetime.date(2026, 2, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 2)):
        services.period_calculate(period=february, actor=payroll_user)
        # and calculated again (a recalculation must not post it twice)
        services.period_calculate(period=february, actor=payroll_user)

    # then February pays a clawback of -20000 referencing January, once; January is unchanged
    clawbacks = StatementLine.objects.filter(statement__period=february, kind=LineKind.CLAWBACK)
    assert [(line.amount, line.reference_month) for line in clawbacks] == [
        (Decimal("-20000"), datetime.date(2026, 1, 1))
    ]
    assert Adjustment.objects.count() == 1
    assert lines_of(anna, datetime.date(2026, 1, 1))["acquisition"] == Decimal("20000")
    # and once February is approved, March pays nothing more for January
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 2)):
        services.period_approve(period=february, actor=payroll_user)
    march = PayPeriod.objects.create(month=datetime.date(2026, 3, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 4, 2)):
        services.period_calculate(period=march, actor=payroll_user)
    assert not StatementLine.objects.filter(
        statement__period=march, kind__in=[LineKind.CLAWBACK, LineKind.ADJUSTMENT]
    ).exists()


def test_a_capped_month_undone_never_raises_pay(payroll_user):
    # given a plan capping bonuses at 10 % of the base (45000) and three acquisitions in January (60000 → capped)
    plan = huf_plan(payroll_user, bonus_cap_percent=Decimal("10"))
    anna = make_manager(level=ManagerLevel.MIDDLE, hire_date=datetime.date(2025, 1, 1))
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    wins = [acquisition(anna, make_client(), datetime.date(2026, 1, 5 + i)) for i in range(3)]
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        services.period_calculate(period=january, actor=payroll_user)
        services.period_approve(period=january, actor=payroll_user)
    assert lines_of(anna, datetime.date(2026, 1, 1))["cap"] == Decimal("-15000")
    # when one win is undone
    Acquisition.objects.filter(pk=wins[0].pk).update(reversed_at=at(2026, 2, 5), reversal_reason="Fell through")
    february = PayPeriod.objects.create(month=datetime.date(2026, 2, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 2)):
        services.period_calculate(period=february, actor=payroll_user)
    # then the clawback (-20000) is partly offset by the cap no longer biting (+15000): net -5000, never positive
    corrections = {
        line.kind: line.amount
        for line in StatementLine.objects.filter(
            statement__period=february, kind__in=[LineKind.CLAWBACK, LineKind.ADJUSTMENT]
        )
    }
    assert corrections == {"clawback": Decimal("-20000"), "adjustment": Decimal("15000")}
    assert sum(corrections.values()) == Decimal("-5000")


def test_an_approved_period_refuses_every_change(payroll_user):
    # given an approved January
    plan = huf_plan(payroll_user)
    anna = make_manager(hire_date=datetime.date(2025, 1, 1))
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        services.period_calculate(period=january, actor=payroll_user)
        services.period_approve(period=january, actor=payroll_user)
    statement = Statement.objects.get()
    before = (statement.total, list(statement.lines.values_list("kind", "amount")), LineQuery.objects.count())
    # when Payroll recalculates, overrides or approves again, and the manager queries a line
    attempts = [
        lambda: services.period_calculate(period=january, actor=payroll_user),
        lambda: services.line_override_set(
            actor=payroll_user, statement=statement, kind="base", amount=Decimal(1), reason="x"
        ),
        lambda: services.period_approve(period=january, actor=payroll_user),
        lambda: services.line_query_create(actor=anna.user, statement=statement, kind="base", comment="Why?"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.code == "period_locked"
    # then nothing changed
    statement.refresh_from_db()
    assert (statement.total, list(statement.lines.values_list("kind", "amount")), LineQuery.objects.count()) == before


def test_open_queries_block_approval_unless_forced_with_a_note(payroll_user):
    plan = huf_plan(payroll_user)
    anna = make_manager(hire_date=datetime.date(2025, 1, 1))
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        services.period_calculate(period=january, actor=payroll_user)
    statement = Statement.objects.get()
    services.line_query_create(actor=anna.user, statement=statement, kind="base", comment="Why so low?")
    with pytest.raises(ValidationError) as exc:
        services.period_approve(period=january, actor=payroll_user)
    assert exc.value.code == "open_queries"
    with pytest.raises(ValidationError) as exc:
        services.period_approve(period=january, actor=payroll_user, force=True)
    assert exc.value.error_dict["note"][0].code == "approval_note_required"
    january.refresh_from_db()
    assert january.status == PeriodStatus.CALCULATED
    services.period_approve(period=january, actor=payroll_user, force=True, note="Answered by phone")
    january.refresh_from_db()
    assert (january.status, january.approval_note) == (PeriodStatus.APPROVED, "Answered by phone")


def test_an_override_survives_recalculation(payroll_user):
    plan = huf_plan(payroll_user)
    anna = make_manager(hire_date=datetime.date(2025, 1, 1), level=ManagerLevel.MIDDLE)
    services.manager_plan_set(actor=payroll_user, manager=anna, plan=plan)
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 2, 3)):
        services.period_calculate(period=january, actor=payroll_user)
        statement = Statement.objects.get()
        query = services.line_query_create(actor=anna.user, statement=statement, kind="base", comment="Promised 460k")
        services.line_override_set(
            actor=payroll_user,
            statement=statement,
            kind="base",
            amount=Decimal("460000"),
            reason="Agreed raise",
            query=query,
        )
        services.period_calculate(period=january, actor=payroll_user)
    line = StatementLine.objects.get(statement__manager=anna, kind="base")
    assert (line.amount, line.computed_amount) == (Decimal("460000"), Decimal("450000"))
    assert Statement.objects.get().total == Decimal("460000")
    query.refresh_from_db()
    assert query.status == "overridden"


def test_only_payroll_calculates(management):
    period = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.period_calculate(period=period, actor=management)
    assert Statement.objects.count() == 0
    assert CompensationPlan.objects.count() == 0
