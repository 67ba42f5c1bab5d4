"""The pipeline pages: the board moves cards, the prospect form refuses duplicates, the funnel counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_client, make_manager, make_opportunity, make_user
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange

pytestmark = pytest.mark.django_db


def manager_named(first, last, **fields):
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name=last), **fields)


def prospect(**fields):
    fields.setdefault("status", ClientStatus.PROSPECT)
    return make_client(**fields)


def test_a_manager_sees_only_their_own_cards_on_the_board(client):
    # given two managers, each with an opportunity
    anna = manager_named("Anna", "Kovacs")
    bela = manager_named("Bela", "Nagy")
    make_opportunity(prospect(name="Alfa Kft."), anna, title="Alfa deal")
    make_opportunity(prospect(name="Beta Kft."), bela, title="Beta deal")
    # when Anna opens the board
    client.force_login(anna.user)
    response = client.get(reverse("pipeline:board"))
    # then she sees her card and not Bela's
    assert response.status_code == 200
    assert "Alfa deal" in response.text
    assert "Beta deal" not in response.text


def test_a_card_moves_one_stage_with_a_click_and_the_board_is_rerendered(client):
    # given Anna's opportunity in stage new
    anna = manager_named("Anna", "Kovacs")
    opportunity = make_opportunity(prospect(name="Alfa Kft."), anna, title="Alfa deal")
    client.force_login(anna.user)
    # when she clicks "next" on the board (an htmx post)
    response = client.post(
        reverse("pipeline:move", args=[opportunity.pk]),
        {"to_stage": Stage.CONTACTED, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    # then the board partial comes back with the card in "contacted" and the change is recorded
    assert response.status_code == 200
    assert 'id="col-contacted"' in response.text
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.CONTACTED
    assert list(StageChange.objects.filter(opportunity=opportunity).values_list("from_stage", "to_stage")) == [
        ("new", "contacted")
    ]


def test_an_offer_without_motivation_is_refused_on_the_board_and_nothing_changes(client):
    # given an opportunity whose client's motivation is unknown, in "needs identified"
    anna = manager_named("Anna", "Kovacs")
    opportunity = make_opportunity(prospect(name="Alfa Kft."), anna, stage=Stage.NEEDS_IDENTIFIED)
    client.force_login(anna.user)
    # when she moves it to "offer" without choosing the motivation
    response = client.post(
        reverse("pipeline:move", args=[opportunity.pk]),
        {"to_stage": Stage.OFFER, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    # then the board says why and the opportunity stays
    assert "Record the client&#x27;s motivation" in response.text
    opportunity.refresh_from_db()
    assert opportunity.stage == Stage.NEEDS_IDENTIFIED
    assert StageChange.objects.count() == 0


def test_winning_from_the_detail_page_activates_credits_and_assigns_the_client(client):
    # given Anna (personal, free capacity) with an offer to a legal-entity prospect of known motivation
    anna = manager_named("Anna", "Kovacs")
    customer = prospect(name="Alfa Kft.", motivation=Motivation.PARTNERSHIP)
    opportunity = make_opportunity(customer, anna, stage=Stage.OFFER)
    client.force_login(anna.user)
    # when she marks it won
    response = client.post(reverse("pipeline:move", args=[opportunity.pk]), {"to_stage": Stage.WON}, follow=True)
    # then the client is active, credited to her and assigned to her
    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.status, customer.acquired_by_id, customer.acquired_on) == (
        ClientStatus.ACTIVE,
        anna.pk,
        timezone.localdate(),
    )
    assert Acquisition.objects.get().manager_id == anna.pk
    assert Assignment.objects.get(client=customer, end_date__isnull=True).manager_id == anna.pk
    assert "Won: Alfa Kft. is now an active client, credited to Anna Kovacs." in response.text


def test_an_exact_duplicate_prospect_is_refused_with_a_link_to_the_existing_client(client, management):
    # given an existing legal entity
    existing = make_client(name="Alfa Kft.", registration_number="01-09-123456")
    anna = manager_named("Anna", "Kovacs")
    client.force_login(management)
    # when Management enters it again as a prospect
    response = client.post(
        reverse("pipeline:prospect_create"),
        {"kind": ClientKind.LEGAL_ENTITY, "name": "Alfa", "registration_number": "01-09-123456", "manager": anna.pk},
    )
    # then the form is shown again, linking the existing client, and nothing is written
    assert response.status_code == 200
    assert reverse("clients:detail", args=[existing.pk]) in response.text
    assert Client.objects.count() == 1
    assert Opportunity.objects.count() == 0


def test_a_similar_name_is_created_once_confirmed(client):
    # given a client "Alfa Kft."
    make_client(name="Alfa Kft.")
    anna = manager_named("Anna", "Kovacs")
    client.force_login(anna.user)
    data = {"kind": ClientKind.INDIVIDUAL, "name": "ALFA kft", "language": "hu"}
    # when Anna creates "ALFA kft" she is warned, and the confirmation box appears
    first = client.post(reverse("pipeline:prospect_create"), data)
    assert 'name="confirm_similar"' in first.text
    assert Client.objects.count() == 1
    # and when she confirms, the prospect and its opportunity are created
    second = client.post(reverse("pipeline:prospect_create"), {**data, "confirm_similar": "on"})
    assert second.status_code == 302
    created = Client.objects.get(name="ALFA kft")
    assert (created.status, created.language) == (ClientStatus.PROSPECT, "hu")
    assert Opportunity.objects.get(client=created).manager_id == anna.pk


def test_undo_win_is_for_management_only(client):
    # given a won opportunity
    anna = manager_named("Anna", "Kovacs")
    customer = prospect(name="Alfa Kft.", motivation=Motivation.PARTNERSHIP)
    opportunity = make_opportunity(customer, anna, stage=Stage.OFFER)
    client.force_login(anna.user)
    client.post(reverse("pipeline:move", args=[opportunity.pk]), {"to_stage": Stage.WON})
    # when Anna tries to undo it
    response = client.post(reverse("pipeline:undo_win", args=[opportunity.pk]), {"reason": "Fell through"})
    # then it is forbidden and the win stands
    assert response.status_code == 403
    assert Acquisition.objects.get().reversed_at is None


def test_the_funnel_counts_stages_reached_and_conversion(client, management):
    # given three opportunities this month: one won, one lost after contact, one new
    anna = manager_named("Anna", "Kovacs")
    won = make_opportunity(prospect(), anna)
    lost = make_opportunity(prospect(), anna)
    make_opportunity(prospect(), anna)
    now = timezone.now()
    for opportunity, stages in (
        (won, ["new", "contacted", "needs_identified", "offer", "won"]),
        (lost, ["new", "contacted", "lost"]),
    ):
        for index, stage in enumerate(stages):
            StageChange.objects.create(
                opportunity=opportunity,
                from_stage=stages[index - 1] if index else "",
                to_stage=stage,
                at=now,
                actor=anna.user,
            )
    Opportunity.objects.filter(pk=lost.pk).update(stage=Stage.LOST, lost_reason="price", closed_at=now)
    client.force_login(management)
    today = timezone.localdate()
    # when Management opens the funnel for this month
    response = client.get(
        reverse("pipeline:funnel"), {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    )
    # then the total row has 3 new, 2 contacted (67 %), 1 needs identified (50 %), 1 offer, 1 won, 1 lost
    total = response.context["total"]
    assert total.reached == (3, 2, 1, 1, 1)
    assert total.cells == [(3, None), (2, 67), (1, 50), (1, 100), (1, 100)]
    assert total.lost == 1
    assert [row.label for row in response.context["rows"]] == ["Anna Kovacs"]


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_the_funnel_is_for_management(client, role):
    # given a user without the Management role
    client.force_login(make_user(role))
    # when they open the funnel, then it is forbidden
    assert client.get(reverse("pipeline:funnel")).status_code == 403
