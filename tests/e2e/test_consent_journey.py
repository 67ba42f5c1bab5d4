"""End to end: a manager records a client's consent on the client's page and e-mails them their consent link; the
client opens the link in a fresh browser without an account and withdraws with one click; the client's page then
shows the consent withdrawn, through the client's link."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.consent.models import ConsentRecord
from rapport.core.testing import PASSWORD, make_assignment, make_client, make_manager, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_records_consent_and_the_client_withdraws_through_the_link(browser, page, live_server, settings):
    # given the seeded purposes (transactional tests empty the tables) and a client of Anna's with an e-mail
    importlib.import_module("rapport.consent.migrations.0002_default_purposes").seed_purposes(apps, None)
    settings.RAPPORT = {**settings.RAPPORT, "BASE_URL": live_server.url}
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna", first_name="Anna", last_name="Kovács"))
    client = make_client(name="Pannon Gépgyártó Kft.", email="beszerzes@pannon.example")
    make_assignment(client, anna)

    # when Anna records, from a phone call, the client's consent to satisfaction surveys
    login(page, live_server.url, "anna", PASSWORD)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    row = page.locator("#consent tr[data-purpose=satisfaction_surveys]")
    expect(row.locator(".consent-state")).to_have_text("Not asked")
    row.locator("select[name=source]").select_option("phone")
    row.locator("button[value=give]").click()
    # then the block shows it given, on the phone, by Anna
    expect(page.locator("#consent [role=status]")).to_contain_text("recorded as given")
    row = page.locator("#consent tr[data-purpose=satisfaction_surveys]")
    expect(row.locator(".consent-state")).to_have_text("Given")
    expect(row.locator(".consent-source")).to_have_text("On the phone · Anna Kovács")

    # when she e-mails the client their consent link
    mail.outbox.clear()
    page.click("text=E-mail the client their consent link")
    expect(page.locator("#consent [role=status]")).to_contain_text("beszerzes@pannon.example")
    link = re.search(r"http\S+/consent/mine/\S+/", mail.outbox[-1].body).group(0)

    # when the client opens the link in a fresh browser, with no account, and withdraws
    guest = browser.new_context(locale="en-US")
    client_page = guest.new_page()
    client_page.set_default_timeout(15_000)
    assert client_page.goto(link).status == 200
    surveys = client_page.locator("article[data-purpose=satisfaction_surveys]")
    expect(surveys.locator(".consent-state")).to_have_text("You have given consent.")
    surveys.locator("button[value=withdraw]").click()
    # then the page confirms and offers to give it back
    expect(client_page.locator("[role=status]")).to_contain_text("is withdrawn")
    surveys = client_page.locator("article[data-purpose=satisfaction_surveys]")
    expect(surveys.locator(".consent-state")).to_have_text("You have withdrawn consent.")
    expect(surveys.locator("button[value=give]")).to_be_visible()
    guest.close()
    assert list(ConsentRecord.objects.values_list("granted", "source", "recorded_by")) == [
        (False, "client_link", None),
        (True, "phone", anna.user.pk),
    ]

    # when Anna reloads the client's page / then the consent shows withdrawn through the client's link
    page.reload()
    row = page.locator("#consent tr[data-purpose=satisfaction_surveys]")
    expect(row.locator(".consent-state")).to_have_text("Withdrawn")
    expect(row.locator(".consent-source")).to_have_text("Client link")
