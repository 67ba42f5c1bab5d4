"""End to end: the pages run under the Content Security Policy without a violation (the page fixture fails a test
on any), including Swagger UI and the admin; a lockout shows its page; logout needs the form."""

import pytest
from playwright.sync_api import expect

from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_client, make_user
from tests.e2e.conftest import login, logout

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_and_the_admin_run_under_the_policy(page, live_server):
    # given an administrator and a client
    make_user(Role.ADMIN, username="root", is_superuser=True, is_staff=True)
    client = make_client(name="Policy Kft.")
    login(page, live_server.url, "root", PASSWORD)
    # when Swagger UI opens / then it renders the API from its own files
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Rapport API")
    expect(page.locator("#operations-tag-v1")).to_be_visible()
    # and the admin's list and change form work (the change form's scripts too)
    page.goto(f"{live_server.url}/admin/clients/client/")
    expect(page.locator("#result_list")).to_contain_text("Policy Kft.")
    page.goto(f"{live_server.url}/admin/clients/client/{client.pk}/change/")
    expect(page.locator("#content h2")).to_contain_text("Policy Kft.")
    # and the language switcher (app.js) still submits by itself
    page.goto(f"{live_server.url}/clients/")
    page.select_option("#language", "hu")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "hu")
    page.select_option("#language", "en")
    page.wait_for_load_state()
    logout(page)


def test_a_lockout_shows_its_page(page, live_server):
    make_user(Role.MANAGEMENT, username="boss")
    for _ in range(5):
        login(page, live_server.url, "boss", "not-the-password")
    expect(page.locator("h1")).to_contain_text("Too many attempts")
    login(page, live_server.url, "boss", PASSWORD)
    expect(page.locator("h1")).to_contain_text("Too many attempts")
