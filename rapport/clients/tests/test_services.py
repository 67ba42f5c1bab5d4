"""Writes of the client registry (``client_create``, ``client_update``, ``client_group_save``) and who sees which
clients (``Client.objects.visible_to``).

A refused write asserts its exact error and that the client, its history and its assignments are unchanged.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.clients.services import client_create, client_group_save, client_update
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db

VIP_SINCE = datetime.date(2024, 1, 1)


def snapshot(client: Client) -> tuple:
    """The client's stored fields, its history length and its assignments: equal before and after = unchanged."""
    stored = Client.objects.get(pk=client.pk)
    return (
        model_to_dict(stored),
        stored.updated_at,
        stored.history.count(),
        list(Assignment.objects.filter(client=stored).order_by("pk").values_list("pk", "manager_id", "end_date")),
    )


def assigned_client(**fields):
    """A client currently assigned to a fresh personal manager; returns both."""
    manager = make_manager(vip_qualified=fields.pop("vip_qualified", False))
    client = make_client(**fields)
    make_assignment(client, manager)
    return client, manager


LEGAL_ENTITY = {
    "kind": ClientKind.LEGAL_ENTITY,
    "name": "  Alfa Kft.  ",
    "registration_number": " 01-09-123456 ",
    "email": "Info@Alfa.HU",
    "phone": "06 1 234 5678",
    "country": "hu",
    "status": ClientStatus.PROSPECT,
}


# ---------------------------------------------------------------------------------------------------------------
# Creating clients
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_creates_a_client_with_normalised_contacts(request, actor_fixture):
    # given a Management user and a client group
    actor = request.getfixturevalue(actor_fixture)
    group = make_group("Industry")

    # when they create a legal entity in the group
    client = client_create(actor=actor, data={**LEGAL_ENTITY, "group": group})

    # then it is stored with trimmed, normalised values
    client.refresh_from_db()
    assert (
        client.kind,
        client.name,
        client.registration_number,
        client.email,
        client.phone,
        client.country,
        client.group_id,
        client.status,
        client.is_vip,
        client.motivation,
        client.motivation_determined_by_id,
    ) == (
        ClientKind.LEGAL_ENTITY,
        "Alfa Kft.",
        "01-09-123456",
        "info@alfa.hu",
        "+3612345678",
        "HU",
        group.pk,
        ClientStatus.PROSPECT,
        False,
        Motivation.UNKNOWN,
        None,
    )
    # and one history record names the actor and the reason
    assert [(h.history_type, h.history_user_id, h.history_change_reason) for h in client.history.all()] == [
        ("+", actor.pk, "create")
    ]


def test_creating_a_vip_client_dates_the_status_today(management):
    # given / when Management creates a VIP client without a VIP date
    client = client_create(
        actor=management,
        data={**LEGAL_ENTITY, "is_vip": True, "vip_reason": "Main source of profit", "vip_terms": "Net 60"},
    )

    # then the status dates from today and keeps its reason and terms
    client.refresh_from_db()
    assert (client.is_vip, client.vip_since, client.vip_reason, client.vip_terms) == (
        True,
        timezone.localdate(),
        "Main source of profit",
        "Net 60",
    )


def test_creating_a_client_with_a_motivation_records_who_determined_it(management):
    # given the clock before the call
    before = timezone.now()

    # when Management creates a client whose motivation is known
    client = client_create(actor=management, data={**LEGAL_ENTITY, "motivation": Motivation.PARTNERSHIP})

    # then the motivation is credited to the actor, now
    assert client.motivation_determined_by_id == management.pk
    assert before <= client.motivation_determined_at <= timezone.now()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        pytest.param({"registration_number": ""}, "registration_number", "registration_number_required", id="no-regno"),
        pytest.param({"phone": "12"}, "phone", "invalid_phone", id="bad-phone"),
        pytest.param({"email": "not-an-email"}, "email", "invalid", id="bad-email"),
        pytest.param({"is_vip": True}, "vip_reason", "vip_reason_required", id="vip-without-reason"),
    ],
)
def test_invalid_client_is_not_created(management, data, field, code):
    # given / when Management creates a client with one invalid value
    with pytest.raises(ValidationError) as exc_info:
        client_create(actor=management, data={**LEGAL_ENTITY, **data})

    # then the field's code is raised and no client exists
    assert [e.code for e in exc_info.value.error_dict[field]] == [code]
    assert Client.objects.count() == 0
    assert Client.history.count() == 0


