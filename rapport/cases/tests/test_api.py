"""API of interactions, cases and case events: writes through the services, refusals as 400 with codes, 404 out of
scope, and no way to set what only the lifecycle may set."""

import pytest
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.cases.tests.support import case_in, case_state, named_manager, pool_manager
from rapport.core.testing import make_assignment, make_client, make_user

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world(management):
    client = make_client(name="Alfa Kft.")
    anna = named_manager("Anna", "Kovács")
    bence = named_manager("Bence", "Szabó")
    make_assignment(client, anna)
    return client, anna, bence, management


def test_open_a_case_and_move_it_through_its_lifecycle(world):
    client, anna, _bence, _management = world
    case = {
        "client": client.pk,
        "subject": "Double charge",
        "description": "Delivery is charged twice.",
        "category": "billing",
        "priority": "high",
    }
    # when Anna opens a case, trying to set its handler, status and resolver too
    response = api(anna.user).post(
        "/api/v1/cases/", {**case, "status": "closed", "handler": None, "resolved_by": anna.pk}, format="json"
    )
    # then the fields she may not write are refused, not ignored, and no case is opened
    assert response.status_code == 400
    assert {field: [e["code"] for e in errors] for field, errors in response.json().items()} == {
        "status": ["unknown_field"],
        "handler": ["unknown_field"],
        "resolved_by": ["unknown_field"],
    }
    assert not Case.objects.exists()
    # when she opens it with the fields of a new case only
    response = api(anna.user).post("/api/v1/cases/", case, format="json")
    # then it is opened new and routed to Anna
    assert response.status_code == 201
    body = response.json()
    case_id = body["id"]
    assert {k: body[k] for k in ("client", "status", "handler", "priority", "resolved_by", "routing")} == {
        "client": client.pk,
        "status": "new",
        "handler": anna.pk,
        "priority": "high",
        "resolved_by": None,
        "routing": ["personal_manager"],
    }
    assert (body["acknowledge_breached"], body["resolve_breached"]) == (False, False)
    assert body["next_due_at"] == body["acknowledge_due_at"]
    # when Anna acknowledges, starts, resolves and closes it
    steps = [
        ("acknowledge", {"problem_statement": "Charged twice for delivery."}, "acknowledged"),
        ("start", {}, "in_progress"),
        ("resolve", {"resolution": "Credit note sent."}, "resolved"),
        ("close", {"note": "Client confirmed."}, "closed"),
        ("reopen", {"reason": "Wrong amount."}, "in_progress"),
    ]
    for action, payload, status in steps:
        answer = api(anna.user).post(f"/api/v1/cases/{case_id}/{action}/", payload, format="json")
        # then each answers with the case in its new status
        assert (answer.status_code, answer.json()["status"]) == (200, status)
    # and the timeline lists every step
    events = api(anna.user).get(f"/api/v1/cases/{case_id}/events/").json()
    assert [e["kind"] for e in events] == [
        "opened",
        "routed",
        "acknowledged",
        "started",
        "resolved",
        "closed",
        "reopened",
    ]
    resolved = next(e for e in events if e["kind"] == "resolved")
    assert (resolved["manager"], resolved["actor"], resolved["note"]) == (anna.pk, anna.user.pk, "Credit note sent.")
    reopened = events[-1]
    assert reopened["data"]["resolution"] == "Credit note sent."


def test_a_refused_action_answers_400_with_field_message_and_code(world):
    client, anna, _bence, _management = world
    case = case_in(CaseStatus.NEW, client, anna)
    before = case_state(case)
    # without the problem statement
    response = api(anna.user).post(f"/api/v1/cases/{case.pk}/acknowledge/", {}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "problem_statement": [
                {"message": "Write down the problem in your own words.", "code": "problem_statement_required"}
            ]
        },
    )
    # from the wrong status
    response = api(anna.user).post(f"/api/v1/cases/{case.pk}/close/", {}, format="json")
    assert (response.status_code, response.json()) == (
        400,
        {
            "non_field_errors": [
                {
                    "message": "Only a resolved case can be closed (this one is: New).",
                    "code": "transition_not_allowed",
                }
            ]
        },
    )
    assert case_state(case) == before


def test_out_of_scope_is_404_and_not_the_handler_is_403(world):
    client, anna, bence, _management = world
    case = case_in(CaseStatus.NEW, client, anna)
    before = case_state(case)
    # Bence sees neither the client nor the case
    assert api(bence.user).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api(bence.user).post(f"/api/v1/cases/{case.pk}/acknowledge/", {"problem_statement": "x"}).status_code == 404
    assert api(bence.user).get("/api/v1/cases/").json()["results"] == []
    assert api(bence.user).get("/api/v1/case-events/").json()["results"] == []
    opened = api(bence.user).post(
        "/api/v1/cases/", {"client": client.pk, "subject": "x", "description": "y"}, format="json"
    )
    assert opened.status_code == 404
    # HR sees nothing
    hr = make_user(Role.HR)
    assert api(hr).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    # Anna sees a case of her client handled by Bence but may not act on it, nor reassign her own
    other = case_in(CaseStatus.NEW, client, bence)
    assert api(anna.user).post(f"/api/v1/cases/{other.pk}/acknowledge/", {"problem_statement": "x"}).status_code == 403
    reassign = api(anna.user).post(f"/api/v1/cases/{case.pk}/reassign/", {"handler": bence.pk}, format="json")
    assert reassign.status_code == 403
    assert case_state(case) == before
    assert Case.objects.count() == 2


