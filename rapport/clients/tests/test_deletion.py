"""Deleting, restoring and purging clients (``rapport.clients.deletion``) and the purge command over all three
soft-deletable models.

A refused delete or restore asserts its exact code and that the client, its history and assignments are unchanged.
"""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.cases.choices import CaseStatus
from rapport.cases.models import Case
from rapport.clients.choices import ClientKind
from rapport.clients.deletion import client_delete, client_purge, client_restore
from rapport.clients.models import Client
from rapport.clients.services import client_create
from rapport.core.testing import (
    make_assignment,
    make_case,
    make_client,
    make_interaction,
    make_manager,
    make_opportunity,
    make_user,
)
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
DELETED_AT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=ZONE)


def snapshot(client: Client) -> tuple:
    stored = Client.all_objects.get(pk=client.pk)
    return (
        model_to_dict(stored),
        stored.deleted_at,
        stored.deleted_by_id,
        stored.updated_at,
        stored.history.count(),
        list(Assignment.objects.filter(client=stored).order_by("pk").values_list("pk", "manager_id", "end_date")),
    )


# ---------------------------------------------------------------------------------------------------------------
# Delete
# ---------------------------------------------------------------------------------------------------------------


def test_delete_hides_the_client_and_ends_its_assignment(management):
    # given a client with a personal manager
    client = make_client(name="Alfa Kft.")
    manager = make_manager()
    make_assignment(client, manager)
    # when Management deletes it
    client_delete(client=client, actor=management, now=DELETED_AT)
    # then it is gone from the default manager and every visible_to, kept in all_objects
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not Client.objects.visible_to(management).filter(pk=client.pk).exists()
    assert not Client.all_objects.visible_to(management).filter(pk=client.pk).exists()
    stored = Client.all_objects.get(pk=client.pk)
    assert (stored.deleted_at, stored.deleted_by_id) == (DELETED_AT, management.pk)
    assert stored.history.first().history_change_reason == "delete"
    # and its assignment ended today, recorded as ended by the delete
    assignment = Assignment.objects.get(client_id=client.pk)
    assert (assignment.end_date, assignment.ended_by_id) == (timezone.localdate(), management.pk)
    assert assignment.end_note == "The client was deleted."
    assert assignment.history.first().history_change_reason == "delete"
    # and the manager no longer sees it
    assert not Client.objects.visible_to(manager.user).exists()


def test_past_facts_stay_with_a_deleted_client(management):
    # given a client with an interaction and a resolved case
    client = make_client()
    manager = make_manager()
    interaction = make_interaction(client, manager)
    # when it is deleted
    client_delete(client=client, actor=management, now=DELETED_AT)
    # then the interaction still points at it and resolves it through the base manager
    interaction.refresh_from_db()
    assert interaction.client.pk == client.pk
    assert interaction.client.deleted_at == DELETED_AT


@pytest.mark.parametrize(
    ("open_item", "code", "message"),
    [
        (
            "case",
            "client_has_open_cases",
            "The client has open cases: #{pk} Wrong invoice. Resolve or delete them first.",
        ),
        (
            "opportunity",
            "client_has_open_opportunities",
            "The client has open opportunities: Big deal. Win or lose them first.",
        ),
    ],
)
def test_delete_is_refused_while_the_client_has_open_work(management, open_item, code, message):
    # given a client with an open case or an open opportunity
    client = make_client()
    manager = make_manager()
    make_assignment(client, manager)
    if open_item == "case":
        item = make_case(client, handler=manager, subject="Wrong invoice", status=CaseStatus.NEW)
    else:
        item = make_opportunity(client, manager, title="Big deal")
    before = snapshot(client)
    # when Management deletes it
    with pytest.raises(ValidationError) as exc:
        client_delete(client=client, actor=management)
    # then it is refused with the code, naming the open items, and nothing changed
    assert exc.value.code == code
    assert exc.value.messages == [message.format(pk=item.pk)]
    assert snapshot(client) == before


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL, None])
def test_only_management_deletes_and_restores(role):
    # given a live client and a deleted one
    client = make_client()
    deleted = make_client()
    client_delete(client=deleted, actor=make_user(Role.MANAGEMENT), now=timezone.now())
    user = make_user(role) if role else make_user()
    before, before_deleted = snapshot(client), snapshot(deleted)
    # when someone else tries
    with pytest.raises(PermissionDenied):
        client_delete(client=client, actor=user)
    with pytest.raises(PermissionDenied):
        client_restore(client=deleted, actor=user)
    # then nothing changed
    assert (snapshot(client), snapshot(deleted)) == (before, before_deleted)