def test_duplicate_registration_number_is_not_created(management):
    # given a legal entity with a registration number
    make_client(registration_number="01-09-123456")

    # when Management creates another legal entity with the same number
    with pytest.raises(ValidationError) as exc_info:
        client_create(actor=management, data=LEGAL_ENTITY)

    # then it is refused as a duplicate and only the first client exists
    assert [e.code for e in exc_info.value.error_dict["__all__"]] == ["duplicate_registration_number"]
    assert Client.objects.count() == 1


def test_unknown_field_is_a_programming_error(management):
    # given / when a caller passes a field the registry does not know
    with pytest.raises(ValueError, match="motivation_determined_by"):
        client_create(actor=management, data={**LEGAL_ENTITY, "motivation_determined_by": management})

    # then nothing is created
    assert Client.objects.count() == 0


def _client_manager():
    return make_manager().user


NOT_MANAGEMENT = [
    pytest.param(_client_manager, id="client-manager"),
    pytest.param(lambda: make_user(Role.HR), id="hr"),
    pytest.param(lambda: make_user(Role.PAYROLL), id="payroll"),
    pytest.param(lambda: make_user(), id="no-role"),
    pytest.param(lambda: make_user(Role.MANAGEMENT, is_active=False), id="deactivated-management"),
    pytest.param(AnonymousUser, id="anonymous"),
]


@pytest.mark.parametrize("make_actor", NOT_MANAGEMENT)
def test_only_management_creates_clients(make_actor):
    # given an actor without Management authority
    actor = make_actor()

    # when they create a client
    with pytest.raises(PermissionDenied):
        client_create(actor=actor, data=LEGAL_ENTITY)

    # then no client exists
    assert Client.objects.count() == 0
    assert Client.history.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# A client manager works their own clients
# ---------------------------------------------------------------------------------------------------------------


def test_manager_records_the_motivation_and_contacts_of_their_client():
    # given a client assigned to a manager, with an unknown motivation
    client, manager = assigned_client(email="old@alfa.hu")
    before = timezone.now()

    # when the manager records the motivation and new contacts
    client_update(
        client=client,
        actor=manager.user,
        data={
            "motivation": Motivation.DECISION,
            "motivation_note": "Compares three offers every year.",
            "email": "Beszerzes@Alfa.hu",
            "phone": "+36 30 123 4567",
        },
    )

    # then the values are stored, and the motivation is credited to the manager, now
    client.refresh_from_db()
    assert (
        client.motivation,
        client.motivation_note,
        client.motivation_determined_by_id,
        client.email,
        client.phone,
    ) == (
        Motivation.DECISION,
        "Compares three offers every year.",
        manager.user.pk,
        "beszerzes@alfa.hu",
        "+36301234567",
    )
    assert before <= client.motivation_determined_at <= timezone.now()
    # and the history names the manager
    latest = client.history.first()
    assert (latest.history_type, latest.history_user_id, latest.history_change_reason) == (
        "~",
        manager.user.pk,
        "update",
    )


def test_resetting_the_motivation_to_unknown_forgets_who_determined_it(management):
    # given a client whose motivation a manager determined
    client, manager = assigned_client()
    client_update(client=client, actor=manager.user, data={"motivation": Motivation.ADVICE})

    # when the manager resets it to unknown
    client_update(client=client, actor=manager.user, data={"motivation": Motivation.UNKNOWN})

    # then nobody is credited
    client.refresh_from_db()
    assert (client.motivation, client.motivation_determined_by_id, client.motivation_determined_at) == (
        Motivation.UNKNOWN,
        None,
        None,
    )


