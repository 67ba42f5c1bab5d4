"""The case lifecycle: every transition allowed and refused, who may act, and the timeline each change writes.

Every refusal asserts its exact error code and that nothing changed: the case row, its events and its history.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.cases import services
from rapport.cases.choices import CaseStatus
from rapport.cases.lifecycle import Action
from rapport.cases.models import Case
from rapport.cases.tests.support import case_in, case_state, events_of, frozen, local, named_manager, pool_manager
from rapport.core.testing import make_assignment, make_client, make_user
from rapport.feedback.models import RatingRequest

pytestmark = pytest.mark.django_db

NOW = local(2026, 3, 4, 10)


@pytest.fixture
def world(management):
    """Alfa Kft. (e-mail, Hungarian) with its personal manager Anna; Bence manages another client."""
    client = make_client(name="Alfa Kft.", email="info@alfa.hu", language="hu")
    anna = named_manager("Anna", "Kovács")
    bence = named_manager("Bence", "Szabó")
    make_assignment(client, anna)
    make_assignment(make_client(name="Béta Zrt."), bence)
    return SimpleNamespace(client=client, anna=anna, bence=bence, management=management)


PARAMS = {
    Action.ACKNOWLEDGE: {"problem_statement": "Delivery is charged twice."},
    Action.START: {},
    Action.RESOLVE: {"resolution": "Credit note sent."},
    Action.CLOSE: {},
    Action.REOPEN: {"reason": "The credit note has the wrong amount."},
}

# (status, action) → the status after it; every pair not listed must be refused.
ALLOWED = {
    (CaseStatus.NEW, Action.ACKNOWLEDGE): CaseStatus.ACKNOWLEDGED,
    (CaseStatus.ACKNOWLEDGED, Action.START): CaseStatus.IN_PROGRESS,
    (CaseStatus.ACKNOWLEDGED, Action.RESOLVE): CaseStatus.RESOLVED,
    (CaseStatus.IN_PROGRESS, Action.RESOLVE): CaseStatus.RESOLVED,
    (CaseStatus.RESOLVED, Action.CLOSE): CaseStatus.CLOSED,
    (CaseStatus.RESOLVED, Action.REOPEN): CaseStatus.IN_PROGRESS,
    (CaseStatus.CLOSED, Action.REOPEN): CaseStatus.IN_PROGRESS,
    (CaseStatus.NEW, Action.REASSIGN): CaseStatus.NEW,
    (CaseStatus.ACKNOWLEDGED, Action.REASSIGN): CaseStatus.ACKNOWLEDGED,
    (CaseStatus.IN_PROGRESS, Action.REASSIGN): CaseStatus.IN_PROGRESS,
}
REFUSED = [(status, action) for status in CaseStatus for action in Action if (status, action) not in ALLOWED]


def params_for(action: Action, world) -> dict:
    return {"handler": world.bence} if action == Action.REASSIGN else dict(PARAMS[action])


# ---------------------------------------------------------------------------------------------------------------
# The transition table
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=lambda v: str(v))
def test_every_allowed_transition_leads_to_its_status(world, status, action):
    # given a case of Anna's client in ``status``
    case = case_in(status, world.client, world.anna)
    # when Management takes the action
    with frozen(NOW):
        result = services.case_transition(case=case, actor=world.management, action=action, **params_for(action, world))
    # then the case is in the expected status, in the database too
    case.refresh_from_db()
    assert (result.status, case.status) == (ALLOWED[(status, action)], ALLOWED[(status, action)])


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=lambda v: str(v))
def test_every_other_transition_is_refused_and_changes_nothing(world, status, action):
    # given a case in ``status``
    case = case_in(status, world.client, world.anna)
    before = case_state(case)
    # when Management tries the action
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, actor=world.management, action=action, **params_for(action, world))
    # then it is refused as not allowed, and nothing changed
    assert refused.value.error_list[0].code == "transition_not_allowed"
    assert case_state(case) == before


def test_the_refusal_says_what_is_needed_and_what_the_case_is():
    # given a case in progress
    case = case_in(CaseStatus.IN_PROGRESS, make_client(), named_manager("Anna", "Kovács"))
    # when acknowledging it again / then the message names the rule and the status
    with pytest.raises(ValidationError) as refused:
        services.case_acknowledge(case=case, actor=make_user(Role.MANAGEMENT), problem_statement="Again")
    assert refused.value.messages == ["Only a new case can be acknowledged (this one is: In progress)."]


# ---------------------------------------------------------------------------------------------------------------
# Each transition's effect and timeline entry
# ---------------------------------------------------------------------------------------------------------------


def test_acknowledge_records_the_problem_statement(world):
    # given a new case handled by Anna, due to be acknowledged on 3 March 09:00
    case = case_in(CaseStatus.NEW, world.client, world.anna, acknowledge_due_at=local(2026, 3, 3, 9))
    # when Anna acknowledges it a day late, in her own words
    with frozen(local(2026, 3, 4, 9, 30)):
        services.case_acknowledge(case=case, actor=world.anna.user, problem_statement="  Delivery is charged twice. ")
    # then the statement and time are stored and the timeline says so, marked late
    case.refresh_from_db()
    assert (case.status, case.problem_statement, case.acknowledged_at) == (
        "acknowledged",
        "Delivery is charged twice.",
        local(2026, 3, 4, 9, 30),
    )
    assert events_of(case) == [("acknowledged", world.anna.user.pk, None, "Delivery is charged twice.")]
    assert case.events.get().data == {"late": True}
    assert case.history.order_by("-history_id").first().history_change_reason == "acknowledge"


def test_start_moves_the_case_in_progress(world):
    case = case_in(CaseStatus.ACKNOWLEDGED, world.client, world.anna)
    with frozen(NOW):
        services.case_start(case=case, actor=world.anna.user)
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert events_of(case) == [("started", world.anna.user.pk, None, "")]
    assert case.events.get().at == NOW


def test_resolve_credits_the_handler_and_asks_the_client_for_a_rating(world, django_capture_on_commit_callbacks):
    # given a case in progress, handled by Anna; the client has an e-mail address and speaks Hungarian
    case = case_in(CaseStatus.IN_PROGRESS, world.client, world.anna, resolve_due_at=local(2026, 3, 7, 9))
    # when Management resolves it on Anna's behalf (the rating e-mail goes out on commit)
    with django_capture_on_commit_callbacks(execute=True), frozen(NOW):
        services.case_resolve(case=case, actor=world.management, resolution=" Credit note sent. ")
    # then Anna is credited with the resolution, on the case and on the timeline entry
    case.refresh_from_db()
    assert (case.status, case.resolution, case.resolved_at, case.resolved_by) == (
        "resolved",
        "Credit note sent.",
        NOW,
        world.anna,
    )
    assert events_of(case) == [
        ("resolved", world.management.pk, world.anna.pk, "Credit note sent."),
        ("rating_requested", world.management.pk, world.anna.pk, ""),
    ]
    assert case.events.filter(kind="resolved").get().data == {"late": False}
    # and the client is asked, once, to rate Anna, by e-mail
    request = RatingRequest.objects.get()
    assert (request.case, request.manager, request.email, request.language) == (
        case,
        world.anna,
        "info@alfa.hu",
        "hu",
    )
    assert [message.to for message in mail.outbox] == [["info@alfa.hu"]]


def test_close_records_the_time(world):
    case = case_in(CaseStatus.RESOLVED, world.client, world.anna)
    with frozen(NOW):
        services.case_close(case=case, actor=world.anna.user, note="Confirmed by phone.")
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.resolved_by) == ("closed", NOW, world.anna)
    assert events_of(case) == [("closed", world.anna.user.pk, None, "Confirmed by phone.")]


def test_reopen_clears_the_resolution_and_keeps_it_in_the_timeline(world):
    # given a closed case resolved by Anna
    case = case_in(
        CaseStatus.CLOSED,
        world.client,
        world.anna,
        resolved_at=local(2026, 3, 2, 14),
        closed_at=local(2026, 3, 3, 8),
    )
    # when Anna reopens it because the problem came back
    with frozen(NOW):
        services.case_reopen(case=case, actor=world.anna.user, reason="Charged twice again in April.")
    # then it is in progress again, without a resolution, counted as reopened once
    case.refresh_from_db()
    assert (
        case.status,
        case.reopen_count,
        case.resolution,
        case.resolved_at,
        case.resolved_by,
        case.closed_at,
        case.handler,
        case.problem_statement,
    ) == ("in_progress", 1, "", None, None, None, world.anna, "The March invoice charges twice for delivery.")
    # and the earlier resolution is kept in the reopened entry
    assert events_of(case) == [("reopened", world.anna.user.pk, None, "Charged twice again in April.")]
    assert case.events.get().data == {
        "from": "closed",
        "resolution": "Credit note issued.",
        "resolved_by": world.anna.pk,
        "resolved_at": "2026-03-02T13:00:00+00:00",
        "closed_at": "2026-03-03T07:00:00+00:00",
    }


def test_reopening_a_case_whose_handler_left_routes_it_again(world):
    # given a resolved case of a pool client whose handler has since left, and an active pool manager
    client = make_client(name="Gamma Bt.")
    gone = pool_manager(employment_status="dismissed")
    case = case_in(CaseStatus.RESOLVED, client, gone)
    taker = pool_manager()
    # when Management reopens it
    with frozen(NOW):
        services.case_reopen(case=case, actor=world.management, reason="Still broken.")
    # then the pool manager takes it, and the timeline says why
    case.refresh_from_db()
    assert (case.status, case.handler, case.routing) == (
        "in_progress",
        taker,
        ["pool_manager_active", "least_open_work"],
    )
    assert events_of(case) == [
        ("reopened", world.management.pk, None, "Still broken."),
        ("routed", world.management.pk, taker.pk, ""),
    ]


def test_reassign_gives_the_case_to_another_active_manager(world):
    # given Anna's case in progress
    case = case_in(CaseStatus.IN_PROGRESS, world.client, world.anna)
    # when Management reassigns it to Bence
    with frozen(NOW):
        services.case_reassign(case=case, actor=world.management, handler=world.bence, note="Anna is overloaded.")
    # then Bence handles it, credited on the reassigned entry, and now sees the client
    case.refresh_from_db()
    assert (case.status, case.handler, case.routing) == ("in_progress", world.bence, ["reassigned"])
    assert events_of(case) == [("reassigned", world.management.pk, world.bence.pk, "Anna is overloaded.")]
    assert case.events.get().data == {"from": world.anna.pk, "to": world.bence.pk}
    assert world.client in set(world.client.__class__.objects.visible_to(world.bence.user))


# ---------------------------------------------------------------------------------------------------------------
# Required input
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "params", "code", "field", "message"),
    [
        (
            CaseStatus.NEW,
            Action.ACKNOWLEDGE,
            {"problem_statement": "   "},
            "problem_statement_required",
            "problem_statement",
            "Write down the problem in your own words.",
        ),
        (
            CaseStatus.IN_PROGRESS,
            Action.RESOLVE,
            {"resolution": ""},
            "resolution_required",
            "resolution",
            "Describe how the problem was solved.",
        ),
        (
            CaseStatus.CLOSED,
            Action.REOPEN,
            {"reason": "\n"},
            "reopen_reason_required",
            "reason",
            "Say why the case is reopened.",
        ),
    ],
    ids=["acknowledge", "resolve", "reopen"],
)
def test_a_transition_without_its_text_is_refused(world, status, action, params, code, field, message):
    # given a case in a status the action starts from
    case = case_in(status, world.client, world.anna)
    before = case_state(case)
    # when the handler takes the action without the text it needs
    with pytest.raises(ValidationError) as refused:
        services.case_transition(case=case, actor=world.anna.user, action=action, **params)
    # then the field's error names the code, and nothing changed
    error = refused.value.error_dict[field][0]
    assert (error.code, error.message) == (code, message)
    assert case_state(case) == before
    assert RatingRequest.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------------------------------


def test_a_manager_who_cannot_see_the_case_gets_does_not_exist(world):
    # given Anna's case; Bence sees neither the client nor the case
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    before = case_state(case)
    # when Bence tries to acknowledge it / then it does not exist for him, and nothing changed
    with pytest.raises(Case.DoesNotExist):
        services.case_acknowledge(case=case, actor=world.bence.user, problem_statement="Mine now")
    assert case_state(case) == before


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL])
def test_hr_and_payroll_see_no_case(world, role):
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    before = case_state(case)
    with pytest.raises(Case.DoesNotExist):
        services.case_acknowledge(case=case, actor=make_user(role), problem_statement="x")
    assert case_state(case) == before


def test_a_manager_who_sees_the_case_but_does_not_handle_it_is_denied(world):
    # given Anna's client's case handled by Bence (reassigned): Anna still sees it through her client
    case = case_in(CaseStatus.NEW, world.client, world.bence)
    before = case_state(case)
    # when Anna acknowledges it / then permission is denied, and nothing changed
    with pytest.raises(PermissionDenied):
        services.case_acknowledge(case=case, actor=world.anna.user, problem_statement="Let me")
    assert case_state(case) == before


def test_only_management_reassigns(world):
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    before = case_state(case)
    with pytest.raises(PermissionDenied):
        services.case_reassign(case=case, actor=world.anna.user, handler=world.bence)
    assert case_state(case) == before


@pytest.mark.parametrize(
    ("employment_status", "code"), [("on_leave", "handler_not_active"), ("dismissed", "handler_not_active")]
)
def test_reassign_refuses_a_manager_who_is_not_active(world, employment_status, code):
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    away = named_manager("Csaba", "Tóth", employment_status=employment_status)
    before = case_state(case)
    with pytest.raises(ValidationError) as refused:
        services.case_reassign(case=case, actor=world.management, handler=away)
    assert refused.value.error_dict["handler"][0].code == code
    assert case_state(case) == before


def test_reassign_refuses_the_current_handler(world):
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    before = case_state(case)
    with pytest.raises(ValidationError) as refused:
        services.case_reassign(case=case, actor=world.management, handler=world.anna)
    assert refused.value.messages == ["Anna Kovács already handles this case."]
    assert refused.value.error_dict["handler"][0].code == "same_handler"
    assert case_state(case) == before


def test_a_case_without_handler_must_be_reassigned_first(world):
    # given an unrouted case
    case = case_in(CaseStatus.NEW, world.client, None, opened_by=world.management)
    before = case_state(case)
    # when Management acknowledges it / then it must be given to a manager first
    with pytest.raises(ValidationError) as refused:
        services.case_acknowledge(case=case, actor=world.management, problem_statement="Seen")
    assert refused.value.error_list[0].code == "no_handler"
    assert case_state(case) == before


def test_the_handler_of_a_pool_case_may_work_on_it():
    # given a pool client's case routed to a pool manager (who sees the client only through the case)
    client = make_client(name="Gamma Bt.")
    pool = pool_manager()
    case = case_in(CaseStatus.NEW, client, pool)
    # when the pool manager acknowledges, then resolves it
    with frozen(NOW):
        services.case_acknowledge(case=case, actor=pool.user, problem_statement="Login fails.")
        services.case_resolve(case=case, actor=pool.user, resolution="Password reset.")
    # then the case is resolved by them
    case.refresh_from_db()
    assert (case.status, case.resolved_by) == ("resolved", pool)


def test_a_refused_resolution_asks_no_rating(world):
    # given a new case (cannot be resolved yet)
    case = case_in(CaseStatus.NEW, world.client, world.anna)
    # when resolving it / then refused, and nobody is asked to rate
    with pytest.raises(ValidationError):
        services.case_resolve(case=case, actor=world.anna.user, resolution="Done")
    assert RatingRequest.objects.count() == 0


def test_reopened_and_resolved_again_asks_for_one_rating_only(world, django_capture_on_commit_callbacks):
    case = case_in(CaseStatus.IN_PROGRESS, world.client, world.anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_resolve(case=case, actor=world.anna.user, resolution="Fixed.")
        services.case_reopen(case=case, actor=world.anna.user, reason="Not fixed.")
        services.case_resolve(case=case, actor=world.anna.user, resolution="Fixed for real.")
    case.refresh_from_db()
    assert (case.status, case.reopen_count, case.resolution) == ("resolved", 1, "Fixed for real.")
    assert RatingRequest.objects.filter(case=case).count() == 1
    assert [e[0] for e in events_of(case)] == ["resolved", "rating_requested", "reopened", "resolved"]
    assert len(mail.outbox) == 1


def test_times_are_stored_exactly():
    # the frozen clock answers an aware Budapest time; the database gives back the same instant
    client = make_client()
    anna = named_manager("Anna", "Kovács")
    case = case_in(CaseStatus.NEW, client, anna)
    with frozen(local(2026, 3, 29, 3, 30)):  # the first hour of summer time
        services.case_acknowledge(case=case, actor=anna.user, problem_statement="x")
    case.refresh_from_db()
    assert case.acknowledged_at == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)
