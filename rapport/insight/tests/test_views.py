"""The dashboard page, its exports and the monthly report: who gets what, with which figures."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from rapport.accounts.roles import Role
from rapport.compensation.tests.support import browser, build_world, frozen
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.insight.tests.test_panels import ZONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    management = make_user(Role.MANAGEMENT, username="boss")
    return build_world(management)


JANUARY = {"from": "2026-01", "to": "2026-01"}


def test_management_sees_every_section(world):
    # When Management opens the dashboard for January 2026
    response = browser(world.management).get("/dashboard/", JANUARY)
    # Then every section is there, with the figures of the world
    assert response.status_code == 200
    keys = [section.key for section in response.context["sections"]]
    assert keys == ["portfolio", "risk", "winning", "ratings", "pay"]
    body = response.content.decode()
    assert "Period: 2026-01 to 2026-01." in body
    assert ">926,200<" in body  # the payroll total of January, grouped in English
    assert f'href="/pay/periods/{world.january.pk}/"' in body
    # totals only: no individual statement and no manager's pay is linked or shown
    assert "/pay/statements/" not in body
    assert "476,200" not in body


def test_payroll_sees_ratings_and_pay_only(world):
    response = browser(world.payroll).get("/dashboard/", JANUARY)
    assert response.status_code == 200
    assert [section.key for section in response.context["sections"]] == ["ratings", "pay"]
    assert "Key-person risk" not in response.content.decode()


@pytest.mark.parametrize("role", ["hr", "owner"])
def test_others_may_not_open_the_dashboard(world, role):
    user = world.users()[role]
    assert browser(user).get("/dashboard/").status_code == 403
    assert browser(user).get("/dashboard/export/pay.csv").status_code == 404
    assert browser(user).get("/dashboard/report.pdf").status_code == 403


def test_anonymous_is_sent_to_log_in():
    response = browser().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_bad_period_is_explained_and_the_default_shown(world):
    with frozen(datetime.datetime(2026, 3, 15, 12, tzinfo=ZONE)):
        response = browser(world.management).get("/dashboard/", {"from": "2026-05", "to": "2026-01"})
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["__all__"][0].code == "period_reversed"
    assert "The period cannot end before it starts." in response.content.decode()
    filters = response.context["filters"]
    assert (filters.first, filters.last) == (datetime.date(2025, 10, 1), datetime.date(2026, 3, 1))


def test_a_malformed_month_is_a_field_error(world):
    response = browser(world.management).get("/dashboard/", {"from": "2026-13"})
    assert response.context["form"].errors.as_data()["from"][0].code == "invalid_month"


def test_pay_export_as_csv_has_the_same_figures(world):
    response = browser(world.management).get("/dashboard/export/pay.csv", JANUARY)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapport-pay-2026-01-2026-01.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        [
            "Month",
            "Status",
            "Currency",
            "Statements",
            "Base salary",
            "Portfolio allowance",
            "Bonuses",
            "Bonus cap",
            "Corrections",
            "Total",
            "Bonus share",
        ],
        ["2026-01", "Calculated", "HUF", "2", "900000", "6200", "20000", "0", "0", "926200", "2.2"],
    ]


def test_load_export_as_xlsx_lists_every_manager(world):
    response = browser(world.management).get("/dashboard/export/load.xlsx", JANUARY)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:5] == ["Manager", "Type", "Level", "VIP-qualified", "Clients"]
    assert sorted((row[0], row[4], row[6]) for row in rows[1:]) == [("Anna Kovács", 2, 10), ("Bence Szabó", 0, 10)]


def test_exports_follow_the_viewers_visibility(world):
    # Payroll sees pay totals but not the client base: the portfolio export does not exist for them
    assert browser(world.payroll).get("/dashboard/export/load.csv").status_code == 404
    assert browser(world.payroll).get("/dashboard/export/pay.csv", JANUARY).status_code == 200
    assert browser(world.management).get("/dashboard/export/nothing.csv").status_code == 404
    assert browser(world.management).get("/dashboard/export/pay.pdf").status_code == 404


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world):
    sly = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="=HYPERLINK(1)", last_name="X"))
    make_assignment(make_client(), sly)
    text = b"".join(browser(world.management).get("/dashboard/export/load.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1) X" in text


def test_monthly_report_is_a_pdf(world):
    response = browser(world.management).get("/dashboard/report.pdf", {"month": "2026-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rapport-report-2026-01.pdf"'
    assert response.content.startswith(b"%PDF")


def test_monthly_report_refuses_a_malformed_month(world):
    response = browser(world.management).get("/dashboard/report.pdf", {"month": "January"})
    assert response.status_code == 400
    assert "Enter a month as YYYY-MM." in response.content.decode()


def test_nav_shows_the_dashboard_to_those_who_may_open_it(world):
    assert 'href="/dashboard/"' in browser(world.management).get("/clients/").content.decode()
    assert 'href="/dashboard/"' not in browser(world.anna.user).get("/clients/").content.decode()
