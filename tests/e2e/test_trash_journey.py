"""End to end: Management deletes a client, it disappears from the client list, is found under Recently deleted,
is restored and is back in the list."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_client, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_management_deletes_then_restores_a_client(page, live_server):
    # given Management and two clients
    boss = make_user(Role.MANAGEMENT, username="boss", first_name="Beáta", last_name="Vezető")
    client = make_client(name="Delta Kft.")
    make_client(name="Epsilon Kft.")
    url = live_server.url
    login(page, url, "boss", PASSWORD)

    # when Management opens the client, chooses Delete and confirms
    page.goto(f"{url}/clients/{client.pk}/")
    page.click(".page-head .actions >> text=Delete")
    expect(page.locator("h1")).to_contain_text("Delete Delta Kft.")
    page.click("#confirm-delete")

    # then the client list no longer shows it
    expect(page.locator(".message.success")).to_contain_text("Client Delta Kft. deleted.")
    expect(page.locator("table")).to_contain_text("Epsilon Kft.")
    expect(page.locator("table")).not_to_contain_text("Delta Kft.")

    # and Recently deleted lists it with who deleted it and the days left
    page.click("nav.mainnav >> text=Recently deleted")
    row = page.locator(f"#deleted-client-{client.pk}")
    expect(row).to_contain_text("Delta Kft.")
    expect(row).to_contain_text("Beáta Vezető")
    expect(row).to_contain_text("15")

    # when Management restores it
    row.locator("button:has-text('Restore')").click()

    # then it is back in the client list
    expect(page.locator(".message.success")).to_contain_text("Delta Kft. restored.")
    expect(page.locator(f"#deleted-client-{client.pk}")).to_have_count(0)
    page.click("nav.mainnav >> text=Clients")
    expect(page.locator("table")).to_contain_text("Delta Kft.")
    stored = Client.objects.get(pk=client.pk)
    assert (stored.deleted_at, stored.deleted_by_id) == (None, None)
    assert stored.history.first().history_user_id == boss.pk
