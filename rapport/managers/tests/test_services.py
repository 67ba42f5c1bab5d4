"""Writes of manager profiles (``manager_create``, ``manager_update``) and who sees which profiles.

A profile change may never strand a client: each refusal asserts its exact code and that the profile, its
history and the manager's assignments are unchanged.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_create, manager_update

pytestmark = pytest.mark.django_db

HIRED = datetime.date(2023, 2, 1)
PROFILE = {
    "manager_type": ManagerType.DECISION,
    "level": ManagerLevel.SENIOR,
    "work_mode": WorkMode.PERSONAL,
    "hire_date": HIRED,
    "years_of_experience": 6,
}


def group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def snapshot(manager: ClientManager) -> tuple:
    """The stored profile, its history length and the manager's assignments: equal before and after = unchanged."""
    stored = ClientManager.objects.get(pk=manager.pk)
    return (
        model_to_dict(stored),
        stored.updated_at,
        stored.history.count(),
        list(Assignment.objects.filter(manager=stored).order_by("pk").values_list("pk", "client_id", "end_date")),
    )


# ---------------------------------------------------------------------------------------------------------------
# Creating profiles
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["hr", "management", "admin_user"])
def test_hr_and_management_create_a_profile_with_the_client_manager_role(request, actor_fixture):
    # given a user account without a profile and a client group
    actor = request.getfixturevalue(actor_fixture)
    user = make_user()
    group = make_group("Industry")

    # when HR (or Management) creates a profile for the user
    manager = manager_create(actor=actor, user=user, data={**PROFILE, "capacity": 12, "client_groups": [group]})

    # then the profile holds the given values, dated from the hire date
    manager.refresh_from_db()
    assert (
        manager.user_id,
        manager.manager_type,
        manager.level,
        manager.work_mode,
        manager.capacity,
        manager.employment_status,
        manager.status_since,
        manager.hire_date,
        manager.dismissal_date,
        manager.years_of_experience,
        manager.vip_qualified,
    ) == (user.pk, "decision", "senior", "personal", 12, "active", HIRED, HIRED, None, 6, False)
    assert list(manager.client_groups.values_list("pk", flat=True)) == [group.pk]
    # and the user now holds the Client manager role
    assert group_names(user) == {"Client manager"}
    # and the history names the actor
    first = manager.history.earliest("history_date")
    assert (first.history_type, first.history_user_id, first.history_change_reason) == ("+", actor.pk, "create")


@pytest.mark.parametrize(
    ("level", "capacity"),
    [(ManagerLevel.JUNIOR, 25), (ManagerLevel.MIDDLE, 40), (ManagerLevel.SENIOR, 60)],
)
def test_capacity_defaults_by_level(hr, level, capacity):
    # given / when HR creates a profile without capacity
    manager = manager_create(actor=hr, user=make_user(), data={**PROFILE, "level": level})

    # then the capacity is the level's default from the settings
    manager.refresh_from_db()
    assert manager.capacity == capacity


def test_capacity_default_comes_from_the_settings(hr, settings):
    # given a company that lets juniors hold 7 clients
    settings.RAPPORT = {**settings.RAPPORT, "DEFAULT_CAPACITY": {"junior": 7, "middle": 8, "senior": 9}}

    # when HR creates a junior without capacity
    manager = manager_create(actor=hr, user=make_user(), data={**PROFILE, "level": ManagerLevel.JUNIOR})

    # then the junior may hold 7
    assert manager.capacity == 7


def test_explicit_zero_capacity_is_kept(hr):
    # given / when HR creates a profile with capacity 0 (a manager who takes no personal clients yet)
    manager = manager_create(actor=hr, user=make_user(), data={**PROFILE, "capacity": 0})

    # then the capacity stays 0, not the default
    manager.refresh_from_db()
    assert manager.capacity == 0


