"""End to end: Management uploads a client file, maps a column, reads the dry run and imports it."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = (
    "Client ID,Company name,Registration number,E-mail,Remarks\n"
    "C-1,Alfa Kft.,01-09-000001,info@alfa.hu,Wants advice first\n"
    "C-2,Béta Zrt.,01-09-000002,not-an-email,\n"
    "C-3,Gamma Kft.,01-09-000003,,\n"
).encode()


def test_upload_map_dry_run_and_import(page, live_server):
    # given Management on the data page
    make_user(Role.MANAGEMENT, username="boss")
    login(page, live_server.url, "boss", PASSWORD)
    page.goto(f"{live_server.url}/data/")

    # when a client file is uploaded
    page.select_option("#id_kind", "clients")
    page.set_input_files("#id_file", files=[{"name": "clients.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.click("#upload")

    # then the columns are guessed from their headers, and the unknown one is mapped by hand
    expect(page.locator("h1")).to_contain_text("Map the columns")
    expect(page.locator("#id_column_0")).to_have_value("external_id")
    expect(page.locator("#id_column_1")).to_have_value("name")
    expect(page.locator("#id_column_4")).to_have_value("")
    page.select_option("#id_column_4", "motivation_note")

    # when the dry run runs / then it reports every row and writes nothing
    page.click("#run-dry-run")
    expect(page.locator("#job-status")).to_have_text("Checked")
    expect(page.locator("#count-created")).to_have_text("2")
    expect(page.locator("#count-refused")).to_have_text("1")
    assert Client.objects.count() == 0
    page.select_option("#id_outcome", "refused")
    expect(page.locator("#import-rows tbody tr")).to_have_count(1)
    expect(page.locator("#import-rows")).to_contain_text("Enter a valid email address.")

    # when the import is confirmed / then the valid rows are stored
    page.click("#confirm-import")
    expect(page.locator("#job-status")).to_have_text("Imported")
    expect(page.locator("#count-created")).to_have_text("2")
    assert sorted(Client.objects.values_list("external_id", "motivation_note")) == [
        ("C-1", "Wants advice first"),
        ("C-3", ""),
    ]
