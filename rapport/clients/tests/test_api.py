"""API of clients: visibility, writes through the services, errors as 400 with codes, the assign action."""

import pytest
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    # given no credentials / when listing clients / then 401 or 403, no data
    response = api().get("/api/v1/clients/")
    assert response.status_code in (401, 403)


def test_token_authentication(management):
    # given a token obtained with username and password
    from rapport.core.testing import PASSWORD

    token = api().post("/api/v1/auth/token/", {"username": "boss", "password": PASSWORD}).json()["token"]
    make_client(name="Tokened Kft.")
    # when the token is used / then the API answers
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/clients/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Tokened Kft."]


def test_management_lists_all_with_filters(management):
    # given three clients, one VIP in group Retail
    retail = make_group("Retail")
    make_client(name="Alpha Kft.")
    make_client(name="Beta Zrt.", is_vip=True, group=retail)
    make_client(name="Gamma Bt.", kind="individual")
    # when / then
    names = [r["name"] for r in api(management).get("/api/v1/clients/").json()["results"]]
    assert names == ["Alpha Kft.", "Beta Zrt.", "Gamma Bt."]
    vip = api(management).get("/api/v1/clients/", {"is_vip": "true", "group": retail.pk}).json()["results"]
    assert [r["name"] for r in vip] == ["Beta Zrt."]
    individuals = api(management).get("/api/v1/clients/", {"kind": "individual"}).json()["results"]
    assert [r["name"] for r in individuals] == ["Gamma Bt."]
    search = api(management).get("/api/v1/clients/", {"q": "zrt"}).json()["results"]
    assert [r["name"] for r in search] == ["Beta Zrt."]


def test_pagination_without_count(management):
    # given 3 clients and a page size of 2
    for name in ["A Kft.", "B Kft.", "C Kft."]:
        make_client(name=name)
    # when reading both pages
    first = api(management).get("/api/v1/clients/", {"page_size": 2}).json()
    second = api(management).get("/api/v1/clients/", {"page_size": 2, "page": 2}).json()
    # then no count is given and the links chain
    assert "count" not in first
    assert [r["name"] for r in first["results"]] == ["A Kft.", "B Kft."]
    assert (first["previous"] is None and first["next"].endswith("page=2&page_size=2")) or "page=2" in first["next"]
    assert [r["name"] for r in second["results"]] == ["C Kft."]
    assert second["next"] is None


def test_manager_sees_only_own_clients_and_404_for_others(management):
    # given two managers with a client each
    mine, theirs = make_client(name="Mine Kft."), make_client(name="Theirs Kft.")
    me, other = make_manager(), make_manager()
    make_assignment(mine, me)
    make_assignment(theirs, other)
    # when / then
    listed = api(me.user).get("/api/v1/clients/").json()["results"]
    assert [r["name"] for r in listed] == ["Mine Kft."]
    assert listed[0]["current_manager"] == me.pk
    assert api(me.user).get(f"/api/v1/clients/{theirs.pk}/").status_code == 404
    assert api(me.user).get(f"/api/v1/clients/{theirs.pk}/history/").status_code == 404
    assert api(me.user).patch(f"/api/v1/clients/{theirs.pk}/", {"name": "Hijacked"}, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs Kft."


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL])
def test_hr_and_payroll_see_no_clients(role):
    # given a client / when HR or Payroll reads / then nothing
    client = make_client()
    user = make_user(role)
    assert api(user).get("/api/v1/clients/").json()["results"] == []
    assert api(user).get(f"/api/v1/clients/{client.pk}/").status_code == 404