def test_changing_only_the_motivation_note_keeps_who_determined_it(management):
    # given a client whose motivation Management determined
    client, manager = assigned_client()
    client_update(client=client, actor=management, data={"motivation": Motivation.ADVICE})
    client.refresh_from_db()
    determined_at = client.motivation_determined_at

    # when the manager adds a note only
    client_update(client=client, actor=manager.user, data={"motivation_note": "Prefers calls."})

    # then the motivation is still credited to Management at the same time
    client.refresh_from_db()
    assert (client.motivation_determined_by_id, client.motivation_determined_at) == (management.pk, determined_at)


def test_manager_may_resubmit_management_fields_unchanged():
    # given a VIP client of a VIP-qualified manager (a form posts every field back, changed or not)
    group = make_group()
    client, manager = assigned_client(is_vip=True, vip_qualified=True, group=group)

    # when the manager sends the management fields with their current values and a new address
    client_update(
        client=client,
        actor=manager.user,
        data={"is_vip": True, "group": group, "status": ClientStatus.ACTIVE, "address": "Fő utca 1."},
    )

    # then the address changes and the VIP status is as it was
    client.refresh_from_db()
    assert (client.address, client.is_vip, client.vip_since, client.group_id) == (
        "Fő utca 1.",
        True,
        VIP_SINCE,
        group.pk,
    )


def _other_group():
    return {"group": make_group("Other")}


@pytest.mark.parametrize(
    "make_data",
    [
        pytest.param(lambda: {"is_vip": True, "vip_reason": "Says so"}, id="is_vip"),
        pytest.param(_other_group, id="group"),
        pytest.param(lambda: {"status": ClientStatus.FORMER}, id="status"),
        pytest.param(lambda: {"kind": ClientKind.INDIVIDUAL}, id="kind"),
        pytest.param(lambda: {"acquired_on": datetime.date(2025, 1, 1)}, id="acquired_on"),
        pytest.param(lambda: {"motivation": Motivation.ADVICE, "is_vip": True}, id="allowed-with-forbidden"),
    ],
)
def test_manager_may_not_change_management_fields(make_data):
    # given a client assigned to a (VIP-qualified) manager
    client, manager = assigned_client(vip_qualified=True)
    data = make_data()
    before = snapshot(client)

    # when the manager changes a field only Management may set
    with pytest.raises(PermissionDenied):
        client_update(client=client, actor=manager.user, data=data)

    # then nothing changed, not even the fields the manager may write
    assert snapshot(client) == before


def test_manager_may_not_clear_vip():
    # given a VIP client of a VIP-qualified manager
    client, manager = assigned_client(is_vip=True, vip_qualified=True)
    before = snapshot(client)

    # when the manager clears the VIP flag
    with pytest.raises(PermissionDenied):
        client_update(client=client, actor=manager.user, data={"is_vip": False})

    # then the client is still VIP with its date and reason
    assert snapshot(client) == before
    client.refresh_from_db()
    assert (client.is_vip, client.vip_since, client.vip_reason) == (True, VIP_SINCE, "Main source of profit")


def _never_assigned(manager):
    return make_client()


def _assigned_to_another(manager):
    client, _other = assigned_client()
    return client


def _previously_assigned(manager):
    client = make_client()
    old = make_assignment(client, manager, start_date=datetime.date(2024, 1, 1))
    old.end_date = datetime.date(2024, 6, 1)
    old.save()
    return client


@pytest.mark.parametrize(
    "make_target",
    [
        pytest.param(_never_assigned, id="never-assigned"),
        pytest.param(_assigned_to_another, id="another-managers-client"),
        pytest.param(_previously_assigned, id="formerly-their-client"),
    ],
)
def test_manager_cannot_update_a_client_not_assigned_to_them(make_target):
    # given a manager and a client they do not currently hold
    manager = make_manager()
    client = make_target(manager)
    before = snapshot(client)

    # when the manager edits it
    with pytest.raises(Client.DoesNotExist):
        client_update(client=client, actor=manager.user, data={"motivation": Motivation.ADVICE})

    # then it is out of their scope and unchanged
    assert snapshot(client) == before


