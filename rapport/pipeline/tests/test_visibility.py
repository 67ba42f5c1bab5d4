"""Who sees the pipeline: a manager sees the prospects of their own opportunities (a registered client reach) and
their own opportunities; not a colleague's."""

import pytest

from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Opportunity, StageChange
from rapport.pipeline.services import opportunity_move, prospect_create
from rapport.pipeline.tests.support import make_prospect, named_manager, opportunity_at

pytestmark = pytest.mark.django_db


def visible_clients(user) -> set[str]:
    return set(Client.objects.visible_to(user).values_list("name", flat=True))


def test_a_manager_sees_the_prospects_of_their_opportunities_and_not_a_colleagues():
    # given Anna's prospect (created through the pipeline), one she won (written directly: nobody was assigned),
    # one she lost, and one she is assigned
    anna, bela = named_manager("Anna", "Kovács"), named_manager("Béla", "Nagy")
    prospect_create(actor=anna.user, data={"kind": "legal_entity", "name": "Alfa Kft.", "registration_number": "1"})
    opportunity_at(anna, Stage.WON, name="Won Kft.")
    opportunity_at(anna, Stage.LOST, name="Lost Kft.")
    make_assignment(make_client(name="Assigned Kft."), anna)
    # and Béla's prospect, and a prospect nobody works
    opportunity_at(bela, Stage.OFFER, name="Béla Prospect Kft.")
    make_prospect(name="Nobody's Kft.")

    # when each lists the clients they see / then each sees their own only; a won client is hers only while it is
    # assigned to her
    assert visible_clients(anna.user) == {"Alfa Kft.", "Lost Kft.", "Assigned Kft."}
    assert visible_clients(bela.user) == {"Béla Prospect Kft."}


def test_management_sees_every_prospect_and_hr_and_payroll_none(management, hr, payroll):
    # given two managers' prospects and one nobody works
    opportunity_at(named_manager("Anna", "Kovács"), Stage.NEW, name="Alfa Kft.")
    opportunity_at(named_manager("Béla", "Nagy"), Stage.NEW, name="Béta Kft.")
    make_prospect(name="Gamma Kft.")

    # when / then
    assert visible_clients(management) == {"Alfa Kft.", "Béta Kft.", "Gamma Kft."}
    assert visible_clients(hr) == set()
    assert visible_clients(payroll) == set()


def test_a_handed_over_opportunity_takes_the_prospect_with_it():
    # given an opportunity that moved from Anna to Béla
    anna, bela = named_manager("Anna", "Kovács"), named_manager("Béla", "Nagy")
    opportunity = opportunity_at(anna, Stage.CONTACTED, name="Alfa Kft.")
    Opportunity.objects.filter(pk=opportunity.pk).update(manager=bela)

    # when / then Béla sees the prospect and Anna no longer does
    assert visible_clients(bela.user) == {"Alfa Kft."}
    assert visible_clients(anna.user) == set()


def test_a_manager_sees_their_own_opportunities_and_stage_changes(management, hr):
    # given Anna's and Béla's opportunities, each moved once
    anna, bela = named_manager("Anna", "Kovács"), named_manager("Béla", "Nagy")
    own = opportunity_at(anna, Stage.NEW, name="Alfa Kft.")
    other = opportunity_at(bela, Stage.NEW, name="Béta Kft.")
    opportunity_move(opportunity=own, to_stage=Stage.CONTACTED, actor=anna.user)
    opportunity_move(opportunity=other, to_stage=Stage.CONTACTED, actor=bela.user)

    # when / then each sees their own, Management both, HR none
    assert list(Opportunity.objects.visible_to(anna.user).values_list("pk", flat=True)) == [own.pk]
    assert list(StageChange.objects.visible_to(anna.user).values_list("opportunity_id", flat=True)) == [own.pk]
    assert set(Opportunity.objects.visible_to(management).values_list("pk", flat=True)) == {own.pk, other.pk}
    assert Opportunity.objects.visible_to(hr).count() == 0
    assert StageChange.objects.visible_to(hr).count() == 0
