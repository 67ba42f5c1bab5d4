"""The pay API: who reads what, Payroll's flows, a manager's queries, the lock of an approved period, plans and the
what-if; refusals change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.compensation import services
from rapport.compensation.choices import PeriodStatus, QueryStatus
from rapport.compensation.models import CompensationPlan, LineQuery, PayPeriod, PlanVersion, Statement
from rapport.compensation.tests.support import api, build_world, huf_plan, pay_state
from rapport.core.testing import make_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(management):
    return build_world(management)


def _results(response) -> list:
    return response.json()["results"]


# role → statements listed, Anna's statement, period summary, period list
EXPECTED = {
    "payroll": ({"Anna Kovács", "Bence Szabó"}, 200, 200, 200),
    "management": (set(), 404, 200, 200),
    "owner": ({"Anna Kovács"}, 200, 403, 200),
    "other_manager": ({"Bence Szabó"}, 404, 403, 200),
    "hr": (set(), 404, 403, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_reads_by_role(world, role):
    client = api(world.users()[role])
    listed = {row["manager_name"] for row in _results(client.get("/api/v1/pay/statements/"))}
    got = (
        listed,
        client.get(f"/api/v1/pay/statements/{world.statement.pk}/").status_code,
        client.get(f"/api/v1/pay/periods/{world.january.pk}/summary/").status_code,
        client.get("/api/v1/pay/periods/").status_code,
    )
    assert got == EXPECTED[role]


def test_anonymous_is_refused(world):
    assert api().get("/api/v1/pay/statements/").status_code == 403


def test_a_statement_has_its_explained_lines(world):
    data = api(world.anna.user).get(f"/api/v1/pay/statements/{world.statement.pk}/").json()
    assert (data["month"], data["total"], data["currency"], data["period_status"]) == (
        "2026-01-01",
        "476200.00",
        "HUF",
        "calculated",
    )
    assert [(line["kind"], line["amount"]) for line in data["lines"]] == [
        ("base", "450000.00"),
        ("allowance_corporate", "6200.00"),
        ("acquisition", "20000.00"),
    ]
    assert data["lines"][2]["sentence"] == "1 client won in the month."
    assert data["lines"][1]["evidence"] == {"clients": [[world.alfa.pk, 31], [world.beta.pk, 31]]}


def test_management_reads_the_summary(world):
    data = api(world.management).get(f"/api/v1/pay/periods/{world.january.pk}/summary/").json()
    assert data == [
        {
            "currency": "HUF",
            "count": 2,
            "total": "926200.00",
            "minimum": "450000.00",
            "median": "463100.00",
            "maximum": "476200.00",
            "by_kind": [
                {"kind": "base", "amount": "900000.00"},
                {"kind": "allowance_corporate", "amount": "6200.00"},
                {"kind": "acquisition", "amount": "20000.00"},
            ],
        }
    ]


def test_statement_list_queries_do_not_grow(world):
    client = api(world.payroll)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/pay/statements/")
    # given three more managers on the plan, January recalculated
    for _ in range(3):
        manager = make_manager(hire_date=datetime.date(2025, 1, 1))
        services.manager_plan_set(actor=world.payroll, manager=manager, plan=world.plan)
    services.period_calculate(period=world.january, actor=world.payroll)
    with CaptureQueriesContext(connection) as many:
        assert len(_results(client.get("/api/v1/pay/statements/"))) == 5
    assert len(many) == len(few)


def test_payroll_calculates_a_month_at_once_or_in_the_background(world, django_capture_on_commit_callbacks):
    client = api(world.payroll)
    opened = client.post("/api/v1/pay/periods/", {"month": "2026-02-14"}, format="json")
    assert (opened.status_code, opened.json()["month"]) == (201, "2026-02-01")
    february = PayPeriod.objects.get(month=datetime.date(2026, 2, 1))
    response = client.post(f"/api/v1/pay/periods/{february.pk}/calculate/?sync=1")
    assert response.status_code == 200
    assert (response.json()["statements"], response.json()["unpaid"], response.json()["period"]["status"]) == (
        2,
        [],
        "calculated",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/pay/periods/{february.pk}/calculate/")
    assert response.status_code == 202
    february.refresh_from_db()
    assert (february.status, february.running, february.progress) == (PeriodStatus.CALCULATED, False, 100)


@pytest.mark.parametrize("role", ["management", "owner", "hr"])
def test_only_payroll_calculates_approves_and_overrides(world, role):
    client = api(world.users()[role])
    before = pay_state()
    statuses = [
        client.post(f"/api/v1/pay/periods/{world.january.pk}/calculate/?sync=1").status_code,
        client.post(f"/api/v1/pay/periods/{world.january.pk}/approve/", {}, format="json").status_code,
        client.post(
            "/api/v1/pay/overrides/",
            {"statement": world.statement.pk, "kind": "base", "amount": "1", "reason": "x"},
            format="json",
        ).status_code,
    ]
    assert statuses[:2] == [403, 403]
    assert statuses[2] in (403, 404)
    assert pay_state() == before


def test_approval_locks_the_period(world):
    client = api(world.payroll)
    response = client.post(f"/api/v1/pay/periods/{world.january.pk}/approve/", {}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    before = pay_state()
    refused = client.post(f"/api/v1/pay/periods/{world.january.pk}/calculate/?sync=1")
    assert (refused.status_code, refused.json()["non_field_errors"][0]["code"]) == (400, "period_locked")
    asked = api(world.anna.user).post(
        "/api/v1/pay/queries/", {"statement": world.statement.pk, "kind": "base", "comment": "Why?"}, format="json"
    )
    assert (asked.status_code, asked.json()["non_field_errors"][0]["code"]) == (400, "period_locked")
    assert pay_state() == before


def test_a_query_asked_answered_and_one_overridden(world):
    anna = api(world.anna.user)
    asked = anna.post(
        "/api/v1/pay/queries/",
        {"statement": world.statement.pk, "kind": "acquisition", "comment": "Two wins, not one?"},
        format="json",
    )
    assert (asked.status_code, asked.json()["status"]) == (201, "open")
    query = LineQuery.objects.get()
    # Bence cannot ask about Anna's statement, nor answer
    bence = api(world.bence.user)
    before = pay_state()
    assert (
        bence.post(
            "/api/v1/pay/queries/", {"statement": world.statement.pk, "kind": "base", "comment": "?"}, format="json"
        ).status_code
        == 404
    )
    assert bence.post(f"/api/v1/pay/queries/{query.pk}/answer/", {"answer": "x"}, format="json").status_code == 403
    assert anna.post(f"/api/v1/pay/queries/{query.pk}/answer/", {"answer": "x"}, format="json").status_code == 403
    assert pay_state() == before
    # Payroll answers
    answered = api(world.payroll).post(
        f"/api/v1/pay/queries/{query.pk}/answer/", {"answer": "The second win is in February."}, format="json"
    )
    assert (answered.status_code, answered.json()["status"]) == (200, "answered")
    # a second query, closed by an override
    anna.post(
        "/api/v1/pay/queries/",
        {"statement": world.statement.pk, "kind": "base", "comment": "Promised 460000."},
        format="json",
    )
    second = LineQuery.objects.get(kind="base")
    overridden = api(world.payroll).post(
        "/api/v1/pay/overrides/",
        {"statement": world.statement.pk, "kind": "base", "amount": "460000", "reason": "Agreed", "query": second.pk},
        format="json",
    )
    assert (overridden.status_code, overridden.json()["amount"]) == (201, "460000.00")
    second.refresh_from_db()
    assert second.status == QueryStatus.OVERRIDDEN
    assert Statement.objects.get(pk=world.statement.pk).total == Decimal("486200")


def test_an_override_in_fractions_of_a_forint_is_refused(world):
    before = pay_state()
    response = api(world.payroll).post(
        "/api/v1/pay/overrides/",
        {"statement": world.statement.pk, "kind": "base", "amount": "1.50", "reason": "x"},
        format="json",
    )
    assert (response.status_code, response.json()["amount"][0]["code"]) == (400, "amount_precision")
    assert pay_state() == before


VERSION = {
    "effective_from": "2026-03-01",
    "base_junior": "310000",
    "base_middle": "460000",
    "base_senior": "610000",
    "allowance_corporate": "3100",
    "allowance_vip": "6200",
    "acquisition_bonus": "20000",
    "acquisition_bonus_vip": "50000",
    "service_bonus": "1000",
    "rating_tiers": [{"threshold": "4.8", "amount": "40000"}, {"threshold": "4.5", "amount": "20000"}],
    "bonus_cap_percent": "10",
}


def test_payroll_writes_plans_and_management_reads_them(payroll, management):
    client = api(payroll)
    plan = client.post("/api/v1/pay/plans/", {"name": "Sales", "currency": "RUB"}, format="json").json()
    created = client.post("/api/v1/pay/plan-versions/", {**VERSION, "plan": plan["id"]}, format="json")
    assert created.status_code == 201
    version = created.json()
    assert version["rating_tiers"] == [
        {"threshold": "4.50", "amount": "20000.00"},
        {"threshold": "4.80", "amount": "40000.00"},
    ]
    # RUB bases of 310000–610000 lie above the offered band of 4500–24000 RUB
    assert len(version["band_warnings"]) == 3
    assert [p["name"] for p in _results(api(management).get("/api/v1/pay/plans/"))] == ["Sales"]
    before = (CompensationPlan.objects.count(), PlanVersion.objects.count())
    assert (
        api(management).post("/api/v1/pay/plans/", {"name": "Mine", "currency": "HUF"}, format="json").status_code
        == 403
    )
    assert (CompensationPlan.objects.count(), PlanVersion.objects.count()) == before


def test_a_version_paid_in_an_approved_month_refuses_changes(world):
    client = api(world.payroll)
    client.post(f"/api/v1/pay/periods/{world.january.pk}/approve/", {}, format="json")
    version = PlanVersion.objects.get()
    response = client.patch(f"/api/v1/pay/plan-versions/{version.pk}/", {"base_middle": "1"}, format="json")
    assert (response.status_code, response.json()["non_field_errors"][0]["code"]) == (400, "version_in_use")
    version.refresh_from_db()
    assert version.base_middle == Decimal("450000")


def test_whatif_for_management_is_totals_only(world):
    richer = huf_plan(world.payroll, name="Richer", acquisition_bonus=Decimal("30000")).versions.get()
    body = {"version": richer.pk, "start": "2026-01-01", "end": "2026-01-31"}
    management = api(world.management).post("/api/v1/pay/whatif/", body, format="json").json()
    assert management == {
        "currency": "HUF",
        "months": [{"month": "2026-01-01", "paid": "926200.00", "whatif": "936200.00", "difference": "10000.00"}],
    }
    payroll = api(world.payroll).post("/api/v1/pay/whatif/", body, format="json").json()
    assert [(m["manager_id"], m["difference"]) for m in payroll["managers"]] == [
        (world.anna.pk, "10000.00"),
        (world.bence.pk, "0.00"),
    ]
    assert api(world.hr).post("/api/v1/pay/whatif/", body, format="json").status_code == 403


def test_whatif_of_a_draft(world):
    draft = {k: v for k, v in VERSION.items() if k not in ("effective_from", "bonus_cap_percent")}
    body = {"draft": {**draft, "currency": "HUF", "rating_tiers": []}, "start": "2026-01-01", "end": "2026-01-01"}
    response = api(world.management).post("/api/v1/pay/whatif/", body, format="json")
    assert response.json()["months"][0]["whatif"] == "946200.00"
    both = api(world.management).post("/api/v1/pay/whatif/", {**body, "version": 1}, format="json")
    assert both.status_code == 400
