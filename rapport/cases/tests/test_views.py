"""The case and interaction pages: who gets what, forms that call the services, refusals that change nothing."""

import pytest
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case, Interaction
from rapport.cases.tests.support import case_in, case_state, named_manager
from rapport.core.testing import make_assignment, make_client, make_interaction, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(management):
    client = make_client(name="Alfa Kft.")
    anna = named_manager("Anna", "Kovács")
    bence = named_manager("Bence", "Szabó")
    make_assignment(client, anna)
    case = case_in(CaseStatus.NEW, client, anna, subject="Double charge")
    users = {
        "management": management,
        "handler": anna.user,
        "other_manager": bence.user,
        "hr": make_user(Role.HR),
        "anonymous": None,
    }
    return client, anna, bence, case, users


def browser(user=None) -> Browser:
    b = Browser()
    if user is not None:
        b.force_login(user)
    return b


# role → list, detail, workspace, interactions, open form, log form
EXPECTED = {
    "management": (200, 200, 302, 200, 200, 200),
    "handler": (200, 200, 200, 200, 200, 200),
    "other_manager": (200, 404, 200, 200, 404, 404),
    "hr": (403, 404, 403, 403, 403, 403),
    "anonymous": (302, 302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_pages_by_role(world, role):
    client, _anna, _bence, case, users = world
    b = browser(users[role])
    got = (
        b.get("/cases/").status_code,
        b.get(f"/cases/{case.pk}/").status_code,
        b.get("/cases/workspace/").status_code,
        b.get("/cases/interactions/").status_code,
        b.get(f"/cases/new/?client={client.pk}").status_code,
        b.get(f"/cases/interactions/new/?client={client.pk}").status_code,
    )
    assert got == EXPECTED[role]
    page = b.get("/cases/")
    assert (b"Double charge" in page.content) is (role in {"management", "handler"})


def test_a_manager_opens_a_case_from_the_form(world):
    client, anna, _bence, _case, users = world
    b = browser(users["handler"])
    response = b.post(
        f"/cases/new/?client={client.pk}",
        {
            "subject": "Late delivery",
            "description": "The pallet came a week late.",
            "category": "request",
            "priority": "high",
        },
    )
    case = Case.objects.get(subject="Late delivery")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.client, case.handler, case.priority, case.opened_by) == (client, anna, "high", anna.user)
    page = b.get(response["Location"])
    assert b"Case opened and given to Anna Kov" in page.content


def test_the_open_form_shows_the_services_errors(world):
    client, _anna, _bence, _case, users = world
    response = browser(users["handler"]).post(
        f"/cases/new/?client={client.pk}",
        {"subject": "   ", "description": "x", "category": "other", "priority": "low"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"subject": ["This field is required."]}
    assert Case.objects.count() == 1


def test_management_without_a_client_is_sent_to_the_client_list(world):
    *_rest, users = world
    response = browser(users["management"]).get("/cases/new/")
    assert (response.status_code, response["Location"]) == (302, "/clients/")


def test_the_detail_page_offers_only_the_allowed_forms(world):
    _client, _anna, _bence, case, users = world
    handler_page = browser(users["handler"]).get(f"/cases/{case.pk}/")
    assert [action for action, _form in handler_page.context["forms"]] == ["acknowledge"]
    management_page = browser(users["management"]).get(f"/cases/{case.pk}/")
    assert [action for action, _form in management_page.context["forms"]] == ["acknowledge", "reassign"]
    assert b'id="timeline"' in handler_page.content


def test_acknowledge_through_the_page(world):
    _client, _anna, _bence, case, users = world
    response = browser(users["handler"]).post(
        f"/cases/{case.pk}/acknowledge/", {"acknowledge-problem_statement": "Delivery charged twice."}
    )
    assert (response.status_code, response["Location"]) == (302, f"/cases/{case.pk}/")
    case.refresh_from_db()
    assert (case.status, case.problem_statement) == ("acknowledged", "Delivery charged twice.")


def test_a_refused_transition_shows_why_and_changes_nothing(world):
    _client, _anna, _bence, case, users = world
    before = case_state(case)
    # resolving a new case: not allowed from its status
    response = browser(users["handler"]).post(f"/cases/{case.pk}/resolve/", {"resolve-resolution": "Done."})
    assert response.status_code == 400
    assert response.context["refused"].non_field_errors() == [
        "Only an acknowledged case or one in progress can be resolved (this one is: New)."
    ]
    # acknowledging without the statement
    response = browser(users["handler"]).post(f"/cases/{case.pk}/acknowledge/", {"acknowledge-problem_statement": ""})
    assert response.status_code == 400
    assert case_state(case) == before


@pytest.mark.parametrize(("role", "status"), [("other_manager", 404), ("hr", 404)])
def test_people_who_do_not_see_the_case_get_404_on_a_transition(world, role, status):
    _client, _anna, _bence, case, users = world
    before = case_state(case)
    response = browser(users[role]).post(f"/cases/{case.pk}/acknowledge/", {"acknowledge-problem_statement": "x"})
    assert response.status_code == status
    assert case_state(case) == before


def test_a_manager_who_sees_but_does_not_handle_gets_403(world):
    client, anna, bence, _case, users = world
    other_case = case_in(CaseStatus.NEW, client, bence, subject="Bence's")
    before = case_state(other_case)
    response = browser(users["handler"]).post(
        f"/cases/{other_case.pk}/acknowledge/", {"acknowledge-problem_statement": "x"}
    )
    assert response.status_code == 403
    assert (
        browser(users["handler"]).post(f"/cases/{other_case.pk}/reassign/", {"reassign-handler": anna.pk}).status_code
        == 403
    )
    assert case_state(other_case) == before


def test_an_unknown_action_is_404(world):
    _client, _anna, _bence, case, users = world
    assert browser(users["management"]).post(f"/cases/{case.pk}/explode/").status_code == 404


def test_the_list_filters_breaches_and_the_unrouted_queue(world):
    client, _anna, _bence, case, users = world
    unrouted = case_in(CaseStatus.NEW, client, None, subject="Nobody's", opened_by=users["management"])
    b = browser(users["management"])
    rows = b.get("/cases/", {"unrouted": "true"}).context["rows"]
    assert [row.case.pk for row in rows] == [unrouted.pk]
    partial = b.get("/cases/", {"unrouted": "true"}, HTTP_HX_REQUEST="true")
    assert b"Nobody&#x27;s" in partial.content
    assert b"<html" not in partial.content
    assert [row.case.pk for row in b.get("/cases/", {"breached": "true"}).context["rows"]] == [unrouted.pk, case.pk]


def test_the_quick_log_rerenders_the_form_and_the_recent_list(world):
    client, anna, _bence, _case, users = world
    b = browser(users["handler"])
    response = b.post(
        "/cases/interactions/new/",
        {"quick": "1", "quick-client": client.pk, "quick-channel": "call", "quick-summary": "Asked about April."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "cases/_quick_log.html"
    interaction = Interaction.objects.get()
    assert (interaction.client, interaction.manager, interaction.summary) == (client, anna, "Asked about April.")
    assert b"Interaction with Alfa Kft. logged." in response.content
    assert list(response.context["recent"]) == [interaction]
    # an invalid one shows its errors in the same place
    response = b.post("/cases/interactions/new/", {"quick": "1", "quick-client": client.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"channel", "summary"}
    assert Interaction.objects.count() == 1


def test_the_full_log_form_goes_back_to_the_client(world):
    client, anna, _bence, case, users = world
    response = browser(users["handler"]).post(
        f"/cases/interactions/new/?client={client.pk}",
        {"channel": "email", "summary": "Sent the credit note.", "case": case.pk, "occurred_at": "2026-03-04T10:30"},
    )
    assert (response.status_code, response["Location"]) == (302, f"/clients/{client.pk}/")
    interaction = Interaction.objects.get()
    assert (interaction.case, interaction.manager, interaction.channel) == (case, anna, "email")


def test_the_workspace_shows_the_managers_work(world):
    client, anna, _bence, case, users = world
    make_interaction(client, anna, summary="Promised a call back.", follow_up_on="2020-01-01")
    page = browser(users["handler"]).get("/cases/workspace/")
    assert [row.case for row in page.context["rows"]] == [case]
    assert [i.summary for i in page.context["follow_ups"]] == ["Promised a call back."]
    assert b"Promised a call back." in page.content


def test_the_client_page_shows_cases_and_interactions(world):
    client, anna, _bence, _case, users = world
    make_interaction(client, anna, summary="Quarterly review.")
    page = browser(users["handler"]).get(f"/clients/{client.pk}/")
    assert page.status_code == 200
    assert b'id="open-case"' in page.content
    assert b"Double charge" in page.content
    assert b"Quarterly review." in page.content


def test_the_admin_shows_cases_read_only(world, admin_user):
    client, anna, _bence, case, _users = world
    interaction = make_interaction(client, anna)
    event = case.events.create(kind="note", at=case.opened_at, actor=admin_user)
    b = browser(admin_user)
    for path in (
        "/admin/cases/case/",
        f"/admin/cases/case/{case.pk}/change/",
        "/admin/cases/caseevent/",
        f"/admin/cases/caseevent/{event.pk}/change/",
        "/admin/cases/interaction/",
        f"/admin/cases/interaction/{interaction.pk}/change/",
    ):
        assert b.get(path).status_code == 200, path
    assert b.get("/admin/cases/case/add/").status_code == 403


@pytest.mark.parametrize("rows", [2, 12])
def test_list_pages_run_a_fixed_number_of_queries(world, django_assert_num_queries, rows):
    client, anna, _bence, _case, users = world
    for n in range(rows):
        case_in(CaseStatus.IN_PROGRESS, client, anna, subject=f"Case {n}")
        make_interaction(client, anna, summary=f"Call {n}")
    b = browser(users["management"])
    # session, user, roles, page, filter choices (handlers)
    with django_assert_num_queries(5):
        assert b.get("/cases/").status_code == 200
    with django_assert_num_queries(5):
        assert b.get("/cases/interactions/").status_code == 200
    # session, user, roles, the manager profile, open cases, follow-ups, not contacted, recent, the form's client
    # choices, and the ids of the clients the manager sees (read once for the form, once for the recent list);
    # then the registered panels of the manager's day: portfolio (its visible assignments' clients and one
    # count), opportunities by stage, ratings by month, and whether the manager is on a pay plan (not here)
    handler = browser(users["handler"])
    with django_assert_num_queries(16):
        assert handler.get("/cases/workspace/").status_code == 200
