"""Every list exports to CSV and XLSX with its filters and the viewer's visibility."""

import csv
import io

import pytest
from openpyxl import load_workbook

from rapport.accounts.roles import Role
from rapport.cases.choices import Channel
from rapport.compensation.tests.support import browser
from rapport.core.testing import make_assignment, make_case, make_client, make_interaction, make_manager, make_user
from rapport.managers.choices import ManagerType

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def world():
    """Anna holds Alfa (VIP) and Béta; Bence holds Gamma; each has a case and an interaction with one client."""
    management = make_user(Role.MANAGEMENT)
    anna = make_manager(
        user=make_user(Role.CLIENT_MANAGER, first_name="Anna", last_name="Kovács"),
        manager_type=ManagerType.ADVICE,
        vip_qualified=True,
    )
    bence = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Bence", last_name="Szabó"))
    alfa = make_client(name="Alfa Kft.", is_vip=True, vip_terms="Secret discount", city="Győr")
    beta = make_client(name="=cmd|' /C calc'!A0")
    gamma = make_client(name="Gamma Zrt.")
    for client, manager in ((alfa, anna), (beta, anna), (gamma, bence)):
        make_assignment(client, manager, actor=management)
    make_case(alfa, handler=anna, subject="Invoice")
    make_case(gamma, handler=bence, subject="Delivery")
    make_interaction(alfa, anna, summary="Called about the invoice", channel=Channel.CALL)
    make_interaction(gamma, bence, summary="Visited the site", channel=Channel.MEETING)
    return {"management": management, "anna": anna, "bence": bence, "alfa": alfa}


def test_client_export_has_the_filters_and_no_vip_terms(world):
    # when Management exports the VIP clients
    rows = csv_rows(browser(world["management"]).get("/clients/export.csv", {"is_vip": "true"}))
    # then one row, with the manager's name and without the special terms
    assert rows[0] == [
        "ID",
        "Name",
        "Kind",
        "Registration number",
        "Tax number",
        "E-mail",
        "Phone",
        "City",
        "Country",
        "Client group",
        "Status",
        "VIP",
        "Motivation",
        "Personal manager",
        "Acquired on",
    ]
    alfa = world["alfa"]
    assert rows[1:] == [
        [
            str(alfa.pk),
            "Alfa Kft.",
            "Legal entity",
            alfa.registration_number,
            "",
            "",
            "",
            "Győr",
            "",
            "",
            "Active",
            "yes",
            "Unknown",
            "Anna Kovács",
            "",
        ]
    ]
    assert b"Secret discount" not in b"".join(browser(world["management"]).get("/clients/export.csv").streaming_content)


def test_a_manager_exports_only_their_own_clients_and_formulas_stay_text(world):
    rows = csv_rows(browser(world["anna"].user).get("/clients/export.csv"))
    assert [row[1] for row in rows[1:]] == ["'=cmd|' /C calc'!A0", "Alfa Kft."]


def test_client_export_as_xlsx(world):
    response = browser(world["bence"].user).get("/clients/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rapport-clients.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Gamma Zrt."]


def test_manager_export(world):
    rows = csv_rows(browser(world["management"]).get("/managers/export.csv", {"manager_type": "advice"}))
    assert [(row[1], row[2], row[5], row[6]) for row in rows[1:]] == [("Anna Kovács", "Advice", "yes", "2")]


def test_case_and_interaction_exports_follow_visibility(world):
    anna = browser(world["anna"].user)
    assert [row[1] for row in csv_rows(anna.get("/cases/export.csv"))[1:]] == ["Invoice"]
    assert [row[5] for row in csv_rows(anna.get("/cases/interactions/export.csv"))[1:]] == ["Called about the invoice"]
    everything = browser(world["management"])
    assert sorted(row[1] for row in csv_rows(everything.get("/cases/export.csv"))[1:]) == ["Delivery", "Invoice"]
    rows = csv_rows(everything.get("/cases/interactions/export.csv", {"channel": "meeting"}))
    assert [(row[2], row[3], row[4]) for row in rows[1:]] == [("Gamma Zrt.", "Bence Szabó", "Meeting")]


@pytest.mark.parametrize(
    "path", ["/clients/export.csv", "/managers/export.csv", "/cases/export.csv", "/cases/interactions/export.csv"]
)
def test_exports_refuse_who_may_not_see_the_list(world, path):
    # HR and Payroll work with managers, not clients: they export the manager list only
    expected = 200 if path.startswith("/managers/") else 403
    for role in (Role.HR, Role.PAYROLL):
        assert browser(make_user(role)).get(path).status_code == expected
    assert browser().get(path)["Location"].startswith("/login/")
    assert browser(world["management"]).get(path.replace(".csv", ".pdf")).status_code == 404
