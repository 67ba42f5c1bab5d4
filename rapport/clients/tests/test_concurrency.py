"""Concurrent edits of a client: a stale edit through the API (If-Match) or the edit page answers 409 with what
changed since the editor's version, and writes nothing; a fresh one saves."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import close_old_connections, connection
from django.test import Client as Browser
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.clients import services
from rapport.clients.models import Client, ClientGroup
from rapport.core.concurrency import StaleVersion, version_of
from rapport.core.testing import make_client, make_group, make_user

pytestmark = pytest.mark.django_db

STALE_MESSAGE = (
    "Someone else changed this record after you opened it, so nothing was saved. Check what changed, then save "
    "again to keep your version."
)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def browser(user) -> Browser:
    b = Browser()
    b.force_login(user)
    return b


@pytest.fixture
def bea(db):
    """A second Management user, the other editor."""
    return make_user(Role.MANAGEMENT, username="bea", first_name="Bea", last_name="Kovács")


def _form_data(form) -> dict:
    """What a browser posts for ``form`` as rendered (unchecked boxes are left out)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(value)
    return data


def test_detail_answers_its_version_as_etag(management):
    # given a client / when its detail is read / then the ETag is the quoted version of its updated_at
    client = make_client(name="Alpha Kft.")
    response = api(management).get(f"/api/v1/clients/{client.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{version_of(client)}"'


def test_stale_patch_is_refused_with_the_changes_and_writes_nothing(management, bea):
    # given a client whose detail the boss read, then Bea changed its e-mail and phone
    client = make_client(name="Alpha Kft.", email="old@example.com", phone="+36 1 111 1111")
    etag = api(management).get(f"/api/v1/clients/{client.pk}/")["ETag"]
    patched = api(bea).patch(
        f"/api/v1/clients/{client.pk}/", {"email": "bea@example.com", "phone": "+36 1 222 2222"}, format="json"
    )
    assert patched.status_code == 200
    after_bea = Client.objects.get(pk=client.pk)
    # when the boss changes the e-mail based on the version read before
    response = api(management).patch(
        f"/api/v1/clients/{client.pk}/", {"email": "boss@example.com"}, format="json", HTTP_IF_MATCH=etag
    )
    # then 409 lists Bea's changes, the boss's value beside the one he sent, and nothing is written
    assert response.status_code == 409
    when = timezone.localtime(after_bea.updated_at).isoformat()
    assert response.json() == {
        "code": "stale_version",
        "detail": STALE_MESSAGE,
        "changes": [
            {
                "field": "email",
                "yours": "boss@example.com",
                "current": "bea@example.com",
                "changed_by": "Bea Kovács",
                "changed_at": when,
            },
            {"field": "phone", "current": "+3612222222", "changed_by": "Bea Kovács", "changed_at": when},
        ],
        "version": version_of(after_bea),
    }
    assert response["ETag"] == f'"{version_of(after_bea)}"'
    unchanged = Client.objects.get(pk=client.pk)
    assert (unchanged.email, unchanged.updated_at) == ("bea@example.com", after_bea.updated_at)
    assert unchanged.history.count() == 2


def test_patch_with_the_current_version_saves(management):
    # given a client and its current ETag (weak form accepted too)
    client = make_client(name="Alpha Kft.", email="old@example.com")
    etag = api(management).get(f"/api/v1/clients/{client.pk}/")["ETag"]
    # when patched with If-Match of that version
    response = api(management).patch(
        f"/api/v1/clients/{client.pk}/", {"email": "new@example.com"}, format="json", HTTP_IF_MATCH=f"W/{etag}"
    )
    # then it saves and answers the new version
    assert response.status_code == 200
    saved = Client.objects.get(pk=client.pk)
    assert saved.email == "new@example.com"
    assert response["ETag"] == f'"{version_of(saved)}"' != etag


@pytest.mark.parametrize("header", [{}, {"HTTP_IF_MATCH": "*"}])
def test_without_if_match_the_last_write_wins_as_before(management, bea, header):
    # given a client changed by Bea after the boss read it
    client = make_client(name="Alpha Kft.", email="old@example.com")
    api(bea).patch(f"/api/v1/clients/{client.pk}/", {"email": "bea@example.com"}, format="json")
    # when the boss writes without a version (or with If-Match: *) / then it is not checked
    response = api(management).patch(
        f"/api/v1/clients/{client.pk}/", {"email": "boss@example.com"}, format="json", **header
    )
    assert response.status_code == 200
    assert Client.objects.get(pk=client.pk).email == "boss@example.com"


def test_an_unknown_version_is_stale_and_reports_the_current_values(management):
    # given a client / when patched with a version that is not one of its versions
    client = make_client(name="Alpha Kft.", email="old@example.com")
    response = api(management).patch(
        f"/api/v1/clients/{client.pk}/", {"email": "new@example.com"}, format="json", HTTP_IF_MATCH='"not-a-version"'
    )
    # then 409 with the current value of each field sent that differs from the value sent
    assert response.status_code == 409
    assert response.json()["changes"] == [
        {
            "field": "email",
            "yours": "new@example.com",
            "current": "old@example.com",
            "changed_by": None,
            "changed_at": timezone.localtime(client.updated_at).isoformat(),
        }
    ]
    assert Client.objects.get(pk=client.pk).email == "old@example.com"


def test_stale_edit_page_shows_what_changed_keeps_the_input_and_saves_on_the_second_submit(management, bea):
    # given the boss opened the edit page of a client, then Bea changed its city
    client = make_client(name="Alpha Kft.", city="Pécs")
    page = browser(management).get(f"/clients/{client.pk}/edit/")
    assert page.context["version"] == version_of(client)
    assert f'name="version" value="{version_of(client)}"' in page.content.decode()
    data = {**_form_data(page.context["form"]), "version": page.context["version"], "city": "Győr"}
    services.client_update(client=client, actor=bea, data={"city": "Szeged"})
    after_bea = Client.objects.get(pk=client.pk)
    # when the boss saves his city
    response = browser(management).post(f"/clients/{client.pk}/edit/", data)
    # then 409: the page lists Bea's change, keeps his input, carries the current version; nothing is written
    assert response.status_code == 409
    stale = response.context["stale"]
    assert [(c.label, c.display_current, c.display_yours, str(c.changed_by), c.changed_at) for c in stale.changes] == [
        ("City", "Szeged", "Győr", "Bea Kovács", after_bea.updated_at)
    ]
    content = response.content.decode()
    assert "Someone else changed this record after you opened it" in content
    assert "Szeged" in content and "Bea Kovács" in content
    assert response.context["form"]["city"].value() == "Győr"
    assert response.context["version"] == version_of(after_bea)
    assert Client.objects.get(pk=client.pk).city == "Szeged"
    # when he saves again with the refreshed version / then his value is stored
    again = browser(management).post(f"/clients/{client.pk}/edit/", {**data, "version": response.context["version"]})
    assert again.status_code == 302
    assert Client.objects.get(pk=client.pk).city == "Győr"


def test_invalid_input_keeps_the_version_the_page_was_opened_at(management):
    # given the edit page of a client / when posted with an empty name
    client = make_client(name="Alpha Kft.")
    page = browser(management).get(f"/clients/{client.pk}/edit/")
    data = {**_form_data(page.context["form"]), "version": page.context["version"], "name": ""}
    response = browser(management).post(f"/clients/{client.pk}/edit/", data)
    # then the form shows the error and still carries the version it was opened at
    assert response.status_code == 200
    assert response.context["version"] == version_of(client)
    assert response.context["stale"] is None


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_only_one_passes():
    # given a client and two editors who read the same version
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    Group.objects.get_or_create(name=Role.MANAGEMENT.value)  # an earlier transactional test may have emptied it
    anna = make_user(Role.MANAGEMENT, first_name="Anna", last_name="Nagy")
    bea = make_user(Role.MANAGEMENT, first_name="Bea", last_name="Kovács")
    client = make_client(name="Alpha Kft.", city="Pécs")
    read = version_of(client)
    start = threading.Barrier(2)
    outcomes = {}

    def save(editor, city):
        start.wait()
        try:
            services.client_update(client=client, actor=editor, data={"city": city}, version=read)
            outcomes[city] = "saved"
        except StaleVersion:
            outcomes[city] = "stale"
        finally:
            close_old_connections()

    # when both save at the same moment
    threads = [threading.Thread(target=save, args=args) for args in ((anna, "Győr"), (bea, "Szeged"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one save passed and the stored city is its city
    assert sorted(outcomes.values()) == ["saved", "stale"]
    saved = next(city for city, outcome in outcomes.items() if outcome == "saved")
    assert Client.objects.get(pk=client.pk).city == saved


def test_client_group_stale_patch_and_stale_page(management, bea):
    # given a group whose detail the boss read, then Bea renamed it
    group = make_group("Retail")
    etag = api(management).get(f"/api/v1/client-groups/{group.pk}/")["ETag"]
    services.client_group_save(actor=bea, data={"name": "Retail Hungary"}, group=group)
    renamed = ClientGroup.objects.get(pk=group.pk)
    # when the boss changes the description based on the version read / then 409 names Bea's rename
    response = api(management).patch(
        f"/api/v1/client-groups/{group.pk}/", {"description": "Shops"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 409
    assert response.json()["changes"] == [
        {
            "field": "name",
            "current": "Retail Hungary",
            "changed_by": "Bea Kovács",
            "changed_at": timezone.localtime(renamed.updated_at).isoformat(),
        }
    ]
    assert ClientGroup.objects.get(pk=group.pk).description == ""
    # given the edit page opened at the version read / when saved / then 409, and the second save goes through
    data = {"name": "Retail", "description": "Shops", "version": version_of(group)}
    page = browser(management).post(f"/clients/groups/{group.pk}/edit/", data)
    assert page.status_code == 409
    assert [(c.label, c.display_current, c.display_yours) for c in page.context["stale"].changes] == [
        ("Name", "Retail Hungary", "Retail")
    ]
    again = browser(management).post(f"/clients/groups/{group.pk}/edit/", {**data, "version": page.context["version"]})
    assert again.status_code == 302
    assert ClientGroup.objects.get(pk=group.pk).description == "Shops"