def test_admin_deletes_too(admin_user):
    client = make_client()
    client_delete(client=client, actor=admin_user)
    assert Client.all_objects.get(pk=client.pk).deleted_by_id == admin_user.pk


def test_deleting_twice_is_refused(management):
    client = make_client()
    client_delete(client=client, actor=management, now=DELETED_AT)
    before = snapshot(client)
    with pytest.raises(ValidationError) as exc:
        client_delete(client=client, actor=management)
    assert exc.value.code == "already_deleted"
    assert snapshot(client) == before


# ---------------------------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------------------------


def test_restore_within_the_window_brings_the_client_back_as_it_was(management):
    # given a deleted client
    client = make_client(name="Alfa Kft.", email="info@alfa.hu")
    fields = model_to_dict(Client.objects.get(pk=client.pk))
    client_delete(client=client, actor=management, now=DELETED_AT)
    # when Management restores it on the last day of the window
    client_restore(client=client, actor=management, now=DELETED_AT + datetime.timedelta(days=15))
    # then it is back exactly as it was, with no personal manager
    restored = Client.objects.visible_to(management).get(pk=client.pk)
    assert model_to_dict(restored) == fields
    assert (restored.deleted_at, restored.deleted_by_id) == (None, None)
    assert restored.history.first().history_change_reason == "restore"
    assert not Assignment.objects.filter(client=restored, end_date__isnull=True).exists()


def test_restore_after_the_window_is_refused(management):
    client = make_client()
    client_delete(client=client, actor=management, now=DELETED_AT)
    before = snapshot(client)
    with pytest.raises(ValidationError) as exc:
        client_restore(client=client, actor=management, now=DELETED_AT + datetime.timedelta(days=15, seconds=1))
    assert exc.value.code == "restore_window_passed"
    assert snapshot(client) == before


def test_restoring_a_live_client_is_refused(management):
    client = make_client()
    before = snapshot(client)
    with pytest.raises(ValidationError) as exc:
        client_restore(client=client, actor=management)
    assert exc.value.code == "not_deleted"
    assert snapshot(client) == before


def test_the_window_is_a_setting(management, settings):
    settings.RAPPORT = {**settings.RAPPORT, "RESTORE_DAYS": 2}
    client = make_client()
    client_delete(client=client, actor=management, now=DELETED_AT)
    with pytest.raises(ValidationError) as exc:
        client_restore(client=client, actor=management, now=DELETED_AT + datetime.timedelta(days=3))
    assert exc.value.code == "restore_window_passed"


# ---------------------------------------------------------------------------------------------------------------
# Duplicates
# ---------------------------------------------------------------------------------------------------------------


def test_a_deleted_clients_registration_number_is_refused_with_a_pointer_to_restore(management):
    # given a deleted legal entity
    client = make_client(registration_number="01-09-999999")
    client_delete(client=client, actor=management)
    count = Client.all_objects.count()
    # when Management creates a new client with the same number
    with pytest.raises(ValidationError) as exc:
        client_create(
            actor=management,
            data={"kind": ClientKind.LEGAL_ENTITY, "name": "Again Kft.", "registration_number": "01-09-999999"},
        )
    # then it is refused, pointing to restore, and nothing was created
    error = exc.value.error_dict["registration_number"][0]
    assert error.code == "duplicate_of_deleted_client"
    assert error.messages == [
        "A deleted client has this registration number. Management can restore it under Recently deleted "
        "instead of creating it again."
    ]
    assert Client.all_objects.count() == count


# ---------------------------------------------------------------------------------------------------------------
# Purge
# ---------------------------------------------------------------------------------------------------------------


def test_purge_removes_a_client_nothing_points_at(management):
    # given a client deleted 16 days ago that nothing refers to, and one deleted 14 days ago
    now = DELETED_AT + datetime.timedelta(days=16)
    old = make_client(name="Old Kft.", email="old@example.hu")
    recent = make_client()
    client_delete(client=old, actor=management, now=DELETED_AT)
    client_delete(client=recent, actor=management, now=DELETED_AT + datetime.timedelta(days=2))
    # when the purge runs
    counts = client_purge(actor=management, now=now)
    # then the old one is gone for good, its history anonymised; the recent one waits
    assert counts == {"removed": 1, "anonymised": 0, "kept": 0}
    assert not Client.all_objects.filter(pk=old.pk).exists()
    assert Client.all_objects.filter(pk=recent.pk, deleted_at__isnull=False).exists()
    history = Client.history.filter(id=old.pk)
    assert history.first().history_type == "-"
    assert history.first().history_change_reason == "purge"
    assert not history.filter(name="Old Kft.").exists()
    assert not history.filter(email="old@example.hu").exists()
    # and a second run changes nothing
    assert client_purge(actor=management, now=now) == {"removed": 0, "anonymised": 0, "kept": 0}