def test_a_user_gets_only_one_profile(hr):
    # given a user who already has a profile
    existing = make_manager()
    before = snapshot(existing)

    # when HR creates a second profile for them
    with pytest.raises(ValidationError) as exc_info:
        manager_create(actor=hr, user=existing.user, data=PROFILE)

    # then it is refused on the user and the existing profile is unchanged
    assert [e.code for e in exc_info.value.error_dict["user"]] == ["user_has_profile"]
    assert ClientManager.objects.count() == 1
    assert snapshot(existing) == before


def test_a_deactivated_user_gets_no_profile(hr):
    # given a deactivated account
    user = make_user(is_active=False)

    # when HR creates a profile for it
    with pytest.raises(ValidationError) as exc_info:
        manager_create(actor=hr, user=user, data=PROFILE)

    # then it is refused and the user has no role
    assert [e.code for e in exc_info.value.error_dict["user"]] == ["user_inactive"]
    assert ClientManager.objects.count() == 0
    assert group_names(user) == set()


def test_invalid_profile_is_not_created_and_gives_no_role(hr):
    # given a user
    user = make_user()

    # when HR creates a dismissed profile without a dismissal date
    with pytest.raises(ValidationError) as exc_info:
        manager_create(actor=hr, user=user, data={**PROFILE, "employment_status": EmploymentStatus.DISMISSED})

    # then it is refused, nothing is stored, and the user did not get the role
    assert [e.code for e in exc_info.value.error_dict["dismissal_date"]] == ["dismissal_date_required"]
    assert ClientManager.objects.count() == 0
    assert ClientManager.history.count() == 0
    assert group_names(user) == set()


NOT_EDITORS = [
    pytest.param(lambda: make_user(Role.PAYROLL), id="payroll"),
    pytest.param(lambda: make_manager().user, id="client-manager"),
    pytest.param(lambda: make_user(), id="no-role"),
    pytest.param(lambda: make_user(Role.HR, is_active=False), id="deactivated-hr"),
    pytest.param(AnonymousUser, id="anonymous"),
]


@pytest.mark.parametrize("make_actor", NOT_EDITORS)
def test_only_hr_and_management_create_profiles(make_actor):
    # given a user without a profile and an actor who may not keep profiles
    user = make_user()
    actor = make_actor()
    count = ClientManager.objects.count()

    # when the actor creates a profile for the user
    with pytest.raises(PermissionDenied):
        manager_create(actor=actor, user=user, data=PROFILE)

    # then no profile was added and the user has no role
    assert ClientManager.objects.count() == count
    assert not ClientManager.objects.filter(user=user).exists()
    assert group_names(user) == set()


# ---------------------------------------------------------------------------------------------------------------
# Updating profiles
# ---------------------------------------------------------------------------------------------------------------


def test_hr_puts_a_manager_on_leave_dated_today(hr):
    # given an active manager without clients
    manager = make_manager()

    # when HR puts them on leave
    manager_update(manager=manager, actor=hr, data={"employment_status": EmploymentStatus.ON_LEAVE})

    # then the status is dated today and the history names HR
    manager.refresh_from_db()
    assert (manager.employment_status, manager.status_since) == (EmploymentStatus.ON_LEAVE, timezone.localdate())
    latest = manager.history.first()
    assert (latest.history_type, latest.history_user_id, latest.history_change_reason) == ("~", hr.pk, "update")


def test_dismissing_a_manager_without_clients(hr):
    # given a manager whose only assignment has ended
    manager = make_manager()
    old = make_assignment(make_client(), manager, start_date=datetime.date(2024, 1, 1))
    old.end_date = datetime.date(2024, 6, 1)
    old.save()

    # when HR dismisses them on a given date
    manager_update(
        manager=manager,
        actor=hr,
        data={
            "employment_status": EmploymentStatus.DISMISSED,
            "dismissal_date": datetime.date(2025, 1, 31),
            "status_since": datetime.date(2025, 1, 31),
        },
    )

    # then the manager is dismissed from that date
    manager.refresh_from_db()
    assert (manager.employment_status, manager.dismissal_date, manager.status_since) == (
        EmploymentStatus.DISMISSED,
        datetime.date(2025, 1, 31),
        datetime.date(2025, 1, 31),
    )


