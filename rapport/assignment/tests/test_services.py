"""The hard rules of manual assignment: ``assignment_create`` and ``assignment_end``.

Every refusal asserts its exact error code and that nothing changed: no assignment written, ended or touched, and
no history record added.
"""

import contextlib
import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment import services
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.models import Assignment
from rapport.assignment.services import assignment_create, assignment_end
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.managers.choices import EmploymentStatus, WorkMode

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 3, 1)
EARLIER = datetime.date(2024, 1, 1)


def assignment_state() -> tuple:
    """Every assignment row and the number of history records: equal before and after means nothing changed."""
    rows = list(
        Assignment.objects.order_by("pk").values_list(
            "pk", "client_id", "manager_id", "start_date", "end_date", "ended_by_id", "end_note", "reason"
        )
    )
    return rows, Assignment.history.count()


def current_manager_id(client):
    return Assignment.objects.filter(client=client, end_date__isnull=True).values_list("manager_id", flat=True).first()


def named_manager(first: str, last: str, **fields):
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name=last), **fields)


# ---------------------------------------------------------------------------------------------------------------
# Allowed assignments
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_assigns_a_legal_entity_to_a_personal_manager(request, actor_fixture):
    # given an active legal-entity client without a manager and an active personal manager
    actor = request.getfixturevalue(actor_fixture)
    client = make_client()
    manager = make_manager()

    # when Management assigns the client
    assignment = assignment_create(client=client, manager=manager, actor=actor, note="Key account", start_date=START)

    # then exactly one current assignment holds, with every field as given
    assert Assignment.objects.count() == 1
    assignment.refresh_from_db()
    assert (
        assignment.client_id,
        assignment.manager_id,
        assignment.start_date,
        assignment.end_date,
        assignment.reason,
        assignment.actor_id,
        assignment.note,
        assignment.ended_by_id,
    ) == (client.pk, manager.pk, START, None, AssignmentReason.MANUAL, actor.pk, "Key account", None)
    assert current_manager_id(client) == manager.pk


def test_start_date_defaults_to_today(management):
    # given a client and a manager
    client, manager = make_client(), make_manager()

    # when assigning without a start date
    assignment = assignment_create(client=client, manager=manager, actor=management)

    # then the assignment starts today
    assert assignment.start_date == timezone.localdate()


def test_assignment_writes_a_history_record_naming_actor_and_reason(management):
    # given a client and a manager
    client, manager = make_client(), make_manager()

    # when Management assigns the client as part of a plan
    assignment = assignment_create(
        client=client, manager=manager, actor=management, reason=AssignmentReason.PLAN, start_date=START
    )

    # then one "created" history record names the actor and the reason
    records = list(assignment.history.all())
    assert [(r.history_type, r.history_user_id, r.history_change_reason) for r in records] == [
        ("+", management.pk, "plan")
    ]


def test_reassign_ends_the_old_assignment_the_day_the_new_one_starts(management):
    # given a client assigned to Anna since 2024-01-01
    client = make_client()
    anna = named_manager("Anna", "Kovács")
    bela = named_manager("Béla", "Nagy")
    old = make_assignment(client, anna, start_date=EARLIER)

    # when Management reassigns the client to Béla from 2025-03-01
    new = assignment_create(client=client, manager=bela, actor=management, start_date=START)

    # then the old assignment ends on the new start date, by the actor, with a note; the new one is current
    old.refresh_from_db()
    assert (old.end_date, old.ended_by_id, old.end_note) == (START, management.pk, "Reassigned to Béla Nagy.")
    assert (new.start_date, new.end_date, new.manager_id) == (START, None, bela.pk)
    assert Assignment.objects.count() == 2
    assert Assignment.objects.filter(client=client, end_date__isnull=True).count() == 1
    assert current_manager_id(client) == bela.pk
    # and the end of the old one is in its history, by the actor, with the reason of the move
    latest = old.history.first()
    assert (latest.history_type, latest.history_user_id, latest.history_change_reason, latest.end_date) == (
        "~",
        management.pk,
        "manual",
        START,
    )


