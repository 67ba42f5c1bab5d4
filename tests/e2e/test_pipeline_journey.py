"""End to end: a manager takes a prospect from new to won on the board; it becomes her assigned, active client."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import PASSWORD, make_manager, make_user
from rapport.pipeline.models import Acquisition, StageChange
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_prospect_goes_from_new_to_won_and_becomes_an_assigned_client(page, live_server):
    # given a personal manager with free capacity
    anna = make_manager(
        user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"), capacity=5
    )
    url = live_server.url
    login(page, url, "anna", PASSWORD)

    # when she creates a prospect from the pipeline
    page.goto(f"{url}/pipeline/")
    page.click("text=New prospect")
    page.select_option("#id_kind", "legal_entity")
    page.fill("#id_name", "Tisza Logisztika Kft.")
    page.fill("#id_registration_number", "01-09-777777")
    page.fill("#id_title", "Warehouse contract")
    page.click("button:has-text('Create prospect')")
    # then the opportunity page shows it in stage New
    expect(page.locator("h1")).to_contain_text("Warehouse contract")
    expect(page.locator("h1 .badge")).to_have_text("New")

    # when she moves the card on the board with clicks
    page.goto(f"{url}/pipeline/")
    card = page.locator("[data-opportunity]", has_text="Warehouse contract")
    card.locator("button:has-text('Next')").click()
    expect(page.locator("#col-contacted").locator("xpath=..")).to_contain_text("Warehouse contract")
    page.locator("[data-opportunity]", has_text="Warehouse contract").locator("button:has-text('Next')").click()
    expect(page.locator("#col-needs_identified").locator("xpath=..")).to_contain_text("Warehouse contract")
    # leaving "needs identified" without the motivation is refused
    page.locator("[data-opportunity]", has_text="Warehouse contract").locator("button:has-text('Next')").click()
    expect(page.locator("#board .message.error")).to_contain_text("Record the client's motivation")
    expect(page.locator("#col-needs_identified").locator("xpath=..")).to_contain_text("Warehouse contract")
    # with the motivation chosen on the card it moves to "offer"
    card = page.locator("[data-opportunity]", has_text="Warehouse contract")
    card.locator("select[name=motivation]").select_option("partnership")
    card.locator("button:has-text('Next')").click()
    expect(page.locator("#col-offer").locator("xpath=..")).to_contain_text("Warehouse contract")
    # and finally it is won
    page.locator("[data-opportunity]", has_text="Warehouse contract").locator("button:has-text('Won')").click()
    expect(page.locator("#board .message.success")).to_contain_text(
        "Won: Tisza Logisztika Kft. is now an active client, credited to Anna Kovács. Personal manager: Anna Kovács."
    )

    # then the client is active, credited to her, assigned to her, and on her client list
    client = Client.objects.get(registration_number="01-09-777777")
    assert (client.status, client.motivation, client.acquired_by_id) == (
        ClientStatus.ACTIVE,
        Motivation.PARTNERSHIP,
        anna.pk,
    )
    assert Acquisition.objects.get(client=client).manager_id == anna.pk
    assert Assignment.objects.get(client=client, end_date__isnull=True).manager_id == anna.pk
    assert list(
        StageChange.objects.filter(opportunity__client=client).order_by("at", "id").values_list("to_stage", flat=True)
    ) == ["new", "contacted", "needs_identified", "offer", "won"]
    page.goto(f"{url}/clients/")
    page.click("text=Tisza Logisztika Kft.")
    expect(page.locator("#personal-manager")).to_contain_text("Anna Kovács")
