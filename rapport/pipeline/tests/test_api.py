"""API of the pipeline: prospects, moves, wins, undo, stage changes and acquisitions, each scoped to the caller."""

import pytest
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.clients.choices import ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_client, make_manager, make_opportunity, make_user
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def manager_named(first, last, **fields):
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name=last), **fields)


def test_a_manager_creates_a_prospect_with_its_first_opportunity():
    # given a client manager
    anna = manager_named("Anna", "Kovacs")
    # when she posts a new prospect
    response = api(anna.user).post(
        "/api/v1/prospects/",
        {"kind": "legal_entity", "name": "Gamma Zrt.", "registration_number": "01-10-999999", "title": "Gamma deal"},
        format="json",
    )
    # then the prospect and an opportunity of hers in stage new exist
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["stage"], body["manager"]) == ("Gamma deal", "new", anna.pk)
    assert body["allowed_moves"] == ["contacted", "lost"]
    assert Client.objects.get(pk=body["client"]).status == ClientStatus.PROSPECT


def test_a_duplicate_prospect_is_refused_with_the_existing_clients_id():
    # given an existing client with an e-mail address
    existing = make_client(name="Delta Kft.", email="info@delta.hu")
    anna = manager_named("Anna", "Kovacs")
    # when a prospect with the same e-mail in capitals is posted
    response = api(anna.user).post(
        "/api/v1/prospects/", {"kind": "individual", "name": "Somebody", "email": "INFO@delta.hu"}, format="json"
    )
    # then 400 names the field, the code and the existing client's id, and nothing is written
    assert response.status_code == 400
    [error] = response.json()["email"]
    assert error["code"] == "duplicate_client"
    assert error["details"] == {"client_id": existing.pk}
    assert Client.objects.count() == 1
    assert Opportunity.objects.count() == 0


def test_moves_then_a_win_answer_with_the_acquisition_and_placement():
    # given Anna's opportunity in "offer" on a prospect with a known motivation
    anna = manager_named("Anna", "Kovacs")
    prospect = make_client(name="Epsilon Kft.", status=ClientStatus.PROSPECT, motivation=Motivation.PARTNERSHIP)
    opportunity = make_opportunity(prospect, anna, stage=Stage.OFFER)
    # when she moves it to won
    response = api(anna.user).post(f"/api/v1/opportunities/{opportunity.pk}/move/", {"to_stage": "won"}, format="json")
    # then 201 with the won opportunity, her acquisition credit and her as the personal manager
    assert response.status_code == 201
    body = response.json()
    assert body["opportunity"]["stage"] == "won"
    assert (body["acquisition"]["manager"], body["acquisition"]["is_reversed"]) == (anna.pk, False)
    assert (body["placement"]["outcome"], body["placement"]["manager"]) == ("winner", anna.pk)


def test_a_refused_move_answers_400_with_its_code_and_changes_nothing():
    # given an opportunity in "new"
    anna = manager_named("Anna", "Kovacs")
    opportunity = make_opportunity(make_client(status=ClientStatus.PROSPECT), anna)
    # when Anna tries to jump to "offer"
    response = api(anna.user).post(
        f"/api/v1/opportunities/{opportunity.pk}/move/", {"to_stage": "offer"}, format="json"
    )
    # then 400 with the code, and the opportunity is unchanged
    assert response.status_code == 400
    assert response.json()["stage"][0]["code"] == "stage_not_allowed"
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NEW
    assert StageChange.objects.count() == 0


def test_another_managers_opportunity_is_not_found():
    # given Bela's opportunity
    anna = manager_named("Anna", "Kovacs")
    bela = manager_named("Bela", "Nagy")
    opportunity = make_opportunity(make_client(status=ClientStatus.PROSPECT), bela)
    caller = api(anna.user)
    # when Anna reads or moves it, then 404 and nothing changes
    assert caller.get(f"/api/v1/opportunities/{opportunity.pk}/").status_code == 404
    moved = caller.post(f"/api/v1/opportunities/{opportunity.pk}/move/", {"to_stage": "contacted"}, format="json")
    assert moved.status_code == 404
    assert caller.get("/api/v1/opportunities/").json()["results"] == []
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NEW


def test_undo_win_is_management_only_and_reverses_the_credit(management):
    # given a won opportunity
    anna = manager_named("Anna", "Kovacs")
    prospect = make_client(status=ClientStatus.PROSPECT, motivation=Motivation.ADVICE)
    opportunity = make_opportunity(prospect, anna, stage=Stage.OFFER)
    api(anna.user).post(f"/api/v1/opportunities/{opportunity.pk}/move/", {"to_stage": "won"}, format="json")
    # when Anna tries to undo it, then 403 and the credit stands
    denied = api(anna.user).post(
        f"/api/v1/opportunities/{opportunity.pk}/undo-win/", {"reason": "Fell through"}, format="json"
    )
    assert denied.status_code == 403
    assert Acquisition.objects.get().reversed_at is None
    # when Management undoes it, then the credit is reversed with the reason
    response = api(management).post(
        f"/api/v1/opportunities/{opportunity.pk}/undo-win/", {"reason": "Fell through"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["is_reversed"], response.json()["reversal_reason"]) == (True, "Fell through")


def test_acquisitions_are_read_by_payroll_and_by_their_manager_only(payroll):
    # given acquisitions of Anna and of Bela
    anna = manager_named("Anna", "Kovacs")
    bela = manager_named("Bela", "Nagy")
    for manager in (anna, bela):
        prospect = make_client(status=ClientStatus.PROSPECT, motivation=Motivation.ADVICE)
        opportunity = make_opportunity(prospect, manager, stage=Stage.OFFER)
        api(manager.user).post(f"/api/v1/opportunities/{opportunity.pk}/move/", {"to_stage": "won"}, format="json")
    # when Payroll and Anna list acquisitions
    by_payroll = api(payroll).get("/api/v1/acquisitions/").json()["results"]
    by_anna = api(anna.user).get("/api/v1/acquisitions/").json()["results"]
    # then Payroll sees both, Anna only hers; HR sees none
    assert sorted(row["manager"] for row in by_payroll) == sorted([anna.pk, bela.pk])
    assert [row["manager"] for row in by_anna] == [anna.pk]
    assert api(make_user(Role.HR)).get("/api/v1/acquisitions/").json()["results"] == []