def test_reassign_on_the_day_the_current_assignment_started(management):
    # given a client assigned to Anna from 2025-03-01
    client, anna, bela = make_client(), make_manager(), make_manager()
    old = make_assignment(client, anna, start_date=START)

    # when reassigned to Béla the same day
    assignment_create(client=client, manager=bela, actor=management, start_date=START)

    # then the old assignment lasted zero days and Béla holds the client
    old.refresh_from_db()
    assert (old.start_date, old.end_date) == (START, START)
    assert current_manager_id(client) == bela.pk


def test_reassign_is_one_transaction(management, monkeypatch):
    # given a client assigned to Anna, and a failure while the new assignment is saved (after the old one ended)
    client, anna, bela = make_client(), make_manager(), make_manager()
    old = make_assignment(client, anna, start_date=EARLIER)
    before = assignment_state()
    real_save = services.save_with_history
    calls = []

    def save_then_fail(instance, **kwargs):
        calls.append(instance.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real_save(instance, **kwargs)

    monkeypatch.setattr(services, "save_with_history", save_then_fail)

    # when Management reassigns the client
    with pytest.raises(RuntimeError):
        assignment_create(client=client, manager=bela, actor=management, start_date=START)

    # then the end of the old assignment was rolled back with the failed new one
    assert calls == [old.pk, None]
    assert assignment_state() == before
    old.refresh_from_db()
    assert (old.end_date, old.ended_by_id) == (None, None)
    assert current_manager_id(client) == anna.pk


def test_vip_client_goes_to_a_vip_qualified_manager(management):
    # given a VIP client and a VIP-qualified manager
    client = make_client(is_vip=True)
    manager = make_manager(vip_qualified=True)

    # when Management assigns the client
    assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then the manager holds the VIP
    assert current_manager_id(client) == manager.pk


@pytest.mark.parametrize("status", [ClientStatus.PROSPECT, ClientStatus.ACTIVE])
def test_prospects_and_active_clients_are_assignable(management, status):
    # given a legal entity in status ``status``
    client, manager = make_client(status=status), make_manager()

    # when Management assigns it
    assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then it has the manager
    assert current_manager_id(client) == manager.pk


def test_manager_with_one_free_place_takes_one_more_client(management):
    # given a manager with capacity 3 holding 2 clients
    manager = make_manager(capacity=3)
    for _ in range(2):
        make_assignment(make_client(), manager)
    client = make_client()

    # when Management assigns a third client
    assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then the manager is exactly full
    assert Assignment.objects.filter(manager=manager, end_date__isnull=True).count() == 3


def test_ended_assignments_do_not_count_against_capacity(management):
    # given a manager with capacity 1 whose only assignment has ended
    manager = make_manager(capacity=1)
    ended = make_assignment(make_client(), manager, start_date=EARLIER)
    ended.end_date = datetime.date(2024, 6, 1)
    ended.save()
    client = make_client()

    # when Management assigns a new client
    assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then the manager holds it
    assert current_manager_id(client) == manager.pk


# ---------------------------------------------------------------------------------------------------------------
# Refused assignments
# ---------------------------------------------------------------------------------------------------------------


def _individual():
    return make_client(kind=ClientKind.INDIVIDUAL, name="Kiss Péter"), make_manager()


def _former():
    return make_client(status=ClientStatus.FORMER), make_manager()


def _vip_to_unqualified():
    return make_client(is_vip=True), make_manager(vip_qualified=False)


def _on_leave():
    return make_client(), make_manager(employment_status=EmploymentStatus.ON_LEAVE)


def _dismissed():
    return make_client(), make_manager(employment_status=EmploymentStatus.DISMISSED)


def _pool():
    return make_client(), make_manager(work_mode=WorkMode.POOL)


def _full():
    manager = make_manager(capacity=2)
    for _ in range(2):
        make_assignment(make_client(), manager)
    return make_client(), manager


def _zero_capacity():
    return make_client(), make_manager(capacity=0)


def _same_manager_again():
    client, manager = make_client(), make_manager()
    make_assignment(client, manager, start_date=EARLIER)
    return client, manager


REFUSALS = [
    # (scenario, field of the error or None for a non-field error, code)
    pytest.param(_individual, None, "not_legal_entity", id="individual"),
    pytest.param(_former, None, "client_former", id="former-client"),
    pytest.param(_vip_to_unqualified, "manager", "vip_needs_qualified_manager", id="vip-to-unqualified"),
    pytest.param(_on_leave, "manager", "manager_not_active", id="manager-on-leave"),
    pytest.param(_dismissed, "manager", "manager_not_active", id="manager-dismissed"),
    pytest.param(_pool, "manager", "manager_not_personal", id="pool-manager"),
    pytest.param(_full, "manager", "capacity_exceeded", id="capacity-full"),
    pytest.param(_zero_capacity, "manager", "capacity_exceeded", id="capacity-zero"),
    pytest.param(_same_manager_again, "manager", "already_assigned", id="same-manager-again"),
]


def error_code(exc: ValidationError, field: str | None) -> str:
    """The code of the single error ``exc`` carries, on ``field`` (or a non-field error when ``field`` is None)."""
    if field is None:
        assert not hasattr(exc, "error_dict")
        return exc.code
    assert list(exc.error_dict) == [field]
    assert len(exc.error_dict[field]) == 1
    return exc.error_dict[field][0].code


@pytest.mark.parametrize(("scenario", "field", "code"), REFUSALS)
def test_hard_rule_refuses_the_assignment_and_changes_nothing(management, scenario, field, code):
    # given a client and a manager that break one hard rule
    client, manager = scenario()
    before = assignment_state()
    current_before = current_manager_id(client)

    # when Management tries to assign the client
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then the rule's code is raised and no assignment was written or ended
    assert error_code(exc_info.value, field) == code
    assert assignment_state() == before
    assert current_manager_id(client) == current_before


@pytest.mark.parametrize(
    ("scenario", "field", "code"),
    [p for p in REFUSALS if p.id not in {"individual", "former-client", "same-manager-again"}],
)
def test_refused_reassignment_keeps_the_current_manager(management, scenario, field, code):
    # given a client currently with Anna, and a new manager the client may not go to
    client, manager = scenario()
    anna = make_manager(vip_qualified=True)
    old = make_assignment(client, anna, start_date=EARLIER)
    before = assignment_state()

    # when Management tries to reassign the client
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(client=client, manager=manager, actor=management, start_date=START)

    # then the rule's code is raised and Anna's assignment is still current, untouched
    assert error_code(exc_info.value, field) == code
    assert assignment_state() == before
    old.refresh_from_db()
    assert (old.end_date, old.ended_by_id, old.end_note) == (None, None, "")
    assert current_manager_id(client) == anna.pk


def test_capacity_refusal_says_who_is_full_and_by_how_much(management):
    # given Anna, full at 2 of 2 clients
    anna = named_manager("Anna", "Kovács", capacity=2)
    for _ in range(2):
        make_assignment(make_client(), anna)

    # when Management assigns a third client
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(client=make_client(), manager=anna, actor=management, start_date=START)

    # then the message names her and her load
    assert exc_info.value.error_dict["manager"][0].messages == ["Anna Kovács is at full capacity (2 of 2 clients)."]


def test_reassign_cannot_start_before_the_current_assignment(management):
    # given a client assigned to Anna from 2025-03-01
    client, anna, bela = make_client(), make_manager(), make_manager()
    make_assignment(client, anna, start_date=START)
    before = assignment_state()

    # when Management reassigns it to Béla from the day before
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(client=client, manager=bela, actor=management, start_date=START - datetime.timedelta(days=1))

    # then it is refused and Anna keeps the client
    assert error_code(exc_info.value, "start_date") == "start_before_current"
    assert assignment_state() == before
    assert current_manager_id(client) == anna.pk


# ---------------------------------------------------------------------------------------------------------------
# Only Management assigns
# ---------------------------------------------------------------------------------------------------------------


def _client_manager_actor(manager):
    return manager.user


def _other_client_manager_actor(manager):
    return make_manager().user


def _role_actor(*roles):
    return lambda manager: make_user(*roles)


def _anonymous_actor(manager):
    return AnonymousUser()


def _deactivated_management_actor(manager):
    return make_user(Role.MANAGEMENT, is_active=False)


NON_MANAGEMENT = [
    pytest.param(_client_manager_actor, id="the-manager-themself"),
    pytest.param(_other_client_manager_actor, id="another-client-manager"),
    pytest.param(_role_actor(Role.HR), id="hr"),
    pytest.param(_role_actor(Role.PAYROLL), id="payroll"),
    pytest.param(_role_actor(), id="no-role"),
    pytest.param(_anonymous_actor, id="anonymous"),
    pytest.param(_deactivated_management_actor, id="deactivated-management"),
]


@pytest.mark.parametrize("make_actor", NON_MANAGEMENT)
def test_only_management_assigns(make_actor):
    # given an assignable client and manager, and an actor without Management authority
    client, manager = make_client(), make_manager()
    actor = make_actor(manager)
    before = assignment_state()

    # when the actor tries to assign the client
    with pytest.raises(PermissionDenied):
        assignment_create(client=client, manager=manager, actor=actor, start_date=START)

    # then nothing changed
    assert assignment_state() == before
    assert current_manager_id(client) is None


@pytest.mark.parametrize("make_actor", NON_MANAGEMENT)
def test_only_management_reassigns(make_actor):
    # given a client assigned to Anna and an actor without Management authority
    client, anna, bela = make_client(), make_manager(), make_manager()
    make_assignment(client, anna, start_date=EARLIER)
    actor = make_actor(bela)
    before = assignment_state()

    # when the actor tries to move the client to Béla
    with pytest.raises(PermissionDenied):
        assignment_create(client=client, manager=bela, actor=actor, start_date=START)

    # then Anna keeps the client
    assert assignment_state() == before
    assert current_manager_id(client) == anna.pk


@pytest.mark.parametrize("make_actor", NON_MANAGEMENT)
def test_only_management_unassigns(make_actor):
    # given a client assigned to Anna and an actor without Management authority
    client, anna = make_client(), make_manager()
    make_assignment(client, anna, start_date=EARLIER)
    actor = make_actor(anna)
    before = assignment_state()

    # when the actor tries to unassign the client
    with pytest.raises(PermissionDenied):
        assignment_end(client=client, actor=actor, end_date=START)

    # then Anna keeps the client
    assert assignment_state() == before
    assert current_manager_id(client) == anna.pk


# ---------------------------------------------------------------------------------------------------------------
# Unassigning
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_unassigns_a_client(request, actor_fixture):
    # given a client assigned to Anna since 2024-01-01
    actor = request.getfixturevalue(actor_fixture)
    client, anna = make_client(), make_manager()
    assignment = make_assignment(client, anna, start_date=EARLIER)

    # when Management unassigns it on 2025-03-01
    ended = assignment_end(client=client, actor=actor, note="Contract ended", end_date=START)

    # then the assignment ended that day, by the actor, and the client has no manager
    assert ended.pk == assignment.pk
    assignment.refresh_from_db()
    assert (assignment.end_date, assignment.ended_by_id, assignment.end_note) == (START, actor.pk, "Contract ended")
    assert Assignment.objects.count() == 1
    assert current_manager_id(client) is None
    # and the history names the actor and the reason
    latest = assignment.history.first()
    assert (latest.history_type, latest.history_user_id, latest.history_change_reason) == (
        "~",
        actor.pk,
        "unassign",
    )


def test_unassign_ends_today_by_default(management):
    # given an assigned client
    client = make_client()
    make_assignment(client, make_manager(), start_date=EARLIER)

    # when unassigned without a date
    ended = assignment_end(client=client, actor=management)

    # then the assignment ends today
    assert ended.end_date == timezone.localdate()


def test_unassign_without_an_assignment_is_refused(management):
    # given a client that never had a manager, and one whose assignment has ended
    client = make_client()
    old = make_assignment(make_client(), make_manager(), start_date=EARLIER)
    old.end_date = datetime.date(2024, 6, 1)
    old.save()
    before = assignment_state()

    for target in (client, old.client):
        # when Management unassigns it
        with pytest.raises(ValidationError) as exc_info:
            assignment_end(client=target, actor=management, end_date=START)

        # then it is refused as not assigned and nothing changed
        assert error_code(exc_info.value, None) == "not_assigned"
        assert assignment_state() == before


def test_unassign_cannot_end_before_the_assignment_started(management):
    # given a client assigned from 2025-03-01
    client = make_client()
    make_assignment(client, make_manager(), start_date=START)
    before = assignment_state()

    # when Management ends it the day before
    with pytest.raises(ValidationError) as exc_info:
        assignment_end(client=client, actor=management, end_date=START - datetime.timedelta(days=1))

    # then it is refused and the assignment is still current
    assert error_code(exc_info.value, "end_date") == "start_before_current"
    assert assignment_state() == before


def test_an_unassigned_client_can_be_assigned_again(management):
    # given a client whose assignment to Anna was ended
    client, anna = make_client(), make_manager()
    make_assignment(client, anna, start_date=EARLIER)
    assignment_end(client=client, actor=management, end_date=datetime.date(2024, 6, 1))

    # when Management assigns it to Anna again
    assignment_create(client=client, manager=anna, actor=management, start_date=START)

    # then Anna holds it again and the old period stays in the record
    assert list(
        Assignment.objects.filter(client=client).order_by("start_date").values_list("start_date", "end_date")
    ) == [
        (EARLIER, datetime.date(2024, 6, 1)),
        (START, None),
    ]


# ---------------------------------------------------------------------------------------------------------------
# Who sees assignments
# ---------------------------------------------------------------------------------------------------------------


def test_assignment_visibility_by_role(management, admin_user, hr, payroll):
    # given Béla's current client, which Anna held before, and a client of Anna's that has since ended
    anna, bela = make_manager(), make_manager()
    shared = make_client()
    before_bela = make_assignment(shared, anna, start_date=EARLIER)
    before_bela.end_date = START
    before_bela.save()
    with_bela = make_assignment(shared, bela, start_date=START)
    anna_ended = make_assignment(make_client(), anna, start_date=EARLIER)
    anna_ended.end_date = START
    anna_ended.save()
    everything = {before_bela.pk, with_bela.pk, anna_ended.pk}

    # when each user lists assignments / then
    def visible(user):
        return set(Assignment.objects.visible_to(user).values_list("pk", flat=True))

    assert visible(management) == everything
    assert visible(admin_user) == everything
    # a manager sees the whole history of their current clients, and nothing of clients they no longer hold
    assert visible(bela.user) == {before_bela.pk, with_bela.pk}
    assert visible(anna.user) == set()
    assert visible(hr) == set()
    assert visible(payroll) == set()
    assert visible(AnonymousUser()) == set()


# ---------------------------------------------------------------------------------------------------------------
# Periods never overlap
# ---------------------------------------------------------------------------------------------------------------


def _end_in_the_future_then_assign_today(management, client, bela):
    today = timezone.localdate()
    assignment_end(client=client, actor=management, end_date=today + datetime.timedelta(days=30))
    assignment_create(client=client, manager=bela, actor=management, start_date=today)


def _end_then_assign_back_into_the_ended_period(management, client, bela):
    assignment_end(client=client, actor=management, end_date=datetime.date(2024, 6, 1))
    assignment_create(client=client, manager=bela, actor=management, start_date=datetime.date(2024, 3, 1))


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param(_end_in_the_future_then_assign_today, id="future-end-then-assign-today"),
        pytest.param(_end_then_assign_back_into_the_ended_period, id="backdated-start-into-ended-period"),
    ],
)
def test_a_client_never_has_two_managers_on_the_same_day(management, steps):
    # given a client assigned to Anna since 2024-01-01, and Béla
    client, anna, bela = make_client(), make_manager(), make_manager()
    make_assignment(client, anna, start_date=EARLIER)

    # when Management unassigns and reassigns with dates that would overlap (either step may be refused)
    with contextlib.suppress(ValidationError):
        steps(management, client, bela)

    # then the client's assignment periods [start, end) do not overlap
    periods = sorted(Assignment.objects.filter(client=client).values_list("start_date", "end_date"))
    for (_start, end), (next_start, _next_end) in itertools.pairwise(periods):
        assert end is not None
        assert end <= next_start