def test_management_reassigns_from_the_unrouted_queue(world):
    _client, _anna, _bence, management = world
    lonely = make_client(name="Gamma Bt.")
    response = api(management).post(
        "/api/v1/cases/", {"client": lonely.pk, "subject": "Login", "description": "Cannot log in."}, format="json"
    )
    body = response.json()
    assert (response.status_code, body["handler"], body["routing"]) == (201, None, ["no_pool_manager"])
    queue = api(management).get("/api/v1/cases/", {"unrouted": "true"}).json()["results"]
    assert [row["id"] for row in queue] == [body["id"]]
    pool = pool_manager()
    answer = api(management).post(f"/api/v1/cases/{body['id']}/reassign/", {"handler": pool.pk}, format="json")
    assert (answer.status_code, answer.json()["handler"], answer.json()["routing"]) == (200, pool.pk, ["reassigned"])
    event = CaseEvent.objects.filter(case_id=body["id"], kind="reassigned").get()
    assert (event.manager, event.actor) == (pool, management)


def test_case_list_filters(world):
    client, anna, bence, management = world
    first = case_in(CaseStatus.NEW, client, anna, subject="First", priority="high")
    case_in(CaseStatus.CLOSED, client, bence, subject="Second", category="billing")
    rows = lambda **params: [r["subject"] for r in api(management).get("/api/v1/cases/", params).json()["results"]]  # noqa: E731
    assert rows(status="new") == ["First"]
    assert rows(priority="high") == ["First"]
    assert rows(category="billing") == ["Second"]
    assert rows(handler=bence.pk) == ["Second"]
    assert rows(open="true") == ["First"]
    assert rows(client=client.pk, q=f"#{first.pk}") == ["First"]
    assert rows(opened_from="2026-03-02", opened_to="2026-03-02") == ["Second", "First"]
    assert rows(opened_from="2026-03-03") == []


def test_log_and_list_interactions(world):
    client, anna, bence, management = world
    case = case_in(CaseStatus.IN_PROGRESS, client, anna)
    response = api(anna.user).post(
        "/api/v1/interactions/",
        {"client": client.pk, "channel": "call", "summary": "Called about the credit note.", "case": case.pk},
        format="json",
    )
    assert response.status_code == 201
    interaction = Interaction.objects.get()
    assert (interaction.manager, interaction.case, interaction.created_by) == (anna, case, anna.user)
    assert response.json()["manager"] == anna.pk
    # a manager cannot log for a colleague; Management can
    denied = api(anna.user).post(
        "/api/v1/interactions/",
        {"client": client.pk, "channel": "call", "summary": "x", "manager": bence.pk},
        format="json",
    )
    assert denied.status_code == 400  # Bence is not among the managers Anna may see
    assert denied.json()["manager"][0]["code"] == "does_not_exist"
    logged = api(management).post(
        "/api/v1/interactions/",
        {"client": client.pk, "channel": "visit", "summary": "Site visit.", "manager": bence.pk},
        format="json",
    )
    assert (logged.status_code, logged.json()["manager"]) == (201, bence.pk)
    # the list filters by channel and manager; Bence sees only his own interaction
    assert [
        r["summary"] for r in api(management).get("/api/v1/interactions/", {"channel": "visit"}).json()["results"]
    ] == ["Site visit."]
    assert [r["summary"] for r in api(bence.user).get("/api/v1/interactions/").json()["results"]] == ["Site visit."]
    # a future contact is refused with its code
    future = api(anna.user).post(
        "/api/v1/interactions/",
        {"client": client.pk, "channel": "call", "summary": "x", "occurred_at": "2100-01-01T10:00:00+01:00"},
        format="json",
    )
    assert (future.status_code, future.json()["occurred_at"][0]["code"]) == (400, "in_future")
    assert Interaction.objects.count() == 2
    # out of scope is 404
    other = make_client(name="Béta Zrt.")
    assert (
        api(anna.user)
        .post("/api/v1/interactions/", {"client": other.pk, "channel": "call", "summary": "x"}, format="json")
        .status_code
        == 404
    )


def test_case_events_endpoint(world):
    client, anna, _bence, management = world
    case = case_in(CaseStatus.NEW, client, anna)
    api(anna.user).post(f"/api/v1/cases/{case.pk}/acknowledge/", {"problem_statement": "Seen."}, format="json")
    rows = api(management).get("/api/v1/case-events/", {"case": case.pk}).json()["results"]
    assert [(r["kind"], r["actor"], r["note"]) for r in rows] == [("acknowledged", anna.user.pk, "Seen.")]
    single = api(anna.user).get(f"/api/v1/case-events/{rows[0]['id']}/")
    assert single.status_code == 200
    assert api(named_manager("Bence", "Tóth").user).get(f"/api/v1/case-events/{rows[0]['id']}/").status_code == 404


def test_list_endpoints_run_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client, anna, _bence, management = world
    for n in range(15):
        case_in(CaseStatus.NEW, client, anna, subject=f"Case {n}")
    with django_assert_max_num_queries(3):
        assert len(api(management).get("/api/v1/cases/").json()["results"]) == 15
    with django_assert_max_num_queries(3):
        api(management).get("/api/v1/interactions/")