@pytest.mark.parametrize(
    "make_actor",
    [
        pytest.param(lambda: make_user(Role.HR), id="hr"),
        pytest.param(lambda: make_user(Role.PAYROLL), id="payroll"),
        pytest.param(lambda: make_user(), id="no-role"),
        pytest.param(AnonymousUser, id="anonymous"),
    ],
)
def test_users_who_see_no_clients_cannot_update_one(make_actor):
    # given an assigned client and a user who sees no clients
    client, _manager = assigned_client()
    before = snapshot(client)

    # when the user edits it
    with pytest.raises(Client.DoesNotExist):
        client_update(client=client, actor=make_actor(), data={"name": "Renamed"})

    # then it is unchanged
    assert snapshot(client) == before


def test_invalid_update_changes_nothing():
    # given a client of a manager
    client, manager = assigned_client()
    before = snapshot(client)

    # when the manager enters an invalid phone number with a valid motivation
    with pytest.raises(ValidationError) as exc_info:
        client_update(client=client, actor=manager.user, data={"phone": "123", "motivation": Motivation.ADVICE})

    # then the phone is refused and nothing is saved
    assert [e.code for e in exc_info.value.error_dict["phone"]] == ["invalid_phone"]
    assert snapshot(client) == before


def test_update_does_not_touch_the_callers_object(management):
    # given a client object held by the caller
    client = make_client(name="Alfa Kft.", registration_number="01-09-123456")

    # when a refused update runs
    with pytest.raises(ValidationError):
        client_update(client=client, actor=management, data={"registration_number": ""})

    # then the caller's object still has its stored values
    assert (client.name, client.registration_number) == ("Alfa Kft.", "01-09-123456")


# ---------------------------------------------------------------------------------------------------------------
# Management changes rules that involve the client's manager
# ---------------------------------------------------------------------------------------------------------------


def test_vip_on_a_client_of_an_unqualified_manager_is_refused(management):
    # given a client whose manager is not VIP-qualified
    client, _manager = assigned_client(vip_qualified=False)
    before = snapshot(client)

    # when Management makes the client a VIP
    with pytest.raises(ValidationError) as exc_info:
        client_update(client=client, actor=management, data={"is_vip": True, "vip_reason": "Largest account"})

    # then it is refused on the VIP flag and the client is unchanged
    assert list(exc_info.value.error_dict) == ["is_vip"]
    assert [e.code for e in exc_info.value.error_dict["is_vip"]] == ["manager_not_vip_qualified"]
    assert snapshot(client) == before


@pytest.mark.parametrize("vip_qualified", [True, False])
def test_vip_on_a_client_of_a_qualified_manager_or_none_is_allowed(management, vip_qualified):
    # given a client of a VIP-qualified manager, or a client without a manager
    if vip_qualified:
        client, _manager = assigned_client(vip_qualified=True)
    else:
        client = make_client()

    # when Management makes the client a VIP
    client_update(client=client, actor=management, data={"is_vip": True, "vip_reason": "Largest account"})

    # then the client is a VIP since today
    client.refresh_from_db()
    assert (client.is_vip, client.vip_since, client.vip_reason) == (True, timezone.localdate(), "Largest account")
    latest = client.history.first()
    assert (latest.history_user_id, latest.history_change_reason) == (management.pk, "update")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"kind": ClientKind.INDIVIDUAL}, "kind", id="to-individual"),
        pytest.param({"status": ClientStatus.FORMER}, "status", id="to-former"),
    ],
)
def test_client_with_a_manager_cannot_become_unassignable(management, data, field):
    # given a legal entity with a personal manager
    client, _manager = assigned_client()
    before = snapshot(client)

    # when Management makes it an individual or a former client
    with pytest.raises(ValidationError) as exc_info:
        client_update(client=client, actor=management, data=data)

    # then it is refused until the client is unassigned, and nothing changed
    assert list(exc_info.value.error_dict) == [field]
    assert [e.code for e in exc_info.value.error_dict[field]] == ["client_has_manager"]
    assert snapshot(client) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param({"kind": ClientKind.INDIVIDUAL}, (ClientKind.INDIVIDUAL, ClientStatus.ACTIVE), id="to-individual"),
        pytest.param({"status": ClientStatus.FORMER}, (ClientKind.LEGAL_ENTITY, ClientStatus.FORMER), id="to-former"),
    ],
)
def test_client_whose_assignment_ended_may_become_individual_or_former(management, data, expected):
    # given a legal entity whose assignment has ended
    client = make_client()
    old = make_assignment(client, make_manager(), start_date=datetime.date(2024, 1, 1))
    old.end_date = datetime.date(2024, 6, 1)
    old.save()

    # when Management changes its kind or status
    client_update(client=client, actor=management, data=data)

    # then the change is stored
    client.refresh_from_db()
    assert (client.kind, client.status) == expected