def test_reinstating_a_dismissed_manager_clears_the_dismissal_date(hr):
    # given a dismissed manager
    manager = make_manager(employment_status=EmploymentStatus.DISMISSED)

    # when HR makes them active again
    manager_update(manager=manager, actor=hr, data={"employment_status": EmploymentStatus.ACTIVE})

    # then no dismissal date remains
    manager.refresh_from_db()
    assert (manager.employment_status, manager.dismissal_date) == (EmploymentStatus.ACTIVE, None)


def _with_clients(count: int, *, vip: int = 0, **fields):
    manager = make_manager(**fields)
    for n in range(count):
        make_assignment(make_client(is_vip=n < vip), manager)
    return manager


STRANDING = [
    # (manager's portfolio, change, field of the error, code)
    pytest.param(
        {"count": 2},
        {"employment_status": EmploymentStatus.DISMISSED, "dismissal_date": datetime.date(2025, 1, 31)},
        "employment_status",
        "manager_has_clients",
        id="dismiss",
    ),
    pytest.param({"count": 1}, {"work_mode": WorkMode.POOL}, "work_mode", "manager_has_clients", id="to-pool"),
    pytest.param({"count": 3}, {"capacity": 2}, "capacity", "capacity_below_load", id="capacity-below-load"),
    pytest.param({"count": 1}, {"capacity": 0}, "capacity", "capacity_below_load", id="capacity-zero"),
    pytest.param(
        {"count": 2, "vip": 1, "vip_qualified": True},
        {"vip_qualified": False},
        "vip_qualified",
        "manager_has_vip_clients",
        id="drop-vip-qualification",
    ),
]


@pytest.mark.parametrize(("portfolio", "data", "field", "code"), STRANDING)
@pytest.mark.parametrize("actor_fixture", ["hr", "management"])
def test_change_that_would_strand_clients_is_refused(request, actor_fixture, portfolio, data, field, code):
    # given a manager holding personal clients
    actor = request.getfixturevalue(actor_fixture)
    manager = _with_clients(**portfolio)
    before = snapshot(manager)

    # when the change is made
    with pytest.raises(ValidationError) as exc_info:
        manager_update(manager=manager, actor=actor, data=data)

    # then it is refused with the rule's code, and the profile and the clients are unchanged
    assert list(exc_info.value.error_dict) == [field]
    assert [e.code for e in exc_info.value.error_dict[field]] == [code]
    assert snapshot(manager) == before


ALLOWED = [
    pytest.param({"count": 3}, {"capacity": 3}, ("capacity", 3), id="capacity-equal-to-load"),
    pytest.param(
        {"count": 2}, {"employment_status": EmploymentStatus.ON_LEAVE}, ("employment_status", "on_leave"), id="leave"
    ),
    pytest.param(
        {"count": 2, "vip_qualified": True}, {"vip_qualified": False}, ("vip_qualified", False), id="drop-vip-no-vips"
    ),
    pytest.param({"count": 0}, {"work_mode": WorkMode.POOL}, ("work_mode", "pool"), id="to-pool-without-clients"),
    pytest.param({"count": 0}, {"capacity": 0}, ("capacity", 0), id="capacity-zero-without-clients"),
]


@pytest.mark.parametrize(("portfolio", "data", "expected"), ALLOWED)
def test_change_that_keeps_every_client_served_is_allowed(hr, portfolio, data, expected):
    # given a manager and their portfolio
    manager = _with_clients(**portfolio)

    # when HR makes a change the clients survive
    manager_update(manager=manager, actor=hr, data=data)

    # then it is stored and the clients stay with the manager
    manager.refresh_from_db()
    field, value = expected
    assert getattr(manager, field) == value
    assert manager.assignments.filter(end_date__isnull=True).count() == portfolio["count"]


