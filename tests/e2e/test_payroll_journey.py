"""End to end: Payroll calculates a month (the progress finishes), opens a statement, drills into a line's evidence
and approves the period."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.compensation.choices import PeriodStatus
from rapport.compensation.models import PayPeriod, Statement
from rapport.compensation.tests.support import JANUARY, build_world
from rapport.core.testing import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_payroll_calculates_explains_and_approves_a_month(page, live_server):
    # given Anna and Bence on a HUF plan, Anna holding two clients all January, and an open January
    world = build_world(make_user(Role.MANAGEMENT, username="boss"), calculate=False)
    url = live_server.url

    # when Payroll opens January from the Pay menu and calculates it
    login(page, url, "payroll", PASSWORD)
    page.click("nav.mainnav >> text=Pay")
    page.click("#periods >> text=2026-01")
    page.click("#calculate")
    # then the progress finishes and the statements are listed
    expect(page.locator("#period-status")).to_have_text("Calculated")
    expect(page.locator("#period-progress")).to_have_count(0)
    row = page.locator("#statements tr", has_text="Anna Kovács")
    expect(row).to_contain_text("476,200 HUF")

    # when Payroll opens Anna's statement and drills into the portfolio allowance
    row.locator("a", has_text="Anna Kovács").click()
    line = page.locator("#line-allowance_corporate")
    expect(line).to_contain_text("2 corporate clients, 62 client-days ÷ 31 days in the month.")
    line.locator("summary", has_text="Evidence").click()
    # then the evidence lists both clients with their days (by id: Payroll sees no client names)
    evidence = line.locator("details.evidence")
    expect(evidence).to_contain_text(f"client #{world.alfa.pk}")
    expect(evidence).to_contain_text(f"client #{world.beta.pk}")
    expect(evidence.locator("tbody tr")).to_have_count(2)
    expect(evidence.locator("tbody tr").first).to_contain_text("31")

    # when Payroll goes back to the period and approves it
    page.click("text=The period")
    page.click("#approve-period")
    # then January is approved and locked
    expect(page.locator(".message.success")).to_contain_text("2026-01 is approved and locked.")
    expect(page.locator("#period-status")).to_have_text("Approved")
    period = PayPeriod.objects.get(month=JANUARY)
    assert (period.status, period.approved_by.username, period.running, period.progress) == (
        PeriodStatus.APPROVED,
        "payroll",
        False,
        100,
    )
    assert sorted(Statement.objects.filter(period=period).values_list("manager__user__username", "total")) == [
        ("anna", 476200),
        ("bence", 450000),
    ]
