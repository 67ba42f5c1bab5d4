"""API of manager profiles and assignments."""

import pytest
from rest_framework.test import APIClient

from rapport.assignment.models import Assignment
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_hr_creates_a_profile_with_default_capacity(hr):
    # given a user account without a profile and a client group
    user = make_user()
    group = make_group("Retail")
    # when HR posts a profile without capacity
    response = api(hr).post(
        "/api/v1/managers/",
        {
            "user": user.pk,
            "manager_type": "decision",
            "level": "senior",
            "work_mode": "personal",
            "hire_date": "2023-02-01",
            "client_groups": [group.pk],
        },
        format="json",
    )
    # then the profile has the senior default and no load
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["capacity"], body["load"], body["client_groups"], body["status_since"]) == (
        60,
        0,
        [group.pk],
        "2023-02-01",
    )


def test_profile_for_a_user_twice_is_refused(hr):
    manager = make_manager()
    response = api(hr).post(
        "/api/v1/managers/",
        {"user": manager.user.pk, "manager_type": "advice", "level": "junior", "hire_date": "2023-02-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["user"][0]["code"] == "user_has_profile"
    assert ClientManager.objects.count() == 1


def test_dismissing_a_manager_with_clients_is_refused(management):
    manager = make_manager()
    make_assignment(make_client(), manager)
    response = api(management).patch(
        f"/api/v1/managers/{manager.pk}/",
        {"employment_status": "dismissed", "dismissal_date": "2026-01-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["employment_status"][0]["code"] == "manager_has_clients"
    manager.refresh_from_db()
    assert manager.employment_status == "active"


def test_a_manager_sees_only_their_own_profile():
    me, other = make_manager(), make_manager()
    listed = api(me.user).get("/api/v1/managers/").json()["results"]
    assert [row["id"] for row in listed] == [me.pk]
    assert api(me.user).get(f"/api/v1/managers/{other.pk}/").status_code == 404
    assert api(me.user).patch(f"/api/v1/managers/{me.pk}/", {"capacity": 99}, format="json").status_code == 403
    me.refresh_from_db()
    assert me.capacity == 10


def test_assignments_endpoint_assigns_and_filters(management):
    client = make_client()
    manager = make_manager()
    response = api(management).post("/api/v1/assignments/", {"client": client.pk, "manager": manager.pk}, format="json")
    assert response.status_code == 201
    current = api(management).get("/api/v1/assignments/", {"current": "true", "manager": manager.pk}).json()
    assert [row["client"] for row in current["results"]] == [client.pk]
    # an individual cannot be assigned
    person = make_client(kind="individual", name="Kiss Anna")
    response = api(management).post("/api/v1/assignments/", {"client": person.pk, "manager": manager.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"][0]["code"] == "not_legal_entity"
    assert Assignment.objects.count() == 1


def test_payroll_cannot_post_assignments(payroll):
    client, manager = make_client(), make_manager()
    response = api(payroll).post("/api/v1/assignments/", {"client": client.pk, "manager": manager.pk}, format="json")
    assert response.status_code == 403
    assert Assignment.objects.count() == 0


def test_a_user_without_a_role_sees_nothing():
    # given a group and a signed-in user with no role / when listing / then nothing
    make_group("Retail")
    user = make_user()
    assert api(user).get("/api/v1/client-groups/").json()["results"] == []
    assert api(user).get("/api/v1/managers/").json()["results"] == []
