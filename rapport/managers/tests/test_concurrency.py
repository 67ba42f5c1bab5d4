"""Concurrent edits of a manager profile: a stale edit (If-Match or the edit page's version) answers 409 with what
changed, group changes included, and writes nothing."""

import pytest
from django.test import Client as Browser
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.concurrency import version_of
from rapport.core.testing import make_group, make_manager, make_user
from rapport.managers import services
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def bea(db):
    return make_user(Role.MANAGEMENT, username="bea", first_name="Bea", last_name="Kovács")


def test_stale_patch_lists_field_and_group_changes_and_writes_nothing(hr, bea):
    # given a profile HR read, then Bea changed its capacity and client groups
    retail, industry = make_group("Retail"), make_group("Industry")
    manager = make_manager(capacity=10, groups=[retail])
    etag = api(hr).get(f"/api/v1/managers/{manager.pk}/")["ETag"]
    assert etag == f'"{version_of(manager)}"'
    services.manager_update(manager=manager, actor=bea, data={"capacity": 12, "client_groups": [retail, industry]})
    after_bea = ClientManager.objects.get(pk=manager.pk)
    # when HR sets the capacity based on the version read before
    response = api(hr).patch(f"/api/v1/managers/{manager.pk}/", {"capacity": 15}, format="json", HTTP_IF_MATCH=etag)
    # then 409 lists both changes with Bea's name, and the profile keeps Bea's values
    assert response.status_code == 409
    when = timezone.localtime(after_bea.updated_at).isoformat()
    assert response.json()["changes"] == [
        {"field": "capacity", "yours": 15, "current": 12, "changed_by": "Bea Kovács", "changed_at": when},
        {
            "field": "client_groups",
            "current": sorted([retail.pk, industry.pk]),
            "changed_by": "Bea Kovács",
            "changed_at": when,
        },
    ]
    assert ClientManager.objects.get(pk=manager.pk).capacity == 12
    # when HR sends it again with the current version / then it saves
    again = api(hr).patch(
        f"/api/v1/managers/{manager.pk}/", {"capacity": 15}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert again.status_code == 200
    assert ClientManager.objects.get(pk=manager.pk).capacity == 15


def test_stale_edit_page_answers_409_with_the_change_and_saves_on_the_second_submit(hr, bea):
    # given HR opened the edit page of a profile, then Bea changed its capacity
    manager = make_manager(capacity=10)
    b = Browser()
    b.force_login(hr)
    page = b.get(f"/managers/{manager.pk}/edit/")
    form = page.context["form"]
    values = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in values.items() if value is not None and value is not False and value != []}
    data.update(capacity="20", version=page.context["version"])
    services.manager_update(manager=manager, actor=bea, data={"capacity": 11})
    # when HR saves capacity 20
    response = b.post(f"/managers/{manager.pk}/edit/", data)
    # then 409 with Bea's change, nothing written, the form carries the current version
    assert response.context["form"].errors == {}
    assert response.status_code == 409
    assert [
        (c.label, c.display_current, c.display_yours, str(c.changed_by)) for c in response.context["stale"].changes
    ] == [("Capacity", "11", "20", "Bea Kovács")]
    assert ClientManager.objects.get(pk=manager.pk).capacity == 11
    again = b.post(f"/managers/{manager.pk}/edit/", {**data, "version": response.context["version"]})
    assert again.status_code == 302
    assert ClientManager.objects.get(pk=manager.pk).capacity == 20
