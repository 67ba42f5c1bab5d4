"""End to end: Management creates a legal-entity client and assigns it; the manager sees it, another gets 404."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_manager, make_user
from tests.e2e.conftest import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_management_creates_and_assigns_a_client(page, live_server):
    # given Management and two personal managers
    make_user(Role.MANAGEMENT, username="boss", first_name="Beáta", last_name="Vezető")
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"))
    make_manager(user=make_user(Role.CLIENT_MANAGER, username="bence", first_name="Bence", last_name="Szabó"))
    url = live_server.url

    # when Management logs in and creates a legal entity, first forgetting the registration number
    login(page, url, "boss", PASSWORD)
    expect(page).to_have_url(f"{url}/clients/")
    page.click("text=New client")
    page.select_option("#id_kind", "legal_entity")
    page.fill("#id_name", "Pannon Gépgyártó Kft.")
    page.select_option("#id_status", "active")
    page.click("button:has-text('Save')")
    # then the form explains what is missing
    expect(page.locator("#field-registration_number .error")).to_have_text(
        "A legal entity must have a registration number."
    )
    page.fill("#id_registration_number", "01-09-555555")
    page.fill("#id_phone", "06 30 123 4567")
    page.click("button:has-text('Save')")
    expect(page.locator("h1")).to_contain_text("Pannon Gépgyártó Kft.")
    expect(page.locator("#personal-manager")).to_contain_text("No personal manager.")
    client = Client.objects.get(registration_number="01-09-555555")
    assert client.phone == "+36301234567"

    # when Management assigns it to Anna
    page.click("#personal-manager >> text=Assign")
    anna_option = page.locator("#id_manager option", has_text="Anna Kovács").get_attribute("value")
    page.select_option("#id_manager", anna_option)
    page.fill("#id_note", "Engineering background")
    page.click("button:has-text('Assign')")
    # then the client page shows Anna as personal manager
    expect(page.locator("#personal-manager")).to_contain_text("Anna Kovács")
    expect(page.locator(".message.success")).to_contain_text("is now assigned to Anna Kovács")
    logout(page)

    # when Anna logs in / then she sees the client in her list and can open it
    login(page, url, "anna", PASSWORD)
    expect(page.locator("#results")).to_contain_text("Pannon Gépgyártó Kft.")
    page.click("text=Pannon Gépgyártó Kft.")
    expect(page.locator("h1")).to_contain_text("Pannon Gépgyártó Kft.")
    assert client.assignments.get().manager == anna
    logout(page)

    # when Bence opens the same URL / then 404 and nothing of the client shows
    login(page, url, "bence", PASSWORD)
    expect(page.locator("#results")).not_to_contain_text("Pannon")
    response = page.goto(f"{url}/clients/{client.pk}/")
    assert response.status == 404
    assert "Pannon" not in page.content()
