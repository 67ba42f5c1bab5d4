"""A deleted client, manager or case is absent from every read path (lists, detail, search, exports, API, admin,
dashboard), and the Delete / Recently deleted / Restore pages and API endpoints work for Management only."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.cases.deletion import case_delete
from rapport.cases.models import Case
from rapport.clients.deletion import client_delete
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_case, make_client, make_manager, make_user
from rapport.insight import panels
from rapport.insight.filters import Filters
from rapport.managers.deletion import manager_delete
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(management):
    """A live and a deleted client (both once assigned to Anna), a live and a deleted case of the live client, a
    deleted manager."""
    anna = make_manager()
    live = make_client(name="Alive Kft.")
    gone = make_client(name="Vanished Kft.")
    make_assignment(live, anna)
    make_assignment(gone, anna)
    live_case = make_case(live, handler=anna, subject="Kept problem")
    gone_case = make_case(live, handler=anna, subject="Spam problem")
    bob = make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Bob", last_name="Gone"))
    client_delete(client=gone, actor=management)
    case_delete(case=gone_case, actor=management)
    manager_delete(manager=bob, actor=management)
    return {
        "management": management,
        "anna": anna,
        "bob": bob,
        "live": live,
        "gone": gone,
        "live_case": live_case,
        "gone_case": gone_case,
    }


# ---------------------------------------------------------------------------------------------------------------
# Read paths
# ---------------------------------------------------------------------------------------------------------------


def test_pages_lists_search_and_exports_leave_deleted_rows_out(client, world):
    client.force_login(world["management"])
    # list and search
    page = client.get("/clients/").content.decode()
    assert "Alive Kft." in page and "Vanished Kft." not in page
    assert "Vanished Kft." not in client.get("/clients/?q=Vanished").content.decode()
    # export
    export = body(client.get("/clients/export.csv"))
    assert "Alive Kft." in export and "Vanished Kft." not in export
    # details are 404
    assert client.get(f"/clients/{world['gone'].pk}/").status_code == 404
    assert client.get(f"/managers/{world['bob'].pk}/").status_code == 404
    assert client.get(f"/cases/{world['gone_case'].pk}/").status_code == 404
    # manager and case lists and exports
    managers = client.get("/managers/").content.decode()
    assert "Bob Gone" not in managers
    assert "Bob Gone" not in body(client.get("/managers/export.csv"))
    cases = client.get("/cases/").content.decode()
    assert "Kept problem" in cases and "Spam problem" not in cases
    assert "Spam problem" not in body(client.get("/cases/export.csv"))


def test_the_api_leaves_deleted_rows_out(world):
    caller = api(world["management"])
    names = [row["name"] for row in caller.get("/api/v1/clients/").json()["results"]]
    assert names == ["Alive Kft."]
    assert caller.get(f"/api/v1/clients/{world['gone'].pk}/").status_code == 404
    assert caller.get(f"/api/v1/managers/{world['bob'].pk}/").status_code == 404
    assert [row["id"] for row in caller.get("/api/v1/managers/").json()["results"]] == [world["anna"].pk]
    assert caller.get(f"/api/v1/cases/{world['gone_case'].pk}/").status_code == 404
    assert [row["id"] for row in caller.get("/api/v1/cases/").json()["results"]] == [world["live_case"].pk]


def test_a_deleted_clients_history_and_closed_opportunities_are_hidden_with_it(world):
    # given a client with a closed opportunity of Anna's, then deleted (as is the assigned client of the world)
    from rapport.core.testing import make_opportunity
    from rapport.pipeline.choices import LostReason, Stage

    won = make_client(name="Won then gone Kft.")
    make_opportunity(won, world["anna"], title="Lost deal", stage=Stage.LOST, lost_reason=LostReason.PRICE)
    client_delete(client=won, actor=world["management"])
    caller = api(world["management"])
    # when Management reads opportunities and the assignment history through the API
    opportunities = caller.get("/api/v1/opportunities/").json()["results"]
    assignments = caller.get("/api/v1/assignments/").json()["results"]
    # then nothing of the deleted clients appears
    assert [row["title"] for row in opportunities] == []
    assert sorted({row["client"] for row in assignments}) == [world["live"].pk]


def test_the_admin_leaves_deleted_rows_out(client, admin_user, world):
    client.force_login(admin_user)
    page = client.get("/admin/clients/client/").content.decode()
    assert "Alive Kft." in page and "Vanished Kft." not in page


def test_dashboard_counts_leave_deleted_rows_out(world):
    # Anna holds the live client only (the delete ended the other assignment) and one open case
    today = timezone.localdate()
    month = today.replace(day=1)
    table = panels.cases_table(world["management"], Filters(first=month, last=month))
    assert [(row[0].value, row[1].value) for row in table.rows] == [(world["anna"].name, 1)]
    loads = {
        load.manager.pk: load.clients for load in panels.loads(world["management"], Filters(first=month, last=month))
    }
    assert loads == {world["anna"].pk: 1}


def test_a_manager_no_longer_sees_a_deleted_client_or_case(client, world):
    anna = world["anna"]
    client.force_login(anna.user)
    assert client.get(f"/clients/{world['gone'].pk}/").status_code == 404
    assert client.get(f"/cases/{world['gone_case'].pk}/").status_code == 404
    workspace = client.get("/cases/workspace/").content.decode()
    assert "Spam problem" not in workspace and "Vanished Kft." not in workspace


# ---------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------


def test_management_deletes_a_client_through_the_confirmation_page(client, management):
    target = make_client(name="Beta Kft.")
    client.force_login(management)
    page = client.get(f"/clients/{target.pk}/delete/")
    assert page.status_code == 200
    assert "Delete Beta Kft." in page.content.decode()
    response = client.post(f"/clients/{target.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert Client.all_objects.get(pk=target.pk).deleted_by_id == management.pk


def test_a_refused_delete_shows_why_and_changes_nothing(client, management):
    target = make_client(name="Busy Kft.")
    case = make_case(target, subject="Open issue", status=CaseStatus.NEW)
    client.force_login(management)
    page = client.get(f"/clients/{target.pk}/delete/").content.decode()
    assert f"The client has open cases: #{case.pk} Open issue. Resolve or delete them first." in page
    response = client.post(f"/clients/{target.pk}/delete/")
    assert response.status_code == 400
    assert f"The client has open cases: #{case.pk} Open issue." in response.content.decode()
    assert Client.objects.get(pk=target.pk).deleted_at is None


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL, Role.CLIENT_MANAGER])
def test_other_roles_may_not_delete_or_restore(client, management, role):
    # given a client, a manager and a case (the client manager's own), and a deleted client
    manager = make_manager()
    target = make_client()
    make_assignment(target, manager)
    case = make_case(target, handler=manager)
    deleted = make_client()
    client_delete(client=deleted, actor=management)
    user = manager.user if role == Role.CLIENT_MANAGER else make_user(role)
    client.force_login(user)
    # when they try every delete and restore, on pages and the API
    statuses = [
        client.post(f"/clients/{target.pk}/delete/").status_code,
        client.post(f"/managers/{manager.pk}/delete/").status_code,
        client.post(f"/cases/{case.pk}/delete/").status_code,
        client.get("/clients/deleted/").status_code,
        client.post(f"/clients/deleted/client/{deleted.pk}/restore/").status_code,
        api(user).delete(f"/api/v1/clients/{target.pk}/").status_code,
        api(user).delete(f"/api/v1/managers/{manager.pk}/").status_code,
        api(user).delete(f"/api/v1/cases/{case.pk}/").status_code,
        api(user).post(f"/api/v1/clients/{deleted.pk}/restore/").status_code,
    ]
    # then each is refused (404 where they cannot see the record) and nothing changed
    assert all(code in (403, 404) for code in statuses), statuses
    assert Client.objects.filter(pk=target.pk).exists()
    assert ClientManager.objects.filter(pk=manager.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()
    assert not Client.objects.filter(pk=deleted.pk).exists()


def test_recently_deleted_lists_and_restores(client, world):
    client.force_login(world["management"])
    page = client.get("/clients/deleted/").content.decode()
    for text in ("Vanished Kft.", "Bob Gone", "Spam problem", "Restore"):
        assert text in page
    response = client.post(f"/clients/deleted/client/{world['gone'].pk}/restore/")
    assert response.status_code == 302 and response["Location"] == "/clients/deleted/"
    assert "Vanished Kft." in client.get("/clients/").content.decode()


def test_restoring_after_the_window_is_refused_on_the_page(client, management):
    gone = make_client(name="Old Kft.")
    client_delete(client=gone, actor=management, now=timezone.now() - datetime.timedelta(days=16))
    client.force_login(management)
    page = client.get("/clients/deleted/").content.decode()
    assert "awaiting purge" in page
    response = client.post(f"/clients/deleted/client/{gone.pk}/restore/")
    assert response.status_code == 400
    assert "was deleted more than 15 days ago and can no longer be restored." in response.content.decode()
    assert Client.all_objects.get(pk=gone.pk).deleted_at is not None


def test_management_exports_a_deleted_clients_personal_data(client, world):
    client.force_login(world["management"])
    response = client.get(f"/clients/deleted/clients/{world['gone'].pk}/export/")
    assert response.status_code == 200
    assert response.json()["data"]["clients"]["Client"][0]["name"] == "Vanished Kft."


# ---------------------------------------------------------------------------------------------------------------
# API
# ---------------------------------------------------------------------------------------------------------------


def test_api_delete_and_restore(management):
    target = make_client(name="Gamma Kft.")
    caller = api(management)
    assert caller.delete(f"/api/v1/clients/{target.pk}/").status_code == 204
    assert caller.get(f"/api/v1/clients/{target.pk}/").status_code == 404
    assert caller.delete(f"/api/v1/clients/{target.pk}/").status_code == 404
    response = caller.post(f"/api/v1/clients/{target.pk}/restore/")
    assert response.status_code == 200
    assert response.json()["name"] == "Gamma Kft."
    assert caller.post(f"/api/v1/clients/{target.pk}/restore/").status_code == 404


def test_api_refusals_are_409_with_the_code(management):
    manager = make_manager()
    target = make_client()
    make_assignment(target, manager)
    resolved = make_case(
        target,
        handler=manager,
        status=CaseStatus.RESOLVED,
        acknowledged_at=timezone.now(),
        problem_statement="Wrong total.",
        resolution="Corrected.",
        resolved_at=timezone.now(),
        resolved_by=manager,
    )
    caller = api(management)
    response = caller.delete(f"/api/v1/managers/{manager.pk}/")
    assert response.status_code == 409
    assert response.json()["non_field_errors"][0]["code"] == "manager_has_clients"
    response = caller.delete(f"/api/v1/cases/{resolved.pk}/")
    assert response.status_code == 409
    assert response.json()["non_field_errors"][0]["code"] == "case_resolved"
    old = make_client()
    client_delete(client=old, actor=management, now=timezone.now() - datetime.timedelta(days=16))
    response = caller.post(f"/api/v1/clients/{old.pk}/restore/")
    assert response.status_code == 409
    assert response.json()["non_field_errors"][0]["code"] == "restore_window_passed"
    assert ClientManager.objects.filter(pk=manager.pk).exists()
    assert Case.objects.filter(pk=resolved.pk).exists()


def test_deleting_a_manager_deactivates_the_account_and_restore_keeps_it_so(management):
    from knox.models import AuthToken

    manager = make_manager()
    AuthToken.objects.create(user=manager.user)
    caller = api(management)
    assert caller.delete(f"/api/v1/managers/{manager.pk}/").status_code == 204
    manager.user.refresh_from_db()
    assert manager.user.is_active is False
    assert AuthToken.objects.filter(user=manager.user).count() == 0
    response = caller.post(f"/api/v1/managers/{manager.pk}/restore/")
    assert response.status_code == 200
    manager.user.refresh_from_db()
    assert manager.user.is_active is False
    assert ClientManager.objects.filter(pk=manager.pk).exists()
