"""The pay pages: who sees what, Payroll's flows (calculate, query → answer or override, approve), the lock of an
approved period, plans, bands and the what-if — each refusal changing nothing."""

import datetime
from decimal import Decimal

import pytest

from rapport.compensation.choices import PeriodStatus, QueryStatus
from rapport.compensation.models import (
    CompensationPlan,
    LineQuery,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
    StatementLine,
)
from rapport.compensation.tests.support import JANUARY, at, browser, build_world, frozen, huf_plan, pay_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(management):
    return build_world(management)


# role → periods, period, Anna's statement, its PDF, my pay, plans, bands, what-if, CSV export
EXPECTED = {
    "payroll": (200, 200, 200, 200, 403, 200, 200, 200, 200),
    "management": (200, 200, 404, 404, 403, 403, 200, 200, 403),
    "owner": (403, 403, 200, 200, 200, 403, 403, 403, 403),
    "other_manager": (403, 403, 404, 404, 200, 403, 403, 403, 403),
    "hr": (403, 403, 404, 404, 403, 403, 200, 403, 403),
    "anonymous": (302, 302, 302, 302, 302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_pages_by_role(world, role):
    # given a calculated January / when each role opens every pay page
    b = browser(world.users()[role])
    statement = world.statement
    got = tuple(
        b.get(url).status_code
        for url in (
            "/pay/",
            f"/pay/periods/{world.january.pk}/",
            f"/pay/statements/{statement.pk}/",
            f"/pay/statements/{statement.pk}/pdf/",
            "/pay/mine/",
            "/pay/plans/",
            "/pay/bands/",
            "/pay/whatif/",
            f"/pay/periods/{world.january.pk}/export.csv",
        )
    )
    # then each answers as the role allows
    assert got == EXPECTED[role]


def test_management_sees_totals_and_distributions_but_no_person(world):
    # when Management opens January
    page = browser(world.management).get(f"/pay/periods/{world.january.pk}/").content.decode()
    # then the totals, the distribution and the sums per line show (476200 + 450000 = 926200) …
    assert "926,200" in page
    assert "476,200" in page  # the highest total
    assert "463,100" in page  # the median of two
    assert "Acquisition bonus" in page
    # … but no manager's name and no link to a statement
    assert "Kovács" not in page and "Szabó" not in page
    assert "/pay/statements/" not in page


def test_payroll_sees_every_statement_with_its_open_queries(world):
    page = browser(world.payroll).get(f"/pay/periods/{world.january.pk}/").content.decode()
    assert "Anna Kovács" in page and "Bence Szabó" in page
    assert f"/pay/statements/{world.statement.pk}/" in page


def test_the_statement_explains_every_line_down_to_the_clients(world):
    # when Anna opens her January statement
    page = browser(world.anna.user).get(f"/pay/statements/{world.statement.pk}/").content.decode()
    # then each line has its sentence
    assert "Base salary of a middle manager: 31 of 31 days employed." in page
    assert "2 corporate clients, 62 client-days ÷ 31 days in the month." in page
    assert "1 client won in the month." in page
    # and the evidence names her clients with links and their days
    assert f'<a href="/clients/{world.alfa.pk}/">Alfa Kft.</a>' in page
    assert f'<a href="/clients/{world.beta.pk}/">Béta Kft.</a>' in page
    assert "476,200" in page


def test_payroll_sees_client_ids_not_names(world):
    # Payroll has no client visibility: the evidence says "client #id"
    page = browser(world.payroll).get(f"/pay/statements/{world.statement.pk}/").content.decode()
    assert f"client #{world.alfa.pk}" in page
    assert "Alfa Kft." not in page


def test_my_pay_lists_only_my_statements(world):
    page = browser(world.anna.user).get("/pay/mine/").content.decode()
    assert f"/pay/statements/{world.statement.pk}/" in page
    assert f"/pay/statements/{world.bence_statement.pk}/" not in page
    assert "2026-01" in page


def test_the_statement_pdf_is_a_pdf(world):
    response = browser(world.anna.user).get(f"/pay/statements/{world.statement.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_query_answered_by_payroll(world):
    # given Anna asks about her base line
    response = browser(world.anna.user).post(
        f"/pay/statements/{world.statement.pk}/query/", {"line": "base|", "comment": "I was promised 460000."}
    )
    assert response.status_code == 302
    query = LineQuery.objects.get()
    assert (query.kind, query.status, query.comment) == ("base", QueryStatus.OPEN, "I was promised 460000.")
    # when Payroll answers it
    browser(world.payroll).post(f"/pay/queries/{query.pk}/answer/", {"answer": "The raise starts in March."})
    # then it is answered, and Anna reads the answer
    query.refresh_from_db()
    assert (query.status, query.answer, query.answered_by) == (
        QueryStatus.ANSWERED,
        "The raise starts in March.",
        world.payroll,
    )
    page = browser(world.anna.user).get(f"/pay/statements/{world.statement.pk}/").content.decode()
    assert "The raise starts in March." in page


def test_a_query_closed_by_an_override(world):
    # given Anna's open query about her base
    browser(world.anna.user).post(
        f"/pay/statements/{world.statement.pk}/query/", {"line": "base|", "comment": "Promised 460000."}
    )
    query = LineQuery.objects.get()
    # when Payroll overrides the line from the query
    browser(world.payroll).post(
        f"/pay/statements/{world.statement.pk}/override/",
        {"line": "base|", "amount": "460000", "reason": "Agreed raise", "query": query.pk},
    )
    # then the line pays 460000 (computed 450000), the total follows and the query is closed as overridden
    line = StatementLine.objects.get(statement=world.statement, kind="base")
    assert (line.amount, line.computed_amount) == (Decimal("460000"), Decimal("450000"))
    assert world.statement.total == Decimal("486200")
    query.refresh_from_db()
    assert (query.status, query.answer) == (QueryStatus.OVERRIDDEN, "Agreed raise")
    # and the statement says who overrode it and why
    page = browser(world.anna.user).get(f"/pay/statements/{world.statement.pk}/").content.decode()
    assert "(overridden by Payroll: Agreed raise)" in page
    assert "Overridden by Pál Bér: Agreed raise" in page


def test_an_override_with_fractions_of_a_forint_is_refused(world):
    before = pay_state()
    browser(world.payroll).post(
        f"/pay/statements/{world.statement.pk}/override/", {"line": "base|", "amount": "460000.50", "reason": "x"}
    )
    assert pay_state() == before


def test_a_manager_cannot_query_another_managers_statement(world):
    before = pay_state()
    response = browser(world.bence.user).post(
        f"/pay/statements/{world.statement.pk}/query/", {"line": "base|", "comment": "Why?"}
    )
    assert response.status_code == 404
    assert pay_state() == before


@pytest.mark.parametrize("role", ["management", "owner", "hr"])
def test_only_payroll_runs_a_period(world, role):
    # given an open query, so that answering is possible at all
    LineQuery.objects.create(
        period=world.january, manager=world.anna, kind="base", comment="Why?", author=world.anna.user
    )
    before = pay_state()
    b = browser(world.users()[role])
    statuses = {
        b.post(f"/pay/periods/{world.january.pk}/calculate/").status_code,
        b.post(f"/pay/periods/{world.january.pk}/approve/").status_code,
        b.post(
            f"/pay/statements/{world.statement.pk}/override/", {"line": "base|", "amount": "1", "reason": "x"}
        ).status_code,
        b.post(f"/pay/queries/{LineQuery.objects.get().pk}/answer/", {"answer": "No."}).status_code,
    }
    assert statuses == {403}
    assert pay_state() == before


def test_calculating_from_the_page_runs_in_the_background_and_reports_progress(
    world, django_capture_on_commit_callbacks
):
    # given an open February (the tests' task backend runs the task at once)
    february = PayPeriod.objects.create(month=datetime.date(2026, 2, 1))
    b = browser(world.payroll)
    # when Payroll clicks Calculate (the task is queued after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = b.post(f"/pay/periods/{february.pk}/calculate/")
    # then the period is calculated with both statements, and the progress poll asks for a refresh
    assert response.status_code == 302
    february.refresh_from_db()
    assert (february.status, february.running, february.progress) == (PeriodStatus.CALCULATED, False, 100)
    assert Statement.objects.filter(period=february).count() == 2
    poll = b.get(f"/pay/periods/{february.pk}/?progress=1", headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"


def test_a_running_calculation_shows_its_progress_bar(world):
    PayPeriod.objects.filter(pk=world.january.pk).update(running=True, progress=50)
    b = browser(world.payroll)
    poll = b.get(f"/pay/periods/{world.january.pk}/?progress=1", headers={"HX-Request": "true"})
    assert '<progress max="100" value="50"' in poll.content.decode()
    page = b.get(f"/pay/periods/{world.january.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'id="calculate"' not in page


def test_open_queries_block_approval_until_forced_with_a_note(world):
    LineQuery.objects.create(
        period=world.january, manager=world.anna, kind="base", comment="Why?", author=world.anna.user
    )
    b = browser(world.payroll)
    page = b.get(f"/pay/periods/{world.january.pk}/").content.decode()
    assert "1 query is still open." in page
    # when approving without forcing, or forcing without a note / then nothing changes
    before = pay_state()
    b.post(f"/pay/periods/{world.january.pk}/approve/")
    b.post(f"/pay/periods/{world.january.pk}/approve/", {"force": "on"})
    assert pay_state() == before
    # when forcing with a note / then January is approved with the note
    b.post(f"/pay/periods/{world.january.pk}/approve/", {"force": "on", "note": "Answered by phone"})
    world.january.refresh_from_db()
    assert (world.january.status, world.january.approval_note, world.january.approved_by) == (
        PeriodStatus.APPROVED,
        "Answered by phone",
        world.payroll,
    )


def test_an_approved_period_refuses_every_change_from_the_pages(world):
    # given January approved
    b = browser(world.payroll)
    with frozen(at(2026, 2, 4)):
        b.post(f"/pay/periods/{world.january.pk}/approve/")
    world.january.refresh_from_db()
    assert world.january.status == PeriodStatus.APPROVED
    query = LineQuery.objects.create(
        period=world.january, manager=world.anna, kind="base", comment="Why?", author=world.anna.user
    )
    before = pay_state()
    # when Payroll recalculates, approves again, overrides, answers, and Anna asks
    b.post(f"/pay/periods/{world.january.pk}/calculate/")
    b.post(f"/pay/periods/{world.january.pk}/approve/")
    b.post(f"/pay/statements/{world.statement.pk}/override/", {"line": "base|", "amount": "1", "reason": "x"})
    b.post(f"/pay/queries/{query.pk}/answer/", {"answer": "No."})
    browser(world.anna.user).post(f"/pay/statements/{world.statement.pk}/query/", {"line": "base|", "comment": "Why?"})
    # then nothing changed, and the page says why
    assert pay_state() == before
    page = b.get(f"/pay/periods/{world.january.pk}/").content.decode()
    assert 'id="calculate"' not in page and 'id="approve-period"' not in page
    mine = browser(world.anna.user).get(f"/pay/statements/{world.statement.pk}/").content.decode()
    assert 'id="send-query"' not in mine


def test_payroll_opens_a_month_but_not_a_future_one(world):
    b = browser(world.payroll)
    response = b.post("/pay/periods/open/", {"month": "2026-02"})
    february = PayPeriod.objects.get(month=datetime.date(2026, 2, 1))
    assert response["Location"] == f"/pay/periods/{february.pk}/"
    with frozen(at(2026, 3, 5)):
        b.post("/pay/periods/open/", {"month": "2026-05"})
    assert not PayPeriod.objects.filter(month=datetime.date(2026, 5, 1)).exists()


# ---------------------------------------------------------------------------------------------------------------
# Plans, managers' plans, bands
# ---------------------------------------------------------------------------------------------------------------

VERSION_POST = {
    "effective_from": "2026-03",
    "base_junior": "310000",
    "base_middle": "460000",
    "base_senior": "610000",
    "allowance_corporate": "3100",
    "allowance_vip": "6200",
    "acquisition_bonus": "20000",
    "acquisition_bonus_vip": "50000",
    "service_bonus": "1000",
    "rating_tiers": "4.8 40000\n4.5 20000\n",
    "rating_min_count": "3",
    "bonus_cap_percent": "10",
    "note": "Raise",
}


def test_payroll_creates_a_plan_and_a_version_with_rating_tiers(payroll):
    b = browser(payroll)
    response = b.post("/pay/plans/new/", {"name": "Sales", "currency": "HUF", "description": ""})
    plan = CompensationPlan.objects.get(name="Sales")
    assert response["Location"] == f"/pay/plans/{plan.pk}/"
    response = b.post(f"/pay/plans/{plan.pk}/versions/new/", VERSION_POST)
    assert response.status_code == 302
    version = PlanVersion.objects.get(plan=plan)
    assert (version.effective_from, version.base_middle, version.bonus_cap_percent) == (
        datetime.date(2026, 3, 1),
        Decimal("460000"),
        Decimal("10"),
    )
    assert version.rating_tiers == [{"threshold": "4.5", "amount": "20000"}, {"threshold": "4.8", "amount": "40000"}]
    page = b.get(f"/pay/plans/{plan.pk}/").content.decode()
    assert "From 2026-03" in page


def test_tiers_that_do_not_parse_are_refused_and_nothing_is_saved(payroll):
    plan = huf_plan(payroll)
    b = browser(payroll)
    response = b.post(f"/pay/plans/{plan.pk}/versions/new/", {**VERSION_POST, "rating_tiers": "4.5"})
    assert "Line 1: write a threshold and an amount" in response.content.decode()
    response = b.post(f"/pay/plans/{plan.pk}/versions/new/", {**VERSION_POST, "rating_tiers": "7 100"})
    assert "Rating tiers are a list" in response.content.decode()
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_version_paid_in_an_approved_month_cannot_be_edited(world):
    b = browser(world.payroll)
    b.post(f"/pay/periods/{world.january.pk}/approve/")
    version = PlanVersion.objects.get()
    page = b.get(f"/pay/versions/{version.pk}/edit/").content.decode()
    assert "Approved statements were paid with this version" in page
    response = b.post(f"/pay/versions/{version.pk}/edit/", {**VERSION_POST, "effective_from": "2025-12"})
    assert response.status_code == 200
    version.refresh_from_db()
    assert version.base_middle == Decimal("450000")


def test_payroll_moves_a_manager_to_another_plan_from_the_row(world):
    other = huf_plan(world.payroll, name="Seniors")
    response = browser(world.payroll).post(
        f"/pay/managers/{world.bence.pk}/plan/", {"plan": other.pk}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().strip().startswith(f'<tr id="manager-{world.bence.pk}">')
    assert "Saved" in response.content.decode()
    assert ManagerPlan.objects.get(manager=world.bence).plan == other
    # Management may not
    response = browser(world.management).post(f"/pay/managers/{world.bence.pk}/plan/", {"plan": world.plan.pk})
    assert response.status_code == 403
    assert ManagerPlan.objects.get(manager=world.bence).plan == other


def test_bands_show_each_managers_position_to_payroll_and_management_only(world):
    # given an offered HUF band of 300000–600000: a middle base of 450000 lies at 50 %
    SalaryBand.objects.create(name="Budapest", kind="offered", currency="HUF", minimum=300000, maximum=600000)
    management = browser(world.management).get("/pay/bands/").content.decode()
    assert "Where each manager's base lies" in management
    assert '<meter min="0" max="100" value="50.0">50.0</meter> 50 %' in management
    # the source document's bands ship with the product
    assert "4,500" in management and "24,000" in management
    hr = browser(world.hr).get("/pay/bands/").content.decode()
    assert "Budapest" in hr and "<meter" not in hr


def test_payroll_edits_a_band_and_hr_may_not(world):
    band = SalaryBand.objects.get(kind="offered", currency="USD")
    response = browser(world.hr).post(f"/pay/bands/{band.pk}/edit/", {"name": "x"})
    assert response.status_code == 403
    browser(world.payroll).post(
        f"/pay/bands/{band.pk}/edit/",
        {"name": band.name, "kind": "offered", "currency": "USD", "minimum": "200", "maximum": "900", "source": ""},
    )
    band.refresh_from_db()
    assert (band.minimum, band.maximum) == (Decimal("200"), Decimal("900"))
    # a band whose minimum exceeds its maximum is refused
    browser(world.payroll).post(
        f"/pay/bands/{band.pk}/edit/",
        {"name": band.name, "kind": "offered", "currency": "USD", "minimum": "900", "maximum": "100", "source": ""},
    )
    band.refresh_from_db()
    assert (band.minimum, band.maximum) == (Decimal("200"), Decimal("900"))


# ---------------------------------------------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------------------------------------------


def _whatif_query(version, **extra):
    return {"source": "version", "version": version.pk, "start": "2026-01", "end": "2026-01", **extra}


def test_whatif_of_a_richer_version_per_month_and_per_manager(world):
    # given a version paying 30000 per acquisition instead of 20000
    richer = huf_plan(world.payroll, name="Richer", acquisition_bonus=Decimal("30000")).versions.get()
    # when Payroll compares it on January
    page = browser(world.payroll).get("/pay/whatif/", _whatif_query(richer)).content.decode()
    # then January paid 926200 and would have paid 936200 (+10000), Anna +10000 and Bence 0
    row = '<td>2026-01</td><td class="num">926,200</td><td class="num">936,200</td><td class="num">10,000</td>'
    assert row in page
    assert "Anna Kovács" in page and "Bence Szabó" in page
    assert "<svg" in page and ">926k</text>" in page and ">936k</text>" in page


def test_management_sees_whatif_totals_only(world):
    richer = huf_plan(world.payroll, name="Richer", acquisition_bonus=Decimal("30000")).versions.get()
    page = browser(world.management).get("/pay/whatif/", _whatif_query(richer)).content.decode()
    assert '<td class="num">936,200</td>' in page
    assert "Kovács" not in page and "Szabó" not in page


def test_whatif_of_draft_figures_typed_in_the_form(world):
    draft = {
        "source": "draft",
        "currency": "HUF",
        "start": "2026-01",
        "end": "2026-01",
        **{k: v for k, v in VERSION_POST.items() if k not in ("effective_from", "note", "bonus_cap_percent")},
        "rating_tiers": "",
    }
    before = (PlanVersion.objects.count(), pay_state())
    page = browser(world.payroll).get("/pay/whatif/", draft).content.decode()
    # Anna 460000 + 6200 + 20000, Bence 460000: 946200 against 926200 paid; nothing saved
    assert '<td class="num">946,200</td>' in page
    assert '<td class="num">20,000</td>' in page
    assert (PlanVersion.objects.count(), pay_state()) == before


def test_whatif_refuses_a_future_month(world):
    richer = huf_plan(world.payroll, name="Richer").versions.get()
    page = browser(world.payroll).get("/pay/whatif/", _whatif_query(richer, end="2099-01")).content.decode()
    assert "A what-if runs on past and current months only." in page
    assert 'id="whatif-result"' not in page


def test_january_is_the_fixture(world):
    assert world.january.month == JANUARY
    assert world.statement.total == Decimal("476200")


# ---------------------------------------------------------------------------------------------------------------
# Query counts and the admin
# ---------------------------------------------------------------------------------------------------------------


def _period_page_queries(world) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    b = browser(world.payroll)
    with CaptureQueriesContext(connection) as queries:
        assert b.get(f"/pay/periods/{world.january.pk}/").status_code == 200
    return len(queries)


def test_the_period_page_queries_do_not_grow_with_statements(world):
    from rapport.compensation import services
    from rapport.core.testing import make_manager

    few = _period_page_queries(world)
    for _ in range(4):
        manager = make_manager(hire_date=datetime.date(2025, 1, 1))
        services.manager_plan_set(actor=world.payroll, manager=manager, plan=world.plan)
    services.period_calculate(period=world.january, actor=world.payroll)
    assert Statement.objects.filter(period=world.january).count() == 6
    assert _period_page_queries(world) == few


MODELS = [
    "compensationplan",
    "planversion",
    "managerplan",
    "salaryband",
    "payperiod",
    "statement",
    "statementline",
    "lineoverride",
    "linequery",
    "adjustment",
]


@pytest.mark.parametrize("model", MODELS)
def test_the_admin_shows_pay_read_only(world, admin_user, model):
    b = browser(admin_user)
    assert b.get(f"/admin/compensation/{model}/").status_code == 200
    # only the reference bands may be added by hand
    assert b.get(f"/admin/compensation/{model}/add/").status_code == (200 if model == "salaryband" else 403)


def test_the_admin_shows_a_statement_and_its_history(world, admin_user):
    b = browser(admin_user)
    assert b.get(f"/admin/compensation/statement/{world.statement.pk}/change/").status_code == 200
    assert b.get(f"/admin/compensation/statement/{world.statement.pk}/history/").status_code == 200
    assert b.get(f"/admin/compensation/payperiod/{world.january.pk}/history/").status_code == 200
