"""CSRF: a state-changing request without the token is refused with 403 and changes nothing, in the UI, the admin
and the API under a session cookie."""

import pytest
from django.test import Client as Browser

from rapport.clients.models import ClientGroup
from rapport.core.testing import make_assignment, make_client, make_group, make_manager
from tests.test_get_changes_nothing import fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(management):
    manager = make_manager()
    client = make_client(name="Guarded Kft.")
    make_assignment(client, manager, actor=management)
    return {"client": client, "group": make_group("Retail"), "manager": manager}


def test_posts_without_a_token_are_refused_and_change_nothing(management, admin_user, world):
    client, group = world["client"], world["group"]
    boss = Browser(enforce_csrf_checks=True)
    boss.force_login(management)
    admin = Browser(enforce_csrf_checks=True)
    admin.force_login(admin_user)
    attempts = [
        (boss, "/clients/new/", {"kind": "legal_entity", "name": "Forged Kft.", "registration_number": "01-09-999999"}),
        (boss, f"/clients/{client.pk}/edit/", {"name": "Renamed Kft."}),
        (boss, f"/clients/{client.pk}/unassign/", {"note": "forged"}),
        (boss, f"/clients/groups/{group.pk}/edit/", {"name": "Forged group"}),
        (boss, "/cases/new/", {"client": client.pk, "subject": "Forged", "description": "x"}),
        (boss, "/pipeline/new/", {"kind": "legal_entity", "name": "Forged prospect"}),
        (boss, "/i18n/setlang/", {"language": "hu"}),
        (boss, "/logout/", {}),
        (boss, "/api/v1/client-groups/", {"name": "Forged API group"}),
        (admin, f"/admin/accounts/user/{management.pk}/change/", {"username": "forged", "is_active": ""}),
    ]
    before = fingerprint()
    for browser, path, data in attempts:
        # when posted without the CSRF token / then 403
        assert browser.post(path, data).status_code == 403, path
    # and nothing changed, and both are still signed in
    assert fingerprint() == before
    assert boss.get("/clients/").status_code == 200
    assert admin.get("/admin/").status_code == 200


def test_the_same_post_with_the_token_goes_through(management, world):
    # given the token from the form page / when the group is posted with it / then it is saved
    boss = Browser(enforce_csrf_checks=True)
    boss.force_login(management)
    boss.get("/clients/groups/new/")
    token = boss.cookies["csrftoken"].value
    response = boss.post("/clients/groups/new/", {"name": "Wholesale", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ClientGroup.objects.filter(name="Wholesale").exists()
