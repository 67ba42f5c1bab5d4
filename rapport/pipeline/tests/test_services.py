"""The pipeline's services (C4): creating prospects and opening opportunities.

Moves are in ``test_moves.py``, winning in ``test_win.py``, undoing a win in ``test_undo_win.py``, duplicate
prospects in ``test_duplicates.py``, departures in ``test_handover.py``. Every refusal asserts its exact error code
and that nothing changed: no row written or touched, no stage change and no history record added.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_group, make_manager, make_user
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.pipeline.choices import OPEN_STAGES, Stage
from rapport.pipeline.models import Acquisition, Opportunity
from rapport.pipeline.services import opportunity_create, prospect_create
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

ALFA = {"kind": ClientKind.LEGAL_ENTITY, "name": "Alfa Kft.", "registration_number": "01-09-123456"}


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
# prospect_create
# ---------------------------------------------------------------------------------------------------------------


def test_manager_creates_their_own_prospect_with_an_opportunity_in_stage_new(anna):
    # given a client manager
    # when they create a prospect, typed loosely
    data = {
        **ALFA,
        "name": " Alfa Kft. ",
        "email": " Info@Alfa.hu ",
        "phone": "06 30 123 4567",
        "city": "Budapest",
        "country": " hu ",
    }
    opportunity = prospect_create(actor=anna.user, data=data, title="Bank account", note="Met at the fair")

    # then the prospect exists, normalised, with the motivation still unknown and nobody credited
    client = Client.objects.get()
    assert (
        client.kind,
        client.name,
        client.name_key,
        client.registration_number,
        client.email,
        client.phone,
        client.city,
        client.country,
        client.status,
        client.motivation,
        client.motivation_determined_by_id,
        client.motivation_determined_at,
        client.group_id,
        client.is_vip,
        client.acquired_by_id,
        client.acquired_on,
    ) == (
        "legal_entity",
        "Alfa Kft.",
        "alfa",
        "01-09-123456",
        "info@alfa.hu",
        "+36301234567",
        "Budapest",
        "HU",
        "prospect",
        "unknown",
        None,
        None,
        None,
        False,
        None,
        None,
    )
    # and its one opportunity is the manager's, in stage new
    opportunity.refresh_from_db()
    assert (
        opportunity.client_id,
        opportunity.manager_id,
        opportunity.title,
        opportunity.note,
        opportunity.stage,
        opportunity.stage_changed_at,
        opportunity.closed_at,
        opportunity.lost_reason,
        opportunity.created_by_id,
    ) == (client.pk, anna.pk, "Bank account", "Met at the fair", "new", NOW, None, "", anna.user.pk)
    assert Opportunity.objects.count() == 1
    # and the first stage change is "" → new, by the manager
    assert stage_changes(opportunity) == [("", "new", NOW, anna.user.pk, "")]
    # and both writes are in the history, by the manager
    assert history(client) == [("+", anna.user.pk, "prospect")]
    assert history(opportunity) == [("+", anna.user.pk, "create")]
    # and nothing was credited or assigned
    assert (Acquisition.objects.count(), client.assignments.count()) == (0, 0)


def test_the_title_defaults_to_the_client_name(anna):
    # when a prospect is created without a title (or a blank one)
    first = prospect_create(actor=anna.user, data=ALFA)
    second = prospect_create(actor=anna.user, data={**ALFA, "name": "Béta Zrt.", "registration_number": "2"}, title=" ")

    # then each opportunity is named after its client
    assert (first.title, second.title) == ("Alfa Kft.", "Béta Zrt.")


def test_a_motivation_given_with_the_prospect_records_who_determined_it_and_when(anna):
    # when a manager creates a prospect whose motivation they know
    opportunity = prospect_create(
        actor=anna.user, data={**ALFA, "motivation": Motivation.DECISION, "motivation_note": "Wants to decide"}
    )

    # then the motivation is recorded as determined by them, now
    client = opportunity.client
    client.refresh_from_db()
    assert (
        client.motivation,
        client.motivation_note,
        client.motivation_determined_by_id,
        client.motivation_determined_at,
    ) == ("decision", "Wants to decide", anna.user.pk, NOW)


def test_an_individual_prospect_needs_no_registration_number(anna):
    # when a manager creates an individual prospect
    opportunity = prospect_create(actor=anna.user, data={"kind": ClientKind.INDIVIDUAL, "name": "Kiss Péter"})

    # then it exists as an individual prospect with its opportunity
    assert (opportunity.client.kind, opportunity.client.status, opportunity.stage) == ("individual", "prospect", "new")


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_creates_a_prospect_for_the_manager_it_chooses_and_may_set_the_group(request, actor_fixture, anna):
    # given Management (or Admin) and a client group
    actor = request.getfixturevalue(actor_fixture)
    retail = make_group("Retail")

    # when it creates a prospect for Anna, in the group
    opportunity = prospect_create(actor=actor, data={**ALFA, "group": retail}, manager=anna)

    # then the opportunity is Anna's, created by Management, and the prospect is in the group
    opportunity.refresh_from_db()
    assert (opportunity.manager_id, opportunity.created_by_id, opportunity.stage) == (anna.pk, actor.pk, "new")
    assert (opportunity.client.group_id, opportunity.client.status) == (retail.pk, "prospect")
    assert stage_changes(opportunity) == [("", "new", NOW, actor.pk, "")]
    assert history(opportunity.client) == [("+", actor.pk, "prospect")]


def test_a_manager_may_name_themselves_as_the_owner(anna):
    # when a manager passes their own profile as the owner
    opportunity = prospect_create(actor=anna.user, data=ALFA, manager=anna)

    # then it is theirs
    assert opportunity.manager_id == anna.pk


def test_a_pool_manager_may_work_prospects():
    # given a manager working with the pool
    pool = named_manager("Pál", "Pool", work_mode=WorkMode.POOL)

    # when they create a prospect / then the opportunity is theirs
    assert prospect_create(actor=pool.user, data=ALFA).manager_id == pool.pk


def test_management_must_choose_the_manager(management):
    # given nothing yet
    before = pipeline_state()

    # when Management creates a prospect without naming a manager
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=management, data=ALFA)

    # then it is refused on the manager field and nothing is written
    assert refusal(exc_info.value) == ("manager", "manager_required")
    assert exc_info.value.messages == ["Choose the manager."]
    assert pipeline_state() == before


def test_a_manager_may_not_create_a_prospect_for_another_manager(anna, bela):
    # given two managers
    before = pipeline_state()

    # when Anna creates a prospect for Béla / then it is denied and nothing is written
    with pytest.raises(PermissionDenied):
        prospect_create(actor=anna.user, data=ALFA, manager=bela)
    assert pipeline_state() == before


@pytest.mark.parametrize("status", [EmploymentStatus.ON_LEAVE, EmploymentStatus.DISMISSED])
def test_an_inactive_manager_gets_no_new_prospect(management, status):
    # given a manager on leave or dismissed
    away = named_manager("Anna", "Away", employment_status=status)
    before = pipeline_state()

    # when they create a prospect themselves / then refused on the manager field
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=away.user, data=ALFA)
    assert refusal(exc_info.value) == ("manager", "manager_not_active")
    assert exc_info.value.messages == ["Anna Away is not active."]

    # when Management creates one for them / then refused the same way
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=management, data=ALFA, manager=away)
    assert refusal(exc_info.value) == ("manager", "manager_not_active")

    # and nothing is written
    assert pipeline_state() == before


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("group", id="group"),
        pytest.param({"status": ClientStatus.ACTIVE}, id="status"),
        pytest.param({"is_vip": True, "vip_since": datetime.date(2025, 1, 1), "vip_reason": "Big"}, id="vip"),
        pytest.param({"acquired_on": datetime.date(2025, 1, 1)}, id="acquired_on"),
    ],
)
def test_a_manager_may_not_set_management_fields_on_a_prospect(anna, extra):
    # given a manager and a field only Management sets
    extra = {"group": make_group("Retail")} if extra == "group" else extra
    before = pipeline_state()

    # when the manager creates a prospect with it / then it is denied and nothing is written
    with pytest.raises(PermissionDenied):
        prospect_create(actor=anna.user, data={**ALFA, **extra})
    assert pipeline_state() == before


@pytest.mark.parametrize("field", ["status", "is_vip", "acquired_by"])
def test_management_may_not_set_what_winning_decides_on_a_prospect(management, anna, field):
    # given Management
    before = pipeline_state()
    value = {"status": ClientStatus.ACTIVE, "is_vip": True, "acquired_by": anna}[field]

    # when it creates a prospect with a status, VIP flag or credit / then it is denied and nothing is written
    with pytest.raises(PermissionDenied):
        prospect_create(actor=management, data={**ALFA, field: value}, manager=anna)
    assert pipeline_state() == before


@pytest.mark.parametrize("actor_fixture", ["hr", "payroll"])
def test_hr_and_payroll_do_not_create_prospects(request, actor_fixture, anna):
    actor = request.getfixturevalue(actor_fixture)
    before = pipeline_state()
    with pytest.raises(PermissionDenied):
        prospect_create(actor=actor, data=ALFA, manager=anna)
    assert pipeline_state() == before


def test_a_client_manager_account_without_a_profile_is_refused():
    # given a user with the client-manager role but no manager profile
    user = make_user(Role.CLIENT_MANAGER)
    before = pipeline_state()

    # when they create a prospect / then refused with a plain error, nothing written
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=user, data=ALFA)
    assert refusal(exc_info.value) == (None, "no_manager_profile")
    assert pipeline_state() == before


def test_an_invalid_prospect_is_refused_and_writes_nothing(anna):
    # given a legal entity without a registration number
    before = pipeline_state()

    # when it is created / then the model's rule refuses it, and nothing is written
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=anna.user, data={"kind": ClientKind.LEGAL_ENTITY, "name": "Alfa Kft."})
    assert refusal(exc_info.value) == ("registration_number", "registration_number_required")
    assert pipeline_state() == before


# ---------------------------------------------------------------------------------------------------------------
# opportunity_create
# ---------------------------------------------------------------------------------------------------------------


def test_a_manager_reopens_a_prospect_they_lost(anna):
    # given a prospect on which Anna lost an opportunity
    lost = opportunity_at(anna, Stage.LOST, name="Alfa Kft.")
    client = lost.client

    # when Anna opens a new opportunity on it
    opportunity = opportunity_create(actor=anna.user, client=client, title="Second try", note="New budget")

    # then it is hers, in stage new, and the lost one stays as it was
    opportunity.refresh_from_db()
    assert (
        opportunity.client_id,
        opportunity.manager_id,
        opportunity.title,
        opportunity.note,
        opportunity.stage,
        opportunity.created_by_id,
    ) == (client.pk, anna.pk, "Second try", "New budget", "new", anna.user.pk)
    assert stage_changes(opportunity) == [("", "new", NOW, anna.user.pk, "")]
    assert history(opportunity) == [("+", anna.user.pk, "create")]
    lost.refresh_from_db()
    assert (lost.stage, lost.lost_reason) == ("lost", "timing")
    client.refresh_from_db()
    assert client.status == "prospect"


def test_a_manager_opens_an_opportunity_on_a_prospect_assigned_to_them(anna):
    # given a prospect assigned to Anna by hand
    client = make_prospect(name="Alfa Kft.")
    make_assignment(client, anna)

    # when Anna opens an opportunity on it / then it is hers, named after the client
    opportunity = opportunity_create(actor=anna.user, client=client)
    assert (opportunity.manager_id, opportunity.title, opportunity.stage) == (anna.pk, "Alfa Kft.", "new")


def test_management_opens_an_opportunity_for_a_manager(management, anna):
    # given a prospect nobody works
    client = make_prospect()

    # when Management opens an opportunity for Anna / then it is Anna's, created by Management
    opportunity = opportunity_create(actor=management, client=client, manager=anna)
    assert (opportunity.manager_id, opportunity.created_by_id) == (anna.pk, management.pk)
    assert stage_changes(opportunity) == [("", "new", NOW, management.pk, "")]


@pytest.mark.parametrize("status", [ClientStatus.ACTIVE, ClientStatus.FORMER])
def test_only_a_prospect_gets_an_opportunity(management, anna, status):
    # given a client that is not a prospect
    client = make_prospect(name="Alfa Kft.", status=status)
    before = pipeline_state()

    # when Management opens an opportunity on it / then refused, nothing written
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=management, client=client, manager=anna)
    assert refusal(exc_info.value) == (None, "not_a_prospect")
    assert exc_info.value.messages == [f"Alfa Kft. is not a prospect ({ClientStatus(status).label})."]
    assert pipeline_state() == before


@pytest.mark.parametrize("stage", OPEN_STAGES)
def test_a_prospect_has_one_open_opportunity_at_a_time(management, anna, bela, stage):
    # given Anna's open opportunity on a prospect
    held = opportunity_at(anna, stage, name="Alfa Kft.")
    before = pipeline_state()

    # when Management opens another one on it for Béla
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=management, client=held.client, manager=bela)

    # then it is refused, naming the holder, and nothing is written
    assert refusal(exc_info.value) == (None, "open_opportunity_exists")
    assert exc_info.value.messages == ["Alfa Kft. already has an open opportunity, held by Anna Kovács."]
    assert pipeline_state() == before


def test_the_holder_cannot_open_a_second_opportunity_either(anna):
    held = opportunity_at(anna, Stage.CONTACTED)
    before = pipeline_state()
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=anna.user, client=held.client)
    assert refusal(exc_info.value) == (None, "open_opportunity_exists")
    assert pipeline_state() == before


def test_a_manager_cannot_open_an_opportunity_on_a_prospect_they_do_not_see(anna, bela):
    # given a prospect Béla works and one nobody works
    worked = opportunity_at(bela, Stage.NEW).client
    free = make_prospect()
    before = pipeline_state()

    # when Anna opens an opportunity on either / then they do not exist for her, nothing written
    for client in (worked, free):
        with pytest.raises(Client.DoesNotExist):
            opportunity_create(actor=anna.user, client=client)
    assert pipeline_state() == before


def test_opportunity_create_checks_the_owner_like_prospect_create(management, anna, bela):
    # given a prospect and a dismissed manager
    client = make_prospect()
    gone = make_manager(employment_status=EmploymentStatus.DISMISSED)
    before = pipeline_state()

    # when a manager opens one for a colleague / then denied
    with pytest.raises(PermissionDenied):
        opportunity_create(actor=anna.user, client=client, manager=bela)
    # when Management names nobody / then refused on the manager field
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=management, client=client)
    assert refusal(exc_info.value) == ("manager", "manager_required")
    # when Management names a dismissed manager / then refused on the manager field
    with pytest.raises(ValidationError) as exc_info:
        opportunity_create(actor=management, client=client, manager=gone)
    assert refusal(exc_info.value) == ("manager", "manager_not_active")
    # and nothing is written
    assert pipeline_state() == before