def test_clearing_vip_wipes_its_date_reason_and_terms(management):
    # given a VIP client with terms
    client = make_client(is_vip=True, vip_terms="Net 60, dedicated line")

    # when Management clears the VIP flag
    client_update(client=client, actor=management, data={"is_vip": False})

    # then nothing of the VIP status remains
    client.refresh_from_db()
    assert (client.is_vip, client.vip_since, client.vip_reason, client.vip_terms) == (False, None, "", "")


def test_vip_details_without_the_flag_are_not_kept(management):
    # given a client that is not VIP
    client = make_client()

    # when Management sends VIP details without the flag
    client_update(
        client=client,
        actor=management,
        data={"vip_since": datetime.date(2025, 1, 1), "vip_reason": "Maybe", "vip_terms": "Net 30"},
    )

    # then none of them are stored
    client.refresh_from_db()
    assert (client.is_vip, client.vip_since, client.vip_reason, client.vip_terms) == (False, None, "", "")


def test_setting_vip_without_a_reason_is_refused(management):
    # given a client without a manager
    client = make_client()
    before = snapshot(client)

    # when Management makes it a VIP without saying why
    with pytest.raises(ValidationError) as exc_info:
        client_update(client=client, actor=management, data={"is_vip": True})

    # then it is refused and the client is unchanged
    assert [e.code for e in exc_info.value.error_dict["vip_reason"]] == ["vip_reason_required"]
    assert snapshot(client) == before


# ---------------------------------------------------------------------------------------------------------------
# Client groups
# ---------------------------------------------------------------------------------------------------------------


def test_management_creates_and_renames_a_client_group(management):
    # given / when Management creates a group with manager types in any order, then renames it
    group = client_group_save(
        actor=management, data={"name": "Industry", "manager_types": ["partnership", "advice", "advice"]}
    )
    client_group_save(actor=management, group=group, data={"name": "Heavy industry"})

    # then the group has the new name and its types in the canonical order, with two history records
    group.refresh_from_db()
    assert (group.name, group.manager_types) == ("Heavy industry", ["advice", "partnership"])
    assert [(h.history_user_id, h.history_change_reason) for h in group.history.order_by("history_id")] == [
        (management.pk, "create"),
        (management.pk, "update"),
    ]


def test_client_group_with_an_unknown_manager_type_is_refused(management):
    # given / when Management saves a group with a type that does not exist
    with pytest.raises(ValidationError) as exc_info:
        client_group_save(actor=management, data={"name": "Retail", "manager_types": ["salesman"]})

    # then it is refused and no group exists
    assert [e.code for e in exc_info.value.error_dict["manager_types"]] == ["invalid_choice"]
    assert ClientGroup.objects.count() == 0


@pytest.mark.parametrize("make_actor", NOT_MANAGEMENT)
def test_only_management_changes_client_groups(make_actor):
    # given a group and an actor without Management authority
    group = make_group("Retail")
    actor = make_actor()

    # when they create a group or rename the existing one
    with pytest.raises(PermissionDenied):
        client_group_save(actor=actor, data={"name": "New"})
    with pytest.raises(PermissionDenied):
        client_group_save(actor=actor, group=group, data={"name": "Renamed"})

    # then nothing changed
    assert list(ClientGroup.objects.values_list("name", flat=True)) == ["Retail"]


