"""Moving opportunities through their stages (C4): one step forward or back, lost with a reason from any open
stage, never out of won or lost; leaving "needs identified" forward needs the client's motivation. Only the owner
and Management move an opportunity.

Every refusal asserts its exact error code and that nothing changed.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from rapport.clients.choices import Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_opportunity
from rapport.pipeline.choices import OPEN_STAGES, LostReason, Stage
from rapport.pipeline.models import Acquisition, Opportunity
from rapport.pipeline.services import allowed_moves, opportunity_move, prospect_create
from rapport.pipeline.tests.support import (
    NOW,
    history,
    make_prospect,
    named_manager,
    opportunity_at,
    pipeline_state,
    refusal,
    stage_changes,
)

pytestmark = pytest.mark.django_db

ALFA = {"kind": "legal_entity", "name": "Alfa Kft.", "registration_number": "01-09-123456"}


@pytest.fixture(autouse=True)
def clock():
    """Every test runs at ``NOW``."""
    with mock.patch("django.utils.timezone.now", return_value=NOW) as now:
        yield now


@pytest.fixture
def anna():
    return named_manager("Anna", "Kovács")


@pytest.fixture
def bela():
    return named_manager("Béla", "Nagy")


# ---------------------------------------------------------------------------------------------------------------
# opportunity_move: the allowed moves
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "moves"),
    [
        (Stage.NEW, [Stage.CONTACTED, Stage.LOST]),
        (Stage.CONTACTED, [Stage.NEW, Stage.NEEDS_IDENTIFIED, Stage.LOST]),
        (Stage.NEEDS_IDENTIFIED, [Stage.CONTACTED, Stage.OFFER, Stage.LOST]),
        (Stage.OFFER, [Stage.NEEDS_IDENTIFIED, Stage.WON, Stage.LOST]),
        (Stage.WON, []),
        (Stage.LOST, []),
    ],
)
def test_allowed_moves(stage, moves):
    assert allowed_moves(stage) == moves


STEPS = [
    pytest.param(Stage.NEW, Stage.CONTACTED, id="new-to-contacted"),
    pytest.param(Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, id="contacted-to-needs"),
    pytest.param(Stage.NEEDS_IDENTIFIED, Stage.OFFER, id="needs-to-offer"),
    pytest.param(Stage.CONTACTED, Stage.NEW, id="contacted-back-to-new"),
    pytest.param(Stage.NEEDS_IDENTIFIED, Stage.CONTACTED, id="needs-back-to-contacted"),
    pytest.param(Stage.OFFER, Stage.NEEDS_IDENTIFIED, id="offer-back-to-needs"),
]


@pytest.mark.parametrize(("from_stage", "to_stage"), STEPS)
def test_an_opportunity_moves_one_step_forward_or_back(anna, from_stage, to_stage):
    # given Anna's opportunity in ``from_stage`` on a prospect whose motivation is known
    opportunity = opportunity_at(anna, from_stage)
    client_before = Client.objects.filter(pk=opportunity.client_id).values().get()

    # when she moves it one step
    moved = opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=anna.user, note="Called them")

    # then it is in the new stage since now, still open, and the move is recorded with her note
    moved.refresh_from_db()
    assert (moved.stage, moved.stage_changed_at, moved.closed_at, moved.lost_reason, moved.manager_id) == (
        to_stage,
        NOW,
        None,
        "",
        anna.pk,
    )
    assert stage_changes(moved) == [(from_stage, to_stage, NOW, anna.user.pk, "Called them")]
    assert history(moved)[-1] == ("~", anna.user.pk, f"stage:{to_stage}")
    # and the prospect is untouched, nothing credited
    assert Client.objects.filter(pk=opportunity.client_id).values().get() == client_before
    assert Acquisition.objects.count() == 0


@pytest.mark.parametrize("from_stage", OPEN_STAGES)
def test_an_open_opportunity_is_lost_with_a_reason_from_any_stage(anna, from_stage):
    # given Anna's opportunity in an open stage
    opportunity = opportunity_at(anna, from_stage)

    # when she loses it to a competitor
    lost = opportunity_move(
        opportunity=opportunity,
        to_stage=Stage.LOST,
        actor=anna.user,
        lost_reason=LostReason.COMPETITOR,
        note="Went with another bank",
    )

    # then it is closed as lost now, with the reason and the note
    lost.refresh_from_db()
    assert (lost.stage, lost.lost_reason, lost.lost_note, lost.closed_at, lost.stage_changed_at) == (
        "lost",
        "competitor",
        "Went with another bank",
        NOW,
        NOW,
    )
    assert stage_changes(lost) == [(from_stage, "lost", NOW, anna.user.pk, "Went with another bank")]
    assert history(lost)[-1] == ("~", anna.user.pk, "stage:lost")
    # and the client stays a prospect
    lost.client.refresh_from_db()
    assert lost.client.status == "prospect"


@pytest.mark.parametrize("reason", [r for r in LostReason.values if r != LostReason.WIN_UNDONE])
def test_every_lost_reason_but_win_undone_may_be_given(anna, reason):
    opportunity = opportunity_at(anna, Stage.CONTACTED)
    lost = opportunity_move(opportunity=opportunity, to_stage=Stage.LOST, actor=anna.user, lost_reason=reason)
    lost.refresh_from_db()
    assert (lost.stage, lost.lost_reason, lost.lost_note) == ("lost", reason, "")


def test_a_whole_pipeline_is_kept_step_by_step(anna):
    # given a new prospect of Anna's
    opportunity = prospect_create(actor=anna.user, data=ALFA)

    # when she works it forward, back and forward again, giving the motivation on the way
    for to_stage, kwargs in [
        (Stage.CONTACTED, {}),
        (Stage.NEEDS_IDENTIFIED, {}),
        (Stage.CONTACTED, {"note": "Wrong person"}),
        (Stage.NEEDS_IDENTIFIED, {}),
        (Stage.OFFER, {"motivation": Motivation.ADVICE}),
    ]:
        opportunity = opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=anna.user, **kwargs)

    # then every move is kept in order
    assert [(f, t, n) for f, t, _at, _actor, n in stage_changes(opportunity)] == [
        ("", "new", ""),
        ("new", "contacted", ""),
        ("contacted", "needs_identified", ""),
        ("needs_identified", "contacted", "Wrong person"),
        ("contacted", "needs_identified", ""),
        ("needs_identified", "offer", ""),
    ]
    assert opportunity.stage == "offer"


# ---------------------------------------------------------------------------------------------------------------
# opportunity_move: the refused moves
# ---------------------------------------------------------------------------------------------------------------

NOT_ALLOWED = [
    pytest.param(Stage.NEW, Stage.NEEDS_IDENTIFIED, id="skip-new-to-needs"),
    pytest.param(Stage.NEW, Stage.OFFER, id="skip-new-to-offer"),
    pytest.param(Stage.NEW, Stage.WON, id="won-from-new"),
    pytest.param(Stage.CONTACTED, Stage.OFFER, id="skip-contacted-to-offer"),
    pytest.param(Stage.CONTACTED, Stage.WON, id="won-from-contacted"),
    pytest.param(Stage.NEEDS_IDENTIFIED, Stage.WON, id="won-from-needs"),
    pytest.param(Stage.NEEDS_IDENTIFIED, Stage.NEW, id="two-back-needs-to-new"),
    pytest.param(Stage.OFFER, Stage.CONTACTED, id="two-back-offer-to-contacted"),
    pytest.param(Stage.OFFER, Stage.NEW, id="three-back-offer-to-new"),
    pytest.param(Stage.NEW, Stage.NEW, id="same-stage-new"),
    pytest.param(Stage.OFFER, Stage.OFFER, id="same-stage-offer"),
    pytest.param(Stage.CONTACTED, "signed", id="unknown-stage"),
]


@pytest.mark.parametrize(("from_stage", "to_stage"), NOT_ALLOWED)
def test_a_move_other_than_one_step_is_refused(anna, from_stage, to_stage):
    # given Anna's opportunity in ``from_stage``
    opportunity = opportunity_at(anna, from_stage)
    before = pipeline_state()

    # when she moves it further than one step (or nowhere)
    with pytest.raises(ValidationError) as exc_info:
        opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=anna.user)

    # then it is refused on the stage and nothing changed
    assert refusal(exc_info.value) == ("stage", "stage_not_allowed")
    assert pipeline_state() == before


def test_the_refusal_names_both_stages(anna):
    opportunity = opportunity_at(anna, Stage.NEW)
    with pytest.raises(ValidationError) as exc_info:
        opportunity_move(opportunity=opportunity, to_stage=Stage.OFFER, actor=anna.user)
    assert exc_info.value.messages == ["An opportunity cannot move from New to Offer."]


@pytest.mark.parametrize("closed", [Stage.WON, Stage.LOST])
@pytest.mark.parametrize("to_stage", Stage.values)
def test_a_closed_opportunity_does_not_move(anna, closed, to_stage):
    # given Anna's won or lost opportunity
    opportunity = opportunity_at(anna, closed)
    before = pipeline_state()

    # when anyone moves it anywhere / then it is refused as closed and nothing changed
    with pytest.raises(ValidationError) as exc_info:
        opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=anna.user, lost_reason="price")
    assert refusal(exc_info.value) == ("stage", "stage_closed")
    assert pipeline_state() == before


@pytest.mark.parametrize("reason", ["", LostReason.WIN_UNDONE, "bored"])
def test_losing_needs_a_reason_other_than_win_undone(anna, reason):
    # given Anna's opportunity in contact
    opportunity = opportunity_at(anna, Stage.CONTACTED)
    before = pipeline_state()

    # when she loses it without a reason, with the reason kept for undone wins, or with an unknown one
    with pytest.raises(ValidationError) as exc_info:
        opportunity_move(opportunity=opportunity, to_stage=Stage.LOST, actor=anna.user, lost_reason=reason)

    # then it is refused on the lost reason and nothing changed
    assert refusal(exc_info.value) == ("lost_reason", "lost_reason_required")
    assert pipeline_state() == before


def test_leaving_needs_identified_forward_needs_the_motivation(anna):
    # given an opportunity at needs identified on a prospect whose motivation is unknown
    opportunity = opportunity_at(anna, Stage.NEEDS_IDENTIFIED, motivation=Motivation.UNKNOWN)
    before = pipeline_state()

    # when Anna makes an offer without giving the motivation (or giving "unknown")
    for motivation in (None, Motivation.UNKNOWN):
        with pytest.raises(ValidationError) as exc_info:
            opportunity_move(opportunity=opportunity, to_stage=Stage.OFFER, actor=anna.user, motivation=motivation)

        # then it is refused on the motivation and nothing changed
        assert refusal(exc_info.value) == ("motivation", "motivation_required")
    assert pipeline_state() == before


@pytest.mark.parametrize("to_stage", [Stage.CONTACTED, Stage.LOST])
def test_leaving_needs_identified_back_or_to_lost_needs_no_motivation(anna, to_stage):
    opportunity = opportunity_at(anna, Stage.NEEDS_IDENTIFIED, motivation=Motivation.UNKNOWN)
    moved = opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=anna.user, lost_reason="no_need")
    assert moved.stage == to_stage


def test_the_motivation_given_with_the_move_is_recorded_on_the_client(anna):
    # given an opportunity at needs identified on a prospect whose motivation is unknown
    opportunity = opportunity_at(anna, Stage.NEEDS_IDENTIFIED, motivation=Motivation.UNKNOWN)

    # when Anna makes an offer and gives the motivation in the same call
    moved = opportunity_move(
        opportunity=opportunity,
        to_stage=Stage.OFFER,
        actor=anna.user,
        motivation=Motivation.PARTNERSHIP,
        motivation_note="Wants a long relationship",
    )

    # then the move is made
    moved.refresh_from_db()
    assert (moved.stage, moved.stage_changed_at) == ("offer", NOW)
    assert stage_changes(moved) == [("needs_identified", "offer", NOW, anna.user.pk, "")]
    # and the client's motivation is recorded as determined by Anna, now
    client = Client.objects.get(pk=opportunity.client_id)
    assert (
        client.motivation,
        client.motivation_note,
        client.motivation_determined_by_id,
        client.motivation_determined_at,
        client.status,
    ) == ("partnership", "Wants a long relationship", anna.user.pk, NOW, "prospect")
    assert history(client)[-1] == ("~", anna.user.pk, "update")


def test_the_motivation_given_with_a_refused_move_is_not_recorded(anna):
    # given an opportunity at needs identified on a prospect whose motivation is unknown
    opportunity = opportunity_at(anna, Stage.NEEDS_IDENTIFIED, motivation=Motivation.UNKNOWN)
    before = pipeline_state()

    # when Anna gives the motivation with a loss that has no reason
    with pytest.raises(ValidationError) as exc_info:
        opportunity_move(opportunity=opportunity, to_stage=Stage.LOST, actor=anna.user, motivation=Motivation.ADVICE)

    # then the loss is refused and the motivation was not kept either
    assert refusal(exc_info.value) == ("lost_reason", "lost_reason_required")
    assert pipeline_state() == before


def test_the_same_motivation_again_changes_nothing_on_the_client(anna):
    # given a prospect whose motivation Béla determined last year
    bela = named_manager("Béla", "Nagy")
    opportunity = opportunity_at(
        anna,
        Stage.NEEDS_IDENTIFIED,
        motivation=Motivation.ADVICE,
        motivation_determined_by=bela.user,
        motivation_determined_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
    )
    client_history = Client.history.count()

    # when Anna makes an offer giving the same motivation
    opportunity_move(opportunity=opportunity, to_stage=Stage.OFFER, actor=anna.user, motivation=Motivation.ADVICE)

    # then the client was not written: Béla still determined it
    client = Client.objects.get(pk=opportunity.client_id)
    assert client.motivation_determined_by_id == bela.user.pk
    assert Client.history.count() == client_history


# ---------------------------------------------------------------------------------------------------------------
# Who may move an opportunity
# ---------------------------------------------------------------------------------------------------------------


def test_another_manager_does_not_see_the_opportunity(anna, bela):
    # given Anna's opportunity
    opportunity = opportunity_at(anna, Stage.OFFER)
    before = pipeline_state()

    # when Béla moves, loses or wins it / then it does not exist for him, nothing changed
    for to_stage in (Stage.NEEDS_IDENTIFIED, Stage.LOST, Stage.WON):
        with pytest.raises(Opportunity.DoesNotExist):
            opportunity_move(opportunity=opportunity, to_stage=to_stage, actor=bela.user, lost_reason="price")
    assert pipeline_state() == before


@pytest.mark.parametrize("actor_fixture", ["hr", "payroll"])
def test_hr_and_payroll_do_not_see_opportunities(request, actor_fixture, anna):
    actor = request.getfixturevalue(actor_fixture)
    opportunity = opportunity_at(anna, Stage.NEW)
    before = pipeline_state()
    with pytest.raises(Opportunity.DoesNotExist):
        opportunity_move(opportunity=opportunity, to_stage=Stage.CONTACTED, actor=actor)
    assert pipeline_state() == before


def test_a_manager_no_longer_moves_an_opportunity_handed_to_a_colleague(anna, bela):
    # given an opportunity Anna created and that now belongs to Béla
    opportunity = make_opportunity(make_prospect(), bela, created_by=anna.user)
    before = pipeline_state()

    # when Anna moves it / then it does not exist for her
    with pytest.raises(Opportunity.DoesNotExist):
        opportunity_move(opportunity=opportunity, to_stage=Stage.CONTACTED, actor=anna.user)
    assert pipeline_state() == before


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_moves_any_opportunity(request, actor_fixture, anna):
    # given Anna's opportunity
    actor = request.getfixturevalue(actor_fixture)
    opportunity = opportunity_at(anna, Stage.NEW)

    # when Management moves it / then it moves, stays Anna's, and the move names Management
    moved = opportunity_move(opportunity=opportunity, to_stage=Stage.CONTACTED, actor=actor)
    assert (moved.stage, moved.manager_id) == ("contacted", anna.pk)
    assert stage_changes(moved) == [("new", "contacted", NOW, actor.pk, "")]
