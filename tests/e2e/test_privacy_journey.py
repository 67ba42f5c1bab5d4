"""End to end: Management downloads a client's personal data, then erases it; the page then shows the client
anonymised with no way to edit it back."""

import json

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_client, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_management_exports_then_erases_a_client(page, live_server):
    # given Management and an individual client with an e-mail and a phone
    make_user(Role.MANAGEMENT, username="boss", first_name="Beáta", last_name="Vezető")
    client = make_client(kind="individual", name="Zsófia Kertész", email="zsofia@example.org", phone="06 30 765 4321")
    url = live_server.url
    login(page, url, "boss", PASSWORD)

    # when Management opens the client and downloads the export
    page.goto(f"{url}/clients/{client.pk}/")
    with page.expect_download() as download_info:
        page.click("text=Export personal data")
    download = download_info.value
    # then the file is the client's data
    assert download.suggested_filename == f"client-{client.pk}-personal-data.json"
    with open(download.path(), encoding="utf-8") as handle:
        export = json.load(handle)
    assert export["data"]["clients"]["Client"][0]["email"] == "zsofia@example.org"

    # when Management erases the client after the confirmation
    page.click("text=Erase personal data")
    expect(page.locator("h1")).to_contain_text("Erase the personal data of Zsófia Kertész")
    page.click("button:has-text('Erase personal data')")

    # then the client page shows the anonymised client, with no Edit button and no e-mail
    expect(page.locator(".message.success")).to_contain_text("The client's personal data was erased.")
    expect(page.locator("h1")).to_contain_text(f"Anonymised client #{client.pk}")
    expect(page.locator("h1")).to_contain_text("Anonymised")
    expect(page.locator(".page-head .actions >> text=Edit")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("zsofia@example.org")
    stored = Client.objects.get(pk=client.pk)
    assert (stored.name, stored.email, stored.phone) == (f"Anonymised client #{client.pk}", "", "")