# ---------------------------------------------------------------------------------------------------------------
# Who sees which clients
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def portfolio():
    """Anna holds two clients and once held a third; Béla holds one; one client has no manager."""
    anna, bela = make_manager(), make_manager()
    anna_1, anna_2 = make_client(name="A1"), make_client(name="A2")
    make_assignment(anna_1, anna)
    make_assignment(anna_2, anna)
    formerly_anna = make_client(name="A-former")
    ended = make_assignment(formerly_anna, anna, start_date=datetime.date(2023, 1, 1))
    ended.end_date = datetime.date(2024, 1, 1)
    ended.save()
    make_assignment(formerly_anna, bela)
    bela_1 = make_client(name="B1")
    make_assignment(bela_1, bela)
    nobody = make_client(kind=ClientKind.INDIVIDUAL, name="Nobody's")
    return {
        "anna": anna,
        "bela": bela,
        "anna_clients": {anna_1.pk, anna_2.pk},
        "bela_clients": {formerly_anna.pk, bela_1.pk},
        "all": {anna_1.pk, anna_2.pk, formerly_anna.pk, bela_1.pk, nobody.pk},
    }


def visible_ids(user) -> set[int]:
    return set(Client.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("actor_fixture", ["management", "admin_user"])
def test_management_and_admin_see_every_client(request, portfolio, actor_fixture):
    # given the portfolio / when Management or Admin lists clients / then they see all five
    assert visible_ids(request.getfixturevalue(actor_fixture)) == portfolio["all"]


def test_a_manager_sees_only_their_current_clients(portfolio):
    # given the portfolio / when each manager lists clients
    anna_sees = Client.objects.visible_to(portfolio["anna"].user)

    # then Anna sees her two current clients, not the one Béla took over; Béla sees his two
    assert set(anna_sees.values_list("pk", flat=True)) == portfolio["anna_clients"]
    assert anna_sees.count() == 2
    assert visible_ids(portfolio["bela"].user) == portfolio["bela_clients"]


def test_a_manager_with_many_past_assignments_sees_each_client_once(management):
    # given a client Anna held, lost and holds again
    anna, bela = make_manager(), make_manager()
    client = make_client()
    for start, end, who in [
        (datetime.date(2022, 1, 1), datetime.date(2023, 1, 1), anna),
        (datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), bela),
    ]:
        old = make_assignment(client, who, start_date=start)
        old.end_date = end
        old.save()
    make_assignment(client, anna, start_date=datetime.date(2024, 1, 1))

    # when Anna lists clients / then the client appears once
    assert list(Client.objects.visible_to(anna.user).values_list("pk", flat=True)) == [client.pk]
    assert visible_ids(bela.user) == set()


@pytest.mark.parametrize(
    "make_user_",
    [
        pytest.param(lambda p: make_user(Role.HR), id="hr"),
        pytest.param(lambda p: make_user(Role.PAYROLL), id="payroll"),
        pytest.param(lambda p: make_user(), id="no-role"),
        pytest.param(lambda p: make_user(Role.CLIENT_MANAGER), id="client-manager-role-without-profile"),
        pytest.param(lambda p: AnonymousUser(), id="anonymous"),
        pytest.param(lambda p: make_user(Role.MANAGEMENT, is_active=False), id="deactivated-management"),
    ],
)
def test_users_without_client_access_see_no_clients(portfolio, make_user_):
    # given the portfolio / when the user lists clients / then they see none
    assert visible_ids(make_user_(portfolio)) == set()


def test_a_deactivated_manager_sees_no_clients(portfolio):
    # given Anna's account is deactivated
    user = portfolio["anna"].user
    user.is_active = False
    user.save()
    user.refresh_from_db()

    # when she lists clients / then she sees none
    assert visible_ids(user) == set()