def test_create_legal_entity_and_validation_codes(management):
    # given a payload without registration number / when posting / then 400 with the code, nothing created
    response = api(management).post(
        "/api/v1/clients/", {"kind": "legal_entity", "name": "Nova Kft.", "phone": "12"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["registration_number"] == [
        {"message": "A legal entity must have a registration number.", "code": "registration_number_required"}
    ]
    assert body["phone"] == [{"message": "Enter a valid phone number.", "code": "invalid_phone"}]
    assert Client.objects.count() == 0
    # when the payload is complete / then 201 with normalised phone
    response = api(management).post(
        "/api/v1/clients/",
        {"kind": "legal_entity", "name": "Nova Kft.", "registration_number": "01-09-999999", "phone": "06 1 234 5678"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["phone"] == "+3612345678"
    assert response.json()["current_manager"] is None


def test_duplicate_registration_number_is_a_400(management):
    make_client(registration_number="01-09-111111")
    response = api(management).post(
        "/api/v1/clients/",
        {"kind": "legal_entity", "name": "Twin Kft.", "registration_number": "01-09-111111"},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert response.json()["non_field_errors"][0]["code"] == "duplicate_registration_number"
    assert Client.objects.count() == 1


def test_manager_may_not_set_vip_through_api():
    # given a manager's own client
    client = make_client(name="Own Kft.")
    manager = make_manager()
    make_assignment(client, manager)
    # when the manager tries to make it VIP / then 403 and nothing changed
    response = api(manager.user).patch(
        f"/api/v1/clients/{client.pk}/", {"is_vip": True, "vip_reason": "I say so"}, format="json"
    )
    assert response.status_code == 403
    client.refresh_from_db()
    assert client.is_vip is False
    # when the manager records the motivation / then it is saved with who determined it
    response = api(manager.user).patch(f"/api/v1/clients/{client.pk}/", {"motivation": "decision"}, format="json")
    assert response.status_code == 200
    assert response.json()["motivation"] == "decision"
    assert response.json()["motivation_determined_by"] == manager.user.pk


def test_assign_action_and_rule_errors(management):
    # given a VIP client and two managers, one not VIP-qualified
    client = make_client(is_vip=True)
    plain, qualified = make_manager(), make_manager(vip_qualified=True)
    url = f"/api/v1/clients/{client.pk}/assign/"
    # when assigning to the plain one / then 400 with the rule code, nothing assigned
    response = api(management).post(url, {"manager": plain.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["manager"][0]["code"] == "vip_needs_qualified_manager"
    assert Assignment.objects.count() == 0
    # when assigning to the qualified one / then 201
    response = api(management).post(url, {"manager": qualified.pk, "note": "Fits"}, format="json")
    assert response.status_code == 201
    assert response.json()["manager"] == qualified.pk
    assert response.json()["reason"] == "manual"
    # when unassigning / then the assignment has ended
    response = api(management).post(f"/api/v1/clients/{client.pk}/unassign/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["is_current"] is False


def test_manager_cannot_assign(management):
    client = make_client()
    manager = make_manager()
    make_assignment(client, manager)
    other = make_manager()
    response = api(manager.user).post(f"/api/v1/clients/{client.pk}/assign/", {"manager": other.pk}, format="json")
    assert response.status_code == 403
    assert list(Assignment.objects.values_list("manager_id", flat=True)) == [manager.pk]


def test_bad_input_never_500(management):
    # given garbage of several shapes / then always a 400
    for payload in [{"kind": "robot"}, {"group": "x"}, {"is_vip": "maybe"}, {"vip_since": "yesterday"}, []]:
        response = api(management).post("/api/v1/clients/", payload, format="json")
        assert response.status_code == 400, payload
    assert api(management).get("/api/v1/clients/", {"group": "abc"}).status_code == 400


def test_history_lists_changes(management):
    client = make_client(name="Old Name Kft.")
    api(management).patch(f"/api/v1/clients/{client.pk}/", {"name": "New Name Kft."}, format="json")
    history = api(management).get(f"/api/v1/clients/{client.pk}/history/").json()
    assert history[0]["who"] == str(management)
    assert history[0]["changes"] == [{"field": "name", "old": "Old Name Kft.", "new": "New Name Kft."}]


def test_openapi_schema_is_valid():
    from django.core.management import call_command

    # given the API / when the schema is generated strictly / then there is no warning or error
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
