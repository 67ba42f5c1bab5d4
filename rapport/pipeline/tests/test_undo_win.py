"""Undoing a win (C4): Management, with a reason, within ``WIN_UNDO_DAYS`` days of the acquisition. The client goes
back to prospect and loses the personal manager the win gave it; the credit is reversed, not deleted; the
opportunity is lost ("win undone"); the prospect can be won again.

Every refusal asserts its exact error code and that nothing changed.
"""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.assignment.models import Assignment
from rapport.assignment.services import assignment_create
from rapport.clients.choices import Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_assignment
from rapport.managers.choices import WorkMode
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange
from rapport.pipeline.services import opportunity_create, opportunity_move, opportunity_undo_win
from rapport.pipeline.tests.support import (
    NOW,
    TODAY,
    current_assignments,
    history,
    make_prospect,
    named_manager,
    opportunity_at,
    pipeline_state,
    refusal,
    win,
)

pytestmark = pytest.mark.django_db

WINDOW = settings.RAPPORT["WIN_UNDO_DAYS"]


@pytest.fixture(autouse=True)
def clock():
    """Every test starts at ``NOW``; a test moves the clock by setting ``clock.return_value``."""
    with mock.patch("django.utils.timezone.now", return_value=NOW) as now:
        yield now


@pytest.fixture
def anna():
    return named_manager("Anna", "Kovács")


# ---------------------------------------------------------------------------------------------------------------
# Undoing a win
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def won(anna) -> Opportunity:
    """An opportunity Anna won at ``NOW``; she holds the client."""
    opportunity = opportunity_at(anna, Stage.OFFER, name="Alfa Kft.")
    win(opportunity, anna.user)
    return Opportunity.objects.get(pk=opportunity.pk)


def test_management_undoes_a_win(management, anna, won, clock):
    # given a win ten days ago
    later = NOW + datetime.timedelta(days=10)
    clock.return_value = later
    acquisition = Acquisition.objects.get()

    # when Management undoes it
    undone = opportunity_undo_win(opportunity=won, actor=management, reason="Contract cancelled")

    # then the acquisition is kept, reversed with the reason
    assert undone == acquisition
    acquisition.refresh_from_db()
    assert (
        acquisition.manager_id,
        acquisition.acquired_on,
        acquisition.reversed_at,
        acquisition.reversed_by_id,
        acquisition.reversal_reason,
    ) == (anna.pk, TODAY, later, management.pk, "Contract cancelled")
    assert Acquisition.objects.count() == 1
    assert Acquisition.objects.active().count() == 0
    # and the client is a prospect again, credited to nobody
    client = Client.objects.get(pk=won.client_id)
    assert (client.status, client.acquired_by_id, client.acquired_on) == ("prospect", None, None)
    assert history(client)[-1] == ("~", management.pk, "win undone")
    # and Anna's assignment ended today
    assignment = Assignment.objects.get()
    assert (assignment.start_date, assignment.end_date, assignment.ended_by_id, assignment.end_note) == (
        TODAY,
        later.date(),
        management.pk,
        "Win undone: Contract cancelled",
    )
    assert history(assignment)[-1] == ("~", management.pk, "unassign")
    # and the opportunity is lost because the win was undone
    won.refresh_from_db()
    assert (won.stage, won.lost_reason, won.lost_note, won.stage_changed_at) == (
        "lost",
        "win_undone",
        "Contract cancelled",
        later,
    )
    assert history(won)[-1] == ("~", management.pk, "win undone")
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "at", "actor_id", "note")) == [
        ("offer", "won", NOW, anna.user.pk, "Signed"),
        ("won", "lost", later, management.pk, "Contract cancelled"),
    ]


def test_undoing_a_win_without_a_personal_manager_ends_nothing(management):
    # given a win by a pool manager that left the client waiting for a manager
    anna = named_manager("Anna", "Pool", work_mode=WorkMode.POOL)
    opportunity = opportunity_at(anna, Stage.OFFER)
    assert win(opportunity, anna.user).placement.outcome == "queued"

    # when Management undoes it / then the credit is reversed and there was no assignment to end
    acquisition = opportunity_undo_win(opportunity=opportunity, actor=management, reason="Fell through")
    assert acquisition.is_reversed
    assert Assignment.objects.count() == 0
    assert Client.objects.get(pk=opportunity.client_id).status == "prospect"


@pytest.mark.parametrize("days", [0, 1, WINDOW])
def test_a_win_can_be_undone_within_the_window(management, won, clock, days):
    # given a win ``days`` days ago
    clock.return_value = NOW + datetime.timedelta(days=days)

    # when Management undoes it / then it is undone
    assert opportunity_undo_win(opportunity=won, actor=management, reason="Fell through").is_reversed
    won.refresh_from_db()
    assert won.stage == "lost"


@pytest.mark.parametrize("days", [WINDOW + 1, 365])
def test_a_win_cannot_be_undone_after_the_window(management, won, clock, days):
    # given a win more than the window ago
    clock.return_value = NOW + datetime.timedelta(days=days)
    before = pipeline_state()

    # when Management undoes it / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        opportunity_undo_win(opportunity=won, actor=management, reason="Fell through")
    assert refusal(exc_info.value) == (None, "undo_window_passed")
    assert exc_info.value.messages == [f"A win can be undone within {WINDOW} days; this one is from 2025-06-10."]
    assert pipeline_state() == before


def test_the_window_counts_from_the_day_of_the_acquisition(management, won):
    # given an acquisition dated more than the window ago (set in the database)
    Acquisition.objects.update(acquired_on=TODAY - datetime.timedelta(days=WINDOW + 1))
    before = pipeline_state()

    # when Management undoes it today / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        opportunity_undo_win(opportunity=won, actor=management, reason="Fell through")
    assert refusal(exc_info.value) == (None, "undo_window_passed")
    assert pipeline_state() == before


