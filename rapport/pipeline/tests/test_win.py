"""Winning a client (C4): the client becomes active, the winner is credited once, and a legal entity gets its
personal manager: the one it had, else the winner, else the engine's cheapest choice, else the queue.

Every refusal asserts its exact error code and that nothing changed.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_group, make_opportunity
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange
from rapport.pipeline.services import opportunity_create
from rapport.pipeline.tests.support import (
    NOW,
    TODAY,
    current_assignments,
    history,
    holding,
    make_prospect,
    named_manager,
    opportunity_at,
    pipeline_state,
    refusal,
    win,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    """Every test runs at ``NOW``."""
    with mock.patch("django.utils.timezone.now", return_value=NOW) as now:
        yield now


@pytest.fixture
def anna():
    return named_manager("Anna", "Kovács")


def codes(reasons: list[dict]) -> list[str]:
    return [reason["code"] for reason in reasons]


# ---------------------------------------------------------------------------------------------------------------
# Winning
# ---------------------------------------------------------------------------------------------------------------


def test_winning_activates_the_client_credits_the_winner_and_gives_them_the_client(anna):
    # given Anna's offer to a legal-entity prospect, and Anna is a personal manager with free capacity
    opportunity = opportunity_at(anna, Stage.OFFER, name="Alfa Kft.")
    client = opportunity.client

    # when she wins it
    result = win(opportunity, anna.user)

    # then the client is active and credited to her today
    client.refresh_from_db()
    assert (client.status, client.acquired_by_id, client.acquired_on) == ("active", anna.pk, TODAY)
    # and one acquisition records the credit
    acquisition = Acquisition.objects.get()
    assert (
        acquisition.client_id,
        acquisition.manager_id,
        acquisition.opportunity_id,
        acquisition.acquired_on,
        acquisition.was_vip,
        acquisition.credited_by_id,
        acquisition.reversed_at,
        acquisition.reversed_by_id,
        acquisition.reversal_reason,
    ) == (client.pk, anna.pk, opportunity.pk, TODAY, False, anna.user.pk, None, None, "")
    assert result.acquisition == acquisition
    # and the opportunity is closed as won, the move offer → won recorded with the note
    won = Opportunity.objects.get(pk=opportunity.pk)
    assert (won.stage, won.stage_changed_at, won.closed_at, won.lost_reason) == ("won", NOW, NOW, "")
    assert result.opportunity == won
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "at", "actor_id", "note")) == [
        ("offer", "won", NOW, anna.user.pk, "Signed")
    ]
    # and Anna is the client's personal manager from today, by acquisition
    assert result.placement.outcome == "winner"
    assert result.placement.reasons == [{"code": "winner", "kind": "rule", "cost": 0, "params": {}}]
    assignment = result.placement.assignment
    assert (
        assignment.client_id,
        assignment.manager_id,
        assignment.start_date,
        assignment.end_date,
        assignment.reason,
        assignment.actor_id,
    ) == (client.pk, anna.pk, TODAY, None, "acquisition", anna.user.pk)
    assert current_assignments() == [(client.pk, anna.pk, TODAY, "acquisition")]
    # and every write is in the history, by Anna
    assert history(client)[-1] == ("~", anna.user.pk, "won")
    assert history(won)[-1] == ("~", anna.user.pk, "stage:won")
    assert history(assignment) == [("+", anna.user.pk, "acquisition")]


def test_the_day_of_the_win_is_the_local_date(anna, clock):
    # given a win at 00:30 in Budapest on 10 June, still 9 June in UTC
    clock.return_value = datetime.datetime(2025, 6, 9, 22, 30, tzinfo=datetime.UTC)
    opportunity = opportunity_at(anna, Stage.OFFER)

    # when Anna wins / then the client, the acquisition and the assignment are dated 10 June
    result = win(opportunity, anna.user)
    client = Client.objects.get(pk=opportunity.client_id)
    assert (client.acquired_on, result.acquisition.acquired_on, result.placement.assignment.start_date) == (
        TODAY,
        TODAY,
        TODAY,
    )


def test_management_wins_on_the_managers_behalf(management, anna):
    # given Anna's offer
    opportunity = opportunity_at(anna, Stage.OFFER)

    # when Management records the win
    result = win(opportunity, management)

    # then Anna is credited and holds the client, and Management is named as the one who did it
    acquisition = result.acquisition
    assert (acquisition.manager_id, acquisition.credited_by_id) == (anna.pk, management.pk)
    assert Client.objects.get(pk=opportunity.client_id).acquired_by_id == anna.pk
    assert (result.placement.outcome, result.placement.assignment.manager_id) == ("winner", anna.pk)
    assert result.placement.assignment.actor_id == management.pk


def test_a_vip_won_by_a_qualified_manager_stays_with_them():
    # given a VIP prospect and a VIP-qualified winner
    anna = named_manager("Anna", "Kovács", vip_qualified=True)
    opportunity = opportunity_at(anna, Stage.OFFER, is_vip=True)

    # when she wins it / then the acquisition says it was a VIP, and she holds it
    result = win(opportunity, anna.user)
    assert result.acquisition.was_vip is True
    assert (result.placement.outcome, result.placement.assignment.manager_id) == ("winner", anna.pk)


def test_a_winner_with_one_free_place_takes_the_client():
    # given a winner with capacity 3 holding 2 clients
    anna = named_manager("Anna", "Kovács", capacity=3)
    holding(anna, 2)
    opportunity = opportunity_at(anna, Stage.OFFER)

    # when she wins / then she holds exactly 3
    assert win(opportunity, anna.user).placement.outcome == "winner"
    assert Assignment.objects.filter(manager=anna, end_date__isnull=True).count() == 3


def test_a_pool_winner_is_credited_and_the_engine_chooses_the_cheapest_personal_manager():
    # given a pool manager's offer to a prospect motivated by advice
    anna = named_manager("Anna", "Pool", work_mode=WorkMode.POOL, manager_type=ManagerType.ADVICE)
    opportunity = opportunity_at(anna, Stage.OFFER, motivation=Motivation.ADVICE)
    # and personal managers: Béla of another type (40), Csilla an adviser at 3 of 10 (0), Dóra an adviser on leave
    bela = named_manager("Béla", "Nagy", manager_type=ManagerType.PARTNERSHIP)
    csilla = named_manager("Csilla", "Tóth", manager_type=ManagerType.ADVICE)
    named_manager("Dóra", "Away", manager_type=ManagerType.ADVICE, employment_status=EmploymentStatus.ON_LEAVE)
    holding(csilla, 3)

    # when Anna wins it
    result = win(opportunity, anna.user)

    # then Anna is credited, and Csilla holds the client with the engine's reasons
    assert (result.acquisition.manager_id, Client.objects.get(pk=opportunity.client_id).acquired_by_id) == (
        anna.pk,
        anna.pk,
    )
    placement = result.placement
    assert placement.outcome == "engine"
    assert (placement.assignment.manager_id, placement.assignment.reason) == (csilla.pk, "acquisition")
    assert placement.reasons == [
        {"code": "legal_entity", "kind": "rule", "cost": 0, "params": {}},
        {"code": "manager_active_personal", "kind": "rule", "cost": 0, "params": {"manager": csilla.pk}},
        {"code": "capacity", "kind": "rule", "cost": 0, "params": {"manager": csilla.pk, "load": 4, "capacity": 10}},
        {
            "code": "motivation_match",
            "kind": "cost",
            "cost": 0,
            "params": {"motivation": "advice", "manager_type": "advice"},
        },
        {
            "code": "load",
            "kind": "cost",
            "cost": 0,
            "params": {"manager": csilla.pk, "load": 4, "capacity": 10, "percent": 40, "cost": 0},
        },
    ]
    assert Assignment.objects.filter(manager=bela).count() == 0


def test_a_full_winner_leaves_the_client_to_the_manager_serving_its_group():
    # given a winner at full capacity
    anna = named_manager("Anna", "Kovács", capacity=1)
    holding(anna, 1)
    retail = make_group("Retail")
    opportunity = opportunity_at(anna, Stage.OFFER, motivation=Motivation.DECISION, group=retail)
    # and two empty decision managers of whom only the later one serves the group (the other costs 20)
    other = named_manager("Béla", "Nagy", manager_type=ManagerType.DECISION)
    serving = named_manager("Csilla", "Tóth", manager_type=ManagerType.DECISION, groups=[retail])

    # when Anna wins
    placement = win(opportunity, anna.user).placement

    # then the manager serving the group holds the client
    assert (placement.outcome, placement.assignment.manager_id) == ("engine", serving.pk)
    assert codes(placement.reasons) == [
        "legal_entity",
        "manager_active_personal",
        "capacity",
        "motivation_match",
        "group_served",
        "load",
    ]
    group_reason = placement.reasons[4]
    assert group_reason["params"] == {"manager": serving.pk, "group": "Retail", "group_id": retail.pk}
    assert Assignment.objects.filter(manager=other).count() == 0
    assert Assignment.objects.filter(manager=anna, end_date__isnull=True).count() == 1


def test_a_vip_won_by_an_unqualified_manager_goes_to_the_cheapest_qualified_one():
    # given an unqualified winner with room, and a VIP prospect motivated by partnership
    anna = named_manager("Anna", "Kovács", vip_qualified=False)
    opportunity = opportunity_at(anna, Stage.OFFER, is_vip=True, motivation=Motivation.PARTNERSHIP)
    # and: an empty qualified junior (15), a qualified senior at 7 of 10 (next place 80 %: 5), an empty unqualified
    junior = named_manager("Béla", "Junior", vip_qualified=True, level=ManagerLevel.JUNIOR)
    senior = named_manager("Csilla", "Senior", vip_qualified=True, level=ManagerLevel.SENIOR)
    holding(senior, 7)
    plain = named_manager("Dóra", "Plain", vip_qualified=False, level=ManagerLevel.SENIOR)

    # when Anna wins
    result = win(opportunity, anna.user)

    # then the busy senior holds the VIP, at the load cost of her 8th place
    placement = result.placement
    assert (placement.outcome, placement.assignment.manager_id) == ("engine", senior.pk)
    assert codes(placement.reasons) == [
        "legal_entity",
        "manager_active_personal",
        "vip_qualified",
        "capacity",
        "motivation_match",
        "load",
    ]
    assert placement.reasons[-1]["cost"] == 5
    assert placement.reasons[3]["params"] == {"manager": senior.pk, "load": 8, "capacity": 10}
    assert result.acquisition.was_vip is True
    assert Assignment.objects.filter(manager__in=[anna, junior, plain]).count() == 0


def test_a_vip_goes_to_a_junior_when_that_is_cheapest():
    # given an unqualified winner and two qualified managers: a junior (15) and a senior at 9 of 10 (10)
    anna = named_manager("Anna", "Kovács")
    opportunity = opportunity_at(anna, Stage.OFFER, is_vip=True, motivation=Motivation.PARTNERSHIP)
    junior = named_manager("Béla", "Junior", vip_qualified=True, level=ManagerLevel.JUNIOR)
    senior = named_manager("Csilla", "Senior", vip_qualified=True, level=ManagerLevel.SENIOR)
    holding(senior, 9)

    # when Anna wins / then the senior's last place (10) beats the junior (15)
    placement = win(opportunity, anna.user).placement
    assert placement.assignment.manager_id == senior.pk
    # and once the senior is full, the junior takes the next one, with the VIP-with-junior cost explained
    other = opportunity_at(anna, Stage.OFFER, is_vip=True, motivation=Motivation.PARTNERSHIP)
    placement = win(other, anna.user).placement
    assert placement.assignment.manager_id == junior.pk
    assert codes(placement.reasons) == [
        "legal_entity",
        "manager_active_personal",
        "vip_qualified",
        "capacity",
        "motivation_match",
        "vip_with_junior",
        "load",
    ]
    assert placement.reasons[5] == {
        "code": "vip_with_junior",
        "kind": "cost",
        "cost": 15,
        "params": {"manager": junior.pk, "level": "junior"},
    }


def test_a_winner_on_leave_is_credited_and_the_engine_places_the_client(management):
    # given Anna's offer, and Anna went on leave before Management recorded the win
    anna = named_manager("Anna", "Kovács", employment_status=EmploymentStatus.ON_LEAVE)
    opportunity = opportunity_at(anna, Stage.OFFER)
    bela = named_manager("Béla", "Nagy")

    # when Management records the win / then Anna is credited and Béla holds the client
    result = win(opportunity, management)
    assert result.acquisition.manager_id == anna.pk
    assert (result.placement.outcome, result.placement.assignment.manager_id) == ("engine", bela.pk)


def test_with_nobody_eligible_the_won_client_waits_for_a_manager():
    # given a pool manager's offer to a VIP, a full personal manager and an unqualified one
    anna = named_manager("Anna", "Pool", work_mode=WorkMode.POOL)
    opportunity = opportunity_at(anna, Stage.OFFER, is_vip=True)
    full = named_manager("Béla", "Full", vip_qualified=True, capacity=1)
    holding(full, 1)
    named_manager("Csilla", "Plain", vip_qualified=False)
    before = current_assignments()

    # when Anna wins
    result = win(opportunity, anna.user)

    # then the client is active and credited, but has no personal manager: it waits for the next plan
    assert result.placement.outcome == "queued"
    assert result.placement.assignment is None
    assert result.placement.reasons == [{"code": "no_manager_available", "kind": "unassigned", "cost": 0, "params": {}}]
    assert current_assignments() == before
    client = Client.objects.get(pk=opportunity.client_id)
    assert (client.status, client.acquired_by_id) == ("active", anna.pk)


def test_an_individual_gets_no_personal_manager(anna):
    # given Anna's offer to an individual
    opportunity = opportunity_at(anna, Stage.OFFER, kind=ClientKind.INDIVIDUAL, name="Kiss Péter")

    # when she wins / then the client is active and credited, with no assignment
    result = win(opportunity, anna.user)
    assert (result.placement.outcome, result.placement.assignment, result.placement.reasons) == ("not_needed", None, [])
    assert Assignment.objects.count() == 0
    client = Client.objects.get(pk=opportunity.client_id)
    assert (client.status, client.acquired_by_id, client.acquired_on) == ("active", anna.pk, TODAY)


def test_a_prospect_assigned_by_hand_keeps_its_manager(anna):
    # given a prospect Management assigned to Béla, and Anna's offer to it
    bela = named_manager("Béla", "Nagy")
    client = make_prospect(motivation=Motivation.ADVICE)
    assigned = make_assignment(client, bela, start_date=datetime.date(2025, 1, 1))
    opportunity = opportunity_at(anna, Stage.OFFER, client=client)

    # when Anna wins
    result = win(opportunity, anna.user)

    # then Anna is credited and Béla keeps the client
    assert result.acquisition.manager_id == anna.pk
    assert (result.placement.outcome, result.placement.assignment) == ("kept", assigned)
    assert current_assignments() == [(client.pk, bela.pk, datetime.date(2025, 1, 1), "manual")]


def test_a_won_client_cannot_be_credited_twice(management, anna):
    # given a client Béla won (a standing credit), and Anna's offer on it written directly
    bela = named_manager("Béla", "Nagy")
    client = make_prospect(name="Alfa Kft.")
    first = make_opportunity(client, bela, stage=Stage.WON)
    Acquisition.objects.create(
        client=client, manager=bela, opportunity=first, acquired_on=datetime.date(2025, 6, 1), credited_by=management
    )
    second = opportunity_at(anna, Stage.OFFER, client=client)
    before = pipeline_state()

    # when Anna wins it
    with pytest.raises(ValidationError) as exc_info:
        win(second, anna.user)

    # then it is refused, naming the manager credited, and nothing changed
    assert refusal(exc_info.value) == (None, "already_acquired")
    assert exc_info.value.messages == ["Alfa Kft. is already credited to Béla Nagy."]
    assert pipeline_state() == before


def test_a_client_acquired_before_the_pipeline_cannot_be_won_again(anna):
    # given a client recorded as acquired by Béla (no acquisition row), and Anna's offer on it
    bela = named_manager("Béla", "Nagy")
    client = make_prospect(name="Alfa Kft.", acquired_by=bela, acquired_on=datetime.date(2024, 3, 1))
    opportunity = opportunity_at(anna, Stage.OFFER, client=client)
    before = pipeline_state()

    # when Anna wins it / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        win(opportunity, anna.user)
    assert refusal(exc_info.value) == (None, "already_acquired")
    assert exc_info.value.messages == ["Alfa Kft. is already credited to Béla Nagy."]
    assert pipeline_state() == before


def test_an_offer_to_a_client_that_is_no_longer_a_prospect_cannot_be_won(anna):
    # given Anna's offer, written directly, to an active client nobody is credited with
    opportunity = opportunity_at(anna, Stage.OFFER, name="Alfa Kft.", status=ClientStatus.ACTIVE)
    before = pipeline_state()

    # when she wins it / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        win(opportunity, anna.user)
    assert refusal(exc_info.value) == (None, "not_a_prospect")
    assert pipeline_state() == before


def test_a_won_client_is_no_longer_open_to_another_opportunity(management, anna):
    # given a client Anna won
    opportunity = opportunity_at(anna, Stage.OFFER)
    win(opportunity, anna.user)
    bela = named_manager("Béla", "Nagy")
    before = pipeline_state()

    # when Management opens an opportunity on it for Béla / then refused: it is not a prospect
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=management, client=opportunity.client, manager=bela)
    assert refusal(exc_info.value) == (None, "not_a_prospect")
    assert pipeline_state() == before
