"""End to end: two people edit the same client at once; the second save is stopped and shows what the first
changed, with the second person's input kept, and saving again on purpose goes through."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_client, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(browser):
    """A page in a browser context of its own (another person's session); CSP violations fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not violations, violations


def test_the_second_save_shows_what_the_first_changed_then_saves(page, second_page, live_server):
    # given two Management users and a client in Pécs
    make_user(Role.MANAGEMENT, username="anna", first_name="Anna", last_name="Nagy")
    make_user(Role.MANAGEMENT, username="bea", first_name="Bea", last_name="Kovács")
    client = make_client(name="Alpha Kft.", city="Pécs", email="info@alpha.example")
    url = live_server.url
    login(page, url, "anna", PASSWORD)
    login(second_page, url, "bea", PASSWORD)

    # when both open the edit page of the client
    page.goto(f"{url}/clients/{client.pk}/edit/")
    second_page.goto(f"{url}/clients/{client.pk}/edit/")
    # and Anna saves a new city first
    page.fill("#id_city", "Szeged")
    page.click("button:has-text('Save')")
    expect(page.locator(".message.success")).to_contain_text("Changes saved.")

    # and Bea then saves her e-mail address from the page she opened before
    second_page.fill("#id_email", "office@alpha.example")
    second_page.click("button:has-text('Save')")

    # then Bea's save is stopped: the notice lists Anna's change, her input is kept, nothing of hers is stored
    notice = second_page.locator("#stale-version")
    expect(notice).to_contain_text("Someone else changed this record after you opened it")
    row = notice.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("City")
    expect(row.locator("td").nth(1)).to_have_text("Szeged")
    expect(row.locator("td").nth(2)).to_have_text("Pécs")
    expect(row.locator("td").nth(3)).to_have_text("Anna Nagy")
    expect(second_page.locator("#id_email")).to_have_value("office@alpha.example")
    stored = Client.objects.get(pk=client.pk)
    assert (stored.city, stored.email) == ("Szeged", "info@alpha.example")

    # when Bea takes Anna's city into her form and saves again
    second_page.fill("#id_city", "Szeged")
    second_page.click("button:has-text('Save')")

    # then both changes are stored
    expect(second_page.locator(".message.success")).to_contain_text("Changes saved.")
    stored = Client.objects.get(pk=client.pk)
    assert (stored.city, stored.email) == ("Szeged", "office@alpha.example")
