"""Every role against every registry page and endpoint: who gets what, and denied writes change nothing."""

import pytest
from django.test import Client as Browser
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_manager, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "management", "owner", "other_manager", "hr", "payroll"]

# role → expected status of: UI list, UI detail, UI edit, UI assign, API detail, API patch, API assign
EXPECTED = {
    "anonymous": (302, 302, 302, 302, 403, 403, 403),
    "admin": (200, 200, 200, 200, 200, 200, 201),
    "management": (200, 200, 200, 200, 200, 200, 201),
    "owner": (200, 200, 200, 403, 200, 200, 403),
    "other_manager": (200, 404, 404, 404, 404, 404, 403),
    "hr": (403, 404, 404, 404, 404, 403, 403),
    "payroll": (403, 404, 404, 404, 404, 403, 403),
}


@pytest.fixture
def world():
    client = make_client(name="Secret Kft.")
    owner, other, spare = make_manager(), make_manager(), make_manager()
    make_assignment(client, owner)
    users = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN, is_staff=True),
        "management": make_user(Role.MANAGEMENT),
        "owner": owner.user,
        "other_manager": other.user,
        "hr": make_user(Role.HR),
        "payroll": make_user(Role.PAYROLL),
    }
    return client, spare, users


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, role):
    client, spare, users = world
    user = users[role]
    browser, api = Browser(), APIClient()
    if user is not None:
        browser.force_login(user)
        api.force_authenticate(user)
    before = list(Client.objects.values_list("name", "is_vip"))

    # when each page and endpoint is called
    got = (
        browser.get("/clients/").status_code,
        browser.get(f"/clients/{client.pk}/").status_code,
        browser.get(f"/clients/{client.pk}/edit/").status_code,
        browser.get(f"/clients/{client.pk}/assign/").status_code,
        api.get(f"/api/v1/clients/{client.pk}/").status_code,
        api.patch(f"/api/v1/clients/{client.pk}/", {"name": "Secret Kft."}, format="json").status_code,
        api.post(f"/api/v1/clients/{client.pk}/assign/", {"manager": spare.pk}, format="json").status_code,
    )

    # then each answers as the role allows
    assert got == EXPECTED[role]
    if EXPECTED[role][-1] != 201:
        assert list(Assignment.objects.filter(end_date__isnull=True).values_list("manager__user", flat=True)) == [
            users["owner"].pk
        ]
    assert list(Client.objects.values_list("name", "is_vip")) == before


@pytest.mark.parametrize("role", ROLES)
def test_list_answers_never_leak(world, role):
    _client, _spare, users = world
    user = users[role]
    browser, api = Browser(), APIClient()
    if user is not None:
        browser.force_login(user)
        api.force_authenticate(user)
    sees = role in {"admin", "management", "owner"}
    page = browser.get("/clients/")
    assert (b"Secret Kft." in page.content) is sees
    api_list = api.get("/api/v1/clients/")
    names = [row["name"] for row in api_list.json().get("results", [])] if api_list.status_code == 200 else []
    assert ("Secret Kft." in names) is sees
    assignments = api.get("/api/v1/assignments/")
    rows = assignments.json().get("results", []) if assignments.status_code == 200 else []
    assert bool(rows) is sees
