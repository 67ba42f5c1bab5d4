"""Management's personal-data pages: export download and erasure with confirmation; nobody else gets in."""

import json
import logging

import pytest
from django.urls import reverse

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_manager, make_user
from rapport.privacy.tests.support import EMAIL, NAME, make_person, spread_personal_data

pytestmark = pytest.mark.django_db


def test_management_downloads_the_export_and_the_security_log_says_who(client, caplog):
    # given a client and a Management user
    person = make_person()
    boss = make_user(Role.MANAGEMENT)
    client.force_login(boss)

    # when the export is downloaded
    with caplog.at_level(logging.INFO, logger="rapport.security"):
        response = client.get(reverse("privacy:client_export", args=[person.pk]))

    # then it is the client's data as a JSON attachment, and the log names who exported whose data
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="client-{person.pk}-personal-data.json"'
    assert json.loads(response.content)["data"]["clients"]["Client"][0]["email"] == EMAIL
    assert f"personal data exported: user={boss.pk} client={person.pk}" in caplog.messages


def test_the_client_page_shows_the_buttons_to_management_only(client):
    person = make_person(kind="legal_entity", registration_number="01-09-771177")
    manager = make_manager()
    make_assignment(person, manager)
    export_url = reverse("privacy:client_export", args=[person.pk])

    client.force_login(make_user(Role.MANAGEMENT))
    assert export_url in client.get(reverse("clients:detail", args=[person.pk])).content.decode()
    client.force_login(manager.user)
    assert export_url not in client.get(reverse("clients:detail", args=[person.pk])).content.decode()


def test_management_confirms_and_erases(client):
    person = make_person()
    spread_personal_data(person)
    client.force_login(make_user(Role.MANAGEMENT))
    url = reverse("privacy:client_erase", args=[person.pk])

    confirm = client.get(url)
    response = client.post(url)

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[person.pk])
    assert Client.objects.get(pk=person.pk).name == f"Anonymised client #{person.pk}"


def test_a_held_client_is_refused_with_the_hold_and_nothing_changes(client):
    person = make_person()
    spread_personal_data(person, closed=False)
    client.force_login(make_user(Role.MANAGEMENT))

    response = client.post(reverse("privacy:client_erase", args=[person.pk]))

    assert response.status_code == 400
    assert "open_case" in response.content.decode()
    assert Client.objects.get(pk=person.pk).name == NAME


def test_a_client_manager_of_the_client_gets_403_and_nothing_changes(client):
    person = make_person(kind="legal_entity", registration_number="01-09-771177")
    manager = make_manager()
    make_assignment(person, manager)
    client.force_login(manager.user)

    export = client.get(reverse("privacy:client_export", args=[person.pk]))
    erase = client.post(reverse("privacy:client_erase", args=[person.pk]))

    assert (export.status_code, erase.status_code) == (403, 403)
    assert Client.objects.get(pk=person.pk).name == NAME


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_others_get_404_and_nothing_changes(client, role):
    person = make_person()
    user = make_user(role)
    if role == Role.CLIENT_MANAGER:
        make_manager(user=user)
    client.force_login(user)

    export = client.get(reverse("privacy:client_export", args=[person.pk]))
    erase = client.post(reverse("privacy:client_erase", args=[person.pk]))

    assert (export.status_code, erase.status_code) == (404, 404)
    assert Client.objects.get(pk=person.pk).name == NAME