def test_clearing_capacity_restores_the_level_default(hr):
    # given a senior with a custom capacity
    manager = make_manager(level=ManagerLevel.SENIOR, capacity=5)

    # when HR clears the capacity
    manager_update(manager=manager, actor=hr, data={"capacity": None})

    # then the senior default applies
    manager.refresh_from_db()
    assert manager.capacity == 60


def test_update_changes_client_groups(management):
    # given a manager serving "Retail"
    retail, industry = make_group("Retail"), make_group("Industry")
    manager = make_manager(groups=[retail])

    # when Management moves them to "Industry"
    manager_update(manager=manager, actor=management, data={"client_groups": [industry]})

    # then they serve only "Industry"
    assert list(manager.client_groups.values_list("name", flat=True)) == ["Industry"]


def test_unknown_field_is_a_programming_error(hr):
    # given a manager
    manager = make_manager()
    before = snapshot(manager)

    # when a caller passes a field that is not part of the profile
    with pytest.raises(ValueError, match="user"):
        manager_update(manager=manager, actor=hr, data={"user": make_user()})

    # then nothing changed
    assert snapshot(manager) == before


def test_manager_may_not_edit_their_own_profile():
    # given a manager
    manager = make_manager(capacity=10)
    before = snapshot(manager)

    # when they raise their own capacity
    with pytest.raises(PermissionDenied):
        manager_update(manager=manager, actor=manager.user, data={"capacity": 99})

    # then nothing changed
    assert snapshot(manager) == before


@pytest.mark.parametrize("make_actor", NOT_EDITORS)
def test_only_hr_and_management_edit_profiles(make_actor):
    # given a manager with a client and an actor who may not keep profiles
    manager = _with_clients(1, capacity=10)
    actor = make_actor()
    before = snapshot(manager)

    # when the actor edits the profile
    with pytest.raises(PermissionDenied):
        manager_update(manager=manager, actor=actor, data={"capacity": 20, "vip_qualified": True})

    # then nothing changed
    assert snapshot(manager) == before


# ---------------------------------------------------------------------------------------------------------------
# Who sees which profiles
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["hr", "payroll", "management", "admin_user"])
def test_hr_payroll_and_management_see_every_profile(request, actor_fixture):
    # given three managers
    managers = {make_manager().pk for _ in range(3)}

    # when HR, Payroll, Management or Admin lists profiles / then they see all three
    actor = request.getfixturevalue(actor_fixture)
    assert set(ClientManager.objects.visible_to(actor).values_list("pk", flat=True)) == managers


def test_a_manager_sees_only_their_own_profile():
    # given two managers
    me, _other = make_manager(), make_manager()

    # when I list profiles / then I see only mine
    assert list(ClientManager.objects.visible_to(me.user).values_list("pk", flat=True)) == [me.pk]


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(lambda: make_user(), id="no-role"),
        pytest.param(lambda: make_user(Role.CLIENT_MANAGER), id="client-manager-role-without-profile"),
        pytest.param(lambda: make_user(Role.HR, is_active=False), id="deactivated-hr"),
        pytest.param(AnonymousUser, id="anonymous"),
    ],
)
def test_others_see_no_profiles(make_actor):
    # given a manager / when a user without access lists profiles / then they see none
    make_manager()
    assert ClientManager.objects.visible_to(make_actor()).count() == 0


def test_load_counts_only_current_assignments():
    # given a manager with two current clients and one ended assignment
    manager = _with_clients(2)
    old = make_assignment(make_client(), manager, start_date=datetime.date(2023, 1, 1))
    old.end_date = datetime.date(2024, 1, 1)
    old.save()
    idle = make_manager()

    # when loads are read / then only current clients count
    loads = dict(ClientManager.objects.with_load().values_list("pk", "load"))
    assert loads == {manager.pk: 2, idle.pk: 0}
