"""Logging interactions: whose they are, when they happened, the case they belong to, and a rating request."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.cases import services
from rapport.cases.choices import CaseStatus
from rapport.cases.models import CaseEvent, Interaction
from rapport.cases.tests.support import case_in, frozen, local, named_manager
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.feedback.models import RatingRequest
from rapport.managers.choices import EmploymentStatus

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 4, 10)


@pytest.fixture
def anna_and_client():
    client = make_client(name="Alfa Kft.", email="info@alfa.hu")
    anna = named_manager("Anna", "Kovács")
    make_assignment(client, anna)
    return anna, client


def log(actor, client, request_rating=False, **data):
    data.setdefault("channel", "call")
    data.setdefault("summary", "Talked about the April order.")
    with frozen(NOW):
        return services.interaction_log(actor=actor, client=client, data=data, request_rating=request_rating)


def test_a_manager_logs_their_own_interaction(anna_and_client):
    # given Anna and her client
    anna, client = anna_and_client
    # when Anna logs a meeting an hour ago, with an outcome and a follow-up date
    interaction = log(
        anna.user,
        client,
        channel="meeting",
        occurred_at=local(2026, 3, 4, 9),
        outcome="Sends the offer on Friday.",
        follow_up_on=datetime.date(2026, 3, 6),
    )
    # then it is stored as hers, exactly as given
    interaction.refresh_from_db()
    assert (
        interaction.client,
        interaction.manager,
        interaction.channel,
        interaction.occurred_at,
        interaction.summary,
        interaction.outcome,
        interaction.follow_up_on,
        interaction.case,
        interaction.created_by,
    ) == (
        client,
        anna,
        "meeting",
        local(2026, 3, 4, 9),
        "Talked about the April order.",
        "Sends the offer on Friday.",
        datetime.date(2026, 3, 6),
        None,
        anna.user,
    )
    assert interaction.history.get().history_change_reason == "log"
    assert RatingRequest.objects.count() == 0


def test_the_time_defaults_to_now(anna_and_client):
    anna, client = anna_and_client
    assert log(anna.user, client).occurred_at == NOW


@pytest.mark.parametrize(("minutes", "accepted"), [(4, True), (6, False)])
def test_a_contact_more_than_a_few_minutes_ahead_is_refused(anna_and_client, minutes, accepted):
    anna, client = anna_and_client
    when = NOW + datetime.timedelta(minutes=minutes)
    if accepted:
        assert log(anna.user, client, occurred_at=when).occurred_at == when
        return
    with pytest.raises(ValidationError) as refused:
        log(anna.user, client, occurred_at=when)
    error = refused.value.error_dict["occurred_at"][0]
    assert (error.code, error.message) == ("in_future", "The contact cannot be in the future.")
    assert Interaction.objects.count() == 0


def test_a_linked_case_gets_the_interaction_in_its_timeline(anna_and_client):
    anna, client = anna_and_client
    case = case_in(CaseStatus.IN_PROGRESS, client, anna)
    interaction = log(anna.user, client, case=case, occurred_at=local(2026, 3, 4, 8))
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.at, event.actor, event.manager, event.data) == (
        "interaction",
        local(2026, 3, 4, 8),
        anna.user,
        anna,
        {"interaction": interaction.pk, "channel": "call"},
    )


def test_a_case_of_another_client_is_refused(anna_and_client):
    anna, client = anna_and_client
    other = make_client(name="Béta Zrt.")
    make_assignment(other, anna)
    case = case_in(CaseStatus.NEW, other, anna)
    with pytest.raises(ValidationError) as refused:
        log(anna.user, client, case=case)
    assert refused.value.error_dict["case"][0].code == "case_of_other_client"
    assert (Interaction.objects.count(), CaseEvent.objects.count()) == (0, 0)


def test_management_logs_for_a_chosen_manager(anna_and_client, management):
    anna, client = anna_and_client
    interaction = log(management, client, manager=anna)
    assert (interaction.manager, interaction.created_by) == (anna, management)


def test_management_must_choose_the_manager(anna_and_client, management):
    _anna, client = anna_and_client
    with pytest.raises(ValidationError) as refused:
        log(management, client)
    error = refused.value.error_dict["manager"][0]
    assert (error.code, error.message) == ("no_manager_profile", "Choose the manager who had the contact.")
    assert Interaction.objects.count() == 0


def test_a_manager_cannot_log_for_a_colleague(anna_and_client):
    anna, client = anna_and_client
    bence = named_manager("Bence", "Szabó")
    with pytest.raises(PermissionDenied):
        log(anna.user, client, manager=bence)
    assert Interaction.objects.count() == 0


def test_a_manager_cannot_log_with_a_client_they_do_not_see(anna_and_client):
    _anna, client = anna_and_client
    bence = named_manager("Bence", "Szabó")
    with pytest.raises(Client.DoesNotExist):
        log(bence.user, client)
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL])
def test_hr_and_payroll_log_nothing(anna_and_client, role):
    _anna, client = anna_and_client
    with pytest.raises(Client.DoesNotExist):
        log(make_user(role), client)
    assert Interaction.objects.count() == 0


def test_a_rating_can_be_requested_for_the_contact(anna_and_client):
    # given Anna's client with an e-mail address
    anna, client = anna_and_client
    # when Anna logs a visit and asks for a rating
    interaction = log(anna.user, client, channel="visit", request_rating=True)
    # then one request asks the client to rate Anna for this interaction
    request = RatingRequest.objects.get()
    assert (request.subject, request.interaction, request.case, request.manager, request.email) == (
        "interaction",
        interaction,
        None,
        anna,
        "info@alfa.hu",
    )


def test_management_cannot_log_an_interaction_for_a_manager_who_left(management):
    # given a dismissed manager and a client
    gone = make_manager(employment_status=EmploymentStatus.DISMISSED)
    client = make_client()
    # when Management logs a call for them / then refused on the manager field and nothing is written
    with pytest.raises(ValidationError) as exc:
        services.interaction_log(
            actor=management, client=client, data={"manager": gone, "channel": "call", "summary": "Hi"}
        )
    assert exc.value.error_dict["manager"][0].code == "handler_not_active"
    assert Interaction.objects.count() == 0
