"""``manage.py payroll``: calculate, approve (forced with a note when queries are open) and what-if, as a named
user; refusals change nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from rapport.compensation.choices import PeriodStatus
from rapport.compensation.models import LineQuery, PayPeriod, Statement
from rapport.compensation.tests.support import at, build_world, frozen, huf_plan, pay_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(management):
    return build_world(management, calculate=False)


def run(*args) -> str:
    out = io.StringIO()
    call_command("payroll", *args, stdout=out)
    return out.getvalue()


def test_calculate_then_approve(world):
    # when Payroll calculates January from the command line
    with frozen(at(2026, 2, 3)):
        out = run("calculate", "--month", "2026-01", "--as", "payroll")
    # then both statements exist and the summary is printed
    assert "2026-01 calculated: 2 statements, 0 adjustments for approved months." in out
    assert "Total 926200.00 HUF over 2 statements." in out
    assert Statement.objects.get(manager=world.anna).total == Decimal("476200")
    # when approving
    with frozen(at(2026, 2, 4)):
        out = run("approve", "--month", "2026-01", "--as", "payroll")
    assert "2026-01 approved." in out
    assert PayPeriod.objects.get(month=datetime.date(2026, 1, 1)).status == PeriodStatus.APPROVED


def test_open_queries_need_force_and_a_note(world):
    with frozen(at(2026, 2, 3)):
        run("calculate", "--month", "2026-01", "--as", "payroll")
    LineQuery.objects.create(
        period=world.january, manager=world.anna, kind="base", comment="Why?", author=world.anna.user
    )
    before = pay_state()
    with pytest.raises(CommandError, match="1 query is still open"):
        run("approve", "--month", "2026-01", "--as", "payroll")
    with pytest.raises(CommandError, match="Say why"):
        run("approve", "--month", "2026-01", "--force", "--as", "payroll")
    assert pay_state() == before
    run("approve", "--month", "2026-01", "--force", "--note", "Answered by phone", "--as", "payroll")
    world.january.refresh_from_db()
    assert (world.january.status, world.january.approval_note) == (PeriodStatus.APPROVED, "Answered by phone")


def test_only_payroll_may(world):
    before = pay_state()
    with pytest.raises(CommandError, match="Only Payroll may do this"):
        run("calculate", "--month", "2026-01", "--as", "boss")
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        run("calculate", "--month", "2026-01", "--as", "nobody")
    with pytest.raises(CommandError, match="Not a month"):
        run("calculate", "--month", "January", "--as", "payroll")
    assert pay_state() == before


def test_whatif_prints_a_table(world):
    with frozen(at(2026, 2, 3)):
        run("calculate", "--month", "2026-01", "--as", "payroll")
    richer = huf_plan(world.payroll, name="Richer", acquisition_bonus=Decimal("30000")).versions.get()
    before = pay_state()
    out = run("whatif", "--month", "2026-01", "--version", str(richer.pk), "--as", "payroll")
    lines = out.splitlines()
    assert lines[1].split() == ["month", "paid", "what-if", "difference"]
    assert lines[2].split() == ["2026-01", "926200", "936200", "+10000"]
    assert lines[3].split() == ["total", "926200", "936200", "+10000"]
    assert lines[4].split() == ["2026-01", "Anna", "Kovács", "476200", "486200", "+10000"]
    assert pay_state() == before
