"""A period's lines for accounting, as CSV and XLSX: one row per line, exact; Payroll only."""

import io

import pytest
from openpyxl import load_workbook

from rapport.compensation import services
from rapport.compensation.tests.support import browser, build_world

pytestmark = pytest.mark.django_db

HEADER = ["Month", "Manager id", "Manager", "Line", "For month", "Quantity", "Rate", "Amount", "Currency"]


@pytest.fixture
def world(management):
    world = build_world(management)
    # Anna's base is overridden to 460000: the export pays what the statement pays
    services.line_override_set(
        actor=world.payroll, statement=world.statement, kind="base", amount=460000, reason="Agreed raise"
    )
    return world


def test_csv_has_one_row_per_line(world):
    response = browser(world.payroll).get(f"/pay/periods/{world.january.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pay-2026-01.csv"'
    text = b"".join(response.streaming_content).decode()
    anna, bence = world.anna.pk, world.bence.pk
    assert text.splitlines() == [
        "Month,Manager id,Manager,Line,For month,Quantity,Rate,Amount,Currency",
        f"2026-01,{anna},Anna Kovács,base,,1,450000,460000,HUF",
        f"2026-01,{anna},Anna Kovács,allowance_corporate,,2,3100,6200,HUF",
        f"2026-01,{anna},Anna Kovács,acquisition,,1,20000,20000,HUF",
        f"2026-01,{bence},Bence Szabó,base,,1,450000,450000,HUF",
    ]


def test_xlsx_has_the_same_rows_as_numbers(world):
    response = browser(world.payroll).get(f"/pay/periods/{world.january.pk}/export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    anna, bence = world.anna.pk, world.bence.pk
    assert rows == [
        HEADER,
        ["2026-01", anna, "Anna Kovács", "base", None, 1, 450000, 460000, "HUF"],
        ["2026-01", anna, "Anna Kovács", "allowance_corporate", None, 2, 3100, 6200, "HUF"],
        ["2026-01", anna, "Anna Kovács", "acquisition", None, 1, 20000, 20000, "HUF"],
        ["2026-01", bence, "Bence Szabó", "base", None, 1, 450000, 450000, "HUF"],
    ]


@pytest.mark.parametrize("role", ["management", "owner", "hr"])
def test_only_payroll_exports(world, role):
    b = browser(world.users()[role])
    assert b.get(f"/pay/periods/{world.january.pk}/export.csv").status_code == 403
    assert b.get(f"/pay/periods/{world.january.pk}/export.xlsx").status_code == 403


def test_a_name_that_looks_like_a_formula_is_quoted(world):
    # given a manager whose last name a spreadsheet would run
    user = world.bence.user
    user.first_name, user.last_name = "=HYPERLINK(1)", "x"
    user.save()
    text = b"".join(browser(world.payroll).get(f"/pay/periods/{world.january.pk}/export.csv").streaming_content)
    assert f"2026-01,{world.bence.pk},'=HYPERLINK(1) x,base,,1,450000,450000,HUF" in text.decode()
    response = browser(world.payroll).get(f"/pay/periods/{world.january.pk}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=5, column=3).value == "'=HYPERLINK(1) x"
    assert sheet.cell(row=5, column=3).data_type == "s"
