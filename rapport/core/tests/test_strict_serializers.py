"""The API refuses fields a role may not write — unknown, read-only, or not theirs — instead of ignoring them."""

import pytest

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.compensation.models import LineQuery
from rapport.compensation.tests.support import api, build_world
from rapport.core.testing import make_assignment, make_client, make_manager, make_user

pytestmark = pytest.mark.django_db


def codes(response) -> dict:
    return {field: [error["code"] for error in errors] for field, errors in response.json().items()}


@pytest.fixture
def owned():
    management = make_user(Role.MANAGEMENT)
    owner = make_manager()
    client = make_client(name="Alfa Kft.")
    make_assignment(client, owner, actor=management)
    return management, owner, client


def test_a_manager_may_not_set_the_vip_flag(owned):
    _management, owner, client = owned
    response = api(owner.user).patch(f"/api/v1/clients/{client.pk}/", {"is_vip": True}, format="json")
    assert response.status_code == 403
    assert Client.objects.get(pk=client.pk).is_vip is False


def test_read_only_fields_are_refused_with_their_codes(owned):
    management, other_owner, client = owned
    spare = make_manager()
    payload = {"current_manager": spare.pk, "acquired_by": spare.pk, "nickname": "Al", "name": "Alfa Zrt."}
    response = api(management).patch(f"/api/v1/clients/{client.pk}/", payload, format="json")
    assert response.status_code == 400
    assert codes(response) == {
        "current_manager": ["read_only"],
        "acquired_by": ["read_only"],
        "nickname": ["unknown_field"],
    }
    client.refresh_from_db()
    assert (client.name, client.acquired_by_id) == ("Alfa Kft.", None)
    assert client.assignments.get(end_date__isnull=True).manager_id == other_owner.pk


def test_a_fetched_object_sent_back_unchanged_is_accepted(owned):
    management, _owner, client = owned
    representation = api(management).get(f"/api/v1/clients/{client.pk}/").json()
    response = api(management).put(
        f"/api/v1/clients/{client.pk}/", {**representation, "name": "Alfa Zrt."}, format="json"
    )
    assert response.status_code == 200
    assert Client.objects.get(pk=client.pk).name == "Alfa Zrt."


def test_a_manager_may_not_name_pay_figures_in_a_query():
    world = build_world(make_user(Role.MANAGEMENT))
    payload = {
        "statement": world.statement.pk,
        "kind": "base",
        "comment": "My base looks low.",
        "amount": "900000",
    }
    response = api(world.anna.user).post("/api/v1/pay/queries/", payload, format="json")
    assert response.status_code == 400
    assert codes(response) == {"amount": ["unknown_field"]}
    assert not LineQuery.objects.exists()