def test_purge_anonymises_a_client_kept_records_point_at(management):
    # given a deleted client with assignment history and an interaction
    client = make_client(name="Kept Kft.", email="kept@example.hu")
    manager = make_manager()
    make_assignment(client, manager)
    interaction = make_interaction(client, manager, summary="Talked about the order.")
    client_delete(client=client, actor=management, now=DELETED_AT)
    now = DELETED_AT + datetime.timedelta(days=16)
    # when the purge runs
    counts = client_purge(actor=management, now=now)
    # then it is anonymised and stays hidden; its assignment history and interaction are kept
    assert counts == {"removed": 0, "anonymised": 1, "kept": 0}
    stored = Client.all_objects.get(pk=client.pk)
    assert (stored.name, stored.email, stored.deleted_at) == (f"Anonymised client #{client.pk}", "", DELETED_AT)
    assert stored.anonymised_at is not None
    assert not Client.objects.filter(pk=client.pk).exists()
    assert Assignment.objects.filter(client_id=client.pk).count() == 1
    interaction.refresh_from_db()
    assert interaction.client_id == client.pk
    # and a second run keeps it as it is
    assert client_purge(actor=management, now=now) == {"removed": 0, "anonymised": 0, "kept": 1}


def test_purge_leaves_approved_pay_unchanged(management):
    # given a manager with an approved January statement, whose acquired client is then deleted
    from rapport.compensation import services as pay
    from rapport.compensation.models import PayPeriod, Statement
    from rapport.compensation.tests.support import acquisition, at, frozen, huf_plan
    from rapport.pipeline.models import Acquisition

    payroll = make_user(Role.PAYROLL)
    anna = make_manager(hire_date=datetime.date(2025, 1, 1))
    pay.manager_plan_set(actor=payroll, manager=anna, plan=huf_plan(payroll))
    client = make_client()
    acquisition(anna, client, datetime.date(2026, 1, 10))
    january = PayPeriod.objects.create(month=datetime.date(2026, 1, 1))
    with frozen(at(2026, 2, 3)):
        pay.period_calculate(period=january, actor=payroll)
        pay.period_approve(period=january, actor=payroll)
    statement = Statement.objects.get()
    before = (statement.total, sorted(statement.lines.values_list("kind", "amount")))
    # when the client is deleted and purged after the window
    client_delete(client=client, actor=management, now=DELETED_AT)
    counts = client_purge(actor=management, now=DELETED_AT + datetime.timedelta(days=16))
    # then it is anonymised (the acquisition keeps it) and the approved statement is unchanged
    assert counts == {"removed": 0, "anonymised": 1, "kept": 0}
    statement.refresh_from_db()
    assert (statement.total, sorted(statement.lines.values_list("kind", "amount"))) == before
    assert Acquisition.objects.filter(client_id=client.pk).count() == 1


def test_purge_command_reports_counts_per_model_and_is_idempotent(management):
    # given one deleted client, manager and case past the window
    client = make_client()
    manager = make_manager()
    live = make_client()
    case = make_case(live)
    from rapport.cases.deletion import case_delete
    from rapport.managers.deletion import manager_delete

    long_ago = timezone.now() - datetime.timedelta(days=20)
    client_delete(client=client, actor=management, now=long_ago)
    manager_delete(manager=manager, actor=management, now=long_ago)
    case_delete(case=case, actor=management, now=long_ago)
    # when a dry run, then the purge, then the purge again run
    out = StringIO()
    call_command("purge-deleted", "--dry-run", "--as", management.username, stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        "  cases: removed 1, kept 0",
        "  clients: removed 1, anonymised 0, kept 0",
        "  managers: removed 1, kept 0",
    ]
    assert Case.all_objects.filter(pk=case.pk).exists()
    out = StringIO()
    call_command("purge-deleted", "--as", management.username, stdout=out)
    assert out.getvalue().splitlines() == [
        "Purged rows deleted more than 15 days ago:",
        "  cases: removed 1, kept 0",
        "  clients: removed 1, anonymised 0, kept 0",
        "  managers: removed 1, kept 0",
    ]
    # then the rows are gone, the manager's user account is kept (deactivated)
    assert not Case.all_objects.filter(pk=case.pk).exists()
    assert not Client.all_objects.filter(pk=client.pk).exists()
    assert not ClientManager.all_objects.filter(pk=manager.pk).exists()
    manager.user.refresh_from_db()
    assert manager.user.is_active is False
    out = StringIO()
    call_command("purge-deleted", "--as", management.username, stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        "  cases: removed 0, kept 0",
        "  clients: removed 0, anonymised 0, kept 0",
        "  managers: removed 0, kept 0",
    ]