def test_only_management_undoes_a_win(anna, won, hr, payroll):
    # given Anna's win
    before = pipeline_state()

    # when Anna herself, HR or Payroll undo it / then denied, nothing changed
    for actor in (anna.user, hr, payroll):
        with pytest.raises(PermissionDenied):
            opportunity_undo_win(opportunity=won, actor=actor, reason="Fell through")
    assert pipeline_state() == before


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_undoing_a_win_needs_a_reason(management, won, reason):
    before = pipeline_state()
    with pytest.raises(ValidationError) as exc_info:
        opportunity_undo_win(opportunity=won, actor=management, reason=reason)
    assert refusal(exc_info.value) == ("reason", "undo_reason_required")
    assert pipeline_state() == before


@pytest.mark.parametrize("stage", [Stage.NEW, Stage.OFFER, Stage.LOST])
def test_only_a_standing_win_can_be_undone(management, anna, stage):
    # given an opportunity that is not won
    opportunity = opportunity_at(anna, stage)
    before = pipeline_state()

    # when Management undoes it / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        opportunity_undo_win(opportunity=opportunity, actor=management, reason="Fell through")
    assert refusal(exc_info.value) == (None, "not_won")
    assert pipeline_state() == before


def test_a_win_is_undone_once(management, won):
    # given a win already undone
    opportunity_undo_win(opportunity=won, actor=management, reason="Fell through")
    before = pipeline_state()

    # when Management undoes it again / then refused, nothing changed
    with pytest.raises(ValidationError) as exc_info:
        opportunity_undo_win(opportunity=won, actor=management, reason="Twice")
    assert refusal(exc_info.value) == (None, "not_won")
    assert pipeline_state() == before


def test_after_an_undo_the_prospect_can_be_won_again(management, anna, won, clock):
    # given a win undone five days later
    clock.return_value = NOW + datetime.timedelta(days=5)
    old = opportunity_undo_win(opportunity=won, actor=management, reason="Contract cancelled")
    bela = named_manager("Béla", "Nagy")
    client = Client.objects.get(pk=won.client_id)

    # when Management opens a new opportunity for Béla, who works it to a win a day later
    clock.return_value = NOW + datetime.timedelta(days=6)
    opportunity = opportunity_create(actor=management, client=client, manager=bela)
    for stage in (Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER):
        opportunity = opportunity_move(opportunity=opportunity, to_stage=stage, actor=bela.user)
    result = win(opportunity, bela.user)

    # then Béla has a new acquisition and the old one stays reversed
    second_day = TODAY + datetime.timedelta(days=6)
    assert list(
        Acquisition.objects.order_by("pk").values_list("pk", "manager_id", "acquired_on", "reversal_reason")
    ) == [(old.pk, anna.pk, TODAY, "Contract cancelled"), (result.acquisition.pk, bela.pk, second_day, "")]
    assert list(Acquisition.objects.active().values_list("pk", flat=True)) == [result.acquisition.pk]
    # and the client is active, credited to Béla, who holds it
    client.refresh_from_db()
    assert (client.status, client.acquired_by_id, client.acquired_on) == ("active", bela.pk, second_day)
    assert (result.placement.outcome, result.placement.assignment.manager_id) == ("winner", bela.pk)
    assert current_assignments() == [(client.pk, bela.pk, second_day, "acquisition")]


def test_the_manager_who_lost_the_win_may_reopen_the_prospect(management, anna, won):
    # given Anna's win undone
    opportunity_undo_win(opportunity=won, actor=management, reason="Contract cancelled")

    # when Anna opens a new opportunity on the prospect / then it is hers, and the undone one stays lost
    opportunity = opportunity_create(actor=anna.user, client=won.client)
    assert (opportunity.manager_id, opportunity.stage) == (anna.pk, "new")
    assert Opportunity.objects.filter(client=won.client, stage=Stage.LOST, lost_reason="win_undone").count() == 1


def test_undoing_a_win_keeps_the_manager_the_prospect_had_before_it(management, anna, clock):
    # given a prospect Management assigned to Béla yesterday, which Anna won today (Béla kept it)
    bela = named_manager("Béla", "Nagy")
    client = make_prospect(motivation=Motivation.ADVICE)
    clock.return_value = NOW - datetime.timedelta(days=1)
    assigned = make_assignment(client, bela, start_date=TODAY - datetime.timedelta(days=1))
    clock.return_value = NOW
    opportunity = opportunity_at(anna, Stage.OFFER, client=client)
    assert win(opportunity, anna.user).placement.outcome == "kept"

    # when Management undoes the win
    opportunity_undo_win(opportunity=opportunity, actor=management, reason="Fell through")

    # then the client is a prospect again and still Béla's: it lost only what the win gave it
    client.refresh_from_db()
    assert (client.status, client.acquired_by_id) == ("prospect", None)
    assigned.refresh_from_db()
    assert (assigned.end_date, assigned.ended_by_id) == (None, None)
    assert current_assignments() == [(client.pk, bela.pk, TODAY - datetime.timedelta(days=1), "manual")]


def test_undoing_a_win_ends_the_manager_a_plan_gave_the_client_since(management, anna, won, clock):
    # given Anna's win, after which Management moved the client to Béla
    bela = named_manager("Béla", "Nagy")
    clock.return_value = NOW + datetime.timedelta(days=2)
    assignment_create(client=won.client, manager=bela, actor=management)

    # when Management undoes the win / then the client has no personal manager any more
    opportunity_undo_win(opportunity=won, actor=management, reason="Fell through")
    assert current_assignments() == []
