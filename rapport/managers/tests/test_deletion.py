"""Deleting and restoring manager profiles (``rapport.managers.deletion``): refused while the manager has clients or
open work, the account is deactivated, a restore keeps it so."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases.choices import CaseStatus
from rapport.core.testing import make_assignment, make_case, make_client, make_manager, make_opportunity
from rapport.managers.deletion import manager_delete, manager_purge, manager_restore
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_create

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
DELETED_AT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=ZONE)


def snapshot(manager: ClientManager) -> tuple:
    stored = ClientManager.all_objects.select_related("user").get(pk=manager.pk)
    return (model_to_dict(stored), stored.deleted_at, stored.updated_at, stored.history.count(), stored.user.is_active)


def test_delete_hides_the_profile_and_deactivates_the_account(management):
    manager = make_manager()
    manager_delete(manager=manager, actor=management, now=DELETED_AT)
    assert not ClientManager.objects.filter(pk=manager.pk).exists()
    assert not ClientManager.all_objects.visible_to(management).filter(pk=manager.pk).exists()
    stored = ClientManager.all_objects.get(pk=manager.pk)
    assert (stored.deleted_at, stored.deleted_by_id) == (DELETED_AT, management.pk)
    assert stored.history.first().history_change_reason == "delete"
    manager.user.refresh_from_db()
    assert manager.user.is_active is False


def test_delete_is_refused_while_the_manager_has_clients(management):
    manager = make_manager()
    make_assignment(make_client(), manager)
    before = snapshot(manager)
    with pytest.raises(ValidationError) as exc:
        manager_delete(manager=manager, actor=management)
    assert exc.value.code == "manager_has_clients"
    assert exc.value.messages == [
        f"{manager.name} still has 1 personal clients: use the departure wizard to hand them over."
    ]
    assert snapshot(manager) == before


def test_delete_is_refused_while_the_manager_has_open_cases_or_opportunities(management):
    manager = make_manager()
    client = make_client()
    case = make_case(client, handler=manager, subject="Late delivery", status=CaseStatus.NEW)
    make_opportunity(client, manager, title="Upsell")
    before = snapshot(manager)
    with pytest.raises(ValidationError) as exc:
        manager_delete(manager=manager, actor=management)
    assert exc.value.code == "manager_has_open_work"
    assert exc.value.messages == [
        f"{manager.name} still has open cases or opportunities: #{case.pk} Late delivery, Upsell. "
        "Use the departure wizard."
    ]
    assert snapshot(manager) == before


def test_delete_is_refused_while_the_manager_worked_this_month(management):
    # given a manager who held a client until yesterday (the pay run of this month still owes them)
    manager = make_manager()
    today = timezone.localdate()
    assignment = make_assignment(make_client(), manager, start_date=today.replace(day=1))
    Assignment.objects.filter(pk=assignment.pk).update(end_date=today)
    before = snapshot(manager)
    # when Management deletes the profile / then it is refused and nothing changes
    with pytest.raises(ValidationError) as exc:
        manager_delete(manager=manager, actor=management)
    assert exc.value.code == "manager_has_unpaid_work"
    assert exc.value.messages == [
        f"{manager.name} worked this month or has a statement not yet approved: use the departure wizard, so that "
        "their pay is still calculated."
    ]
    assert snapshot(manager) == before


def test_restore_keeps_the_account_deactivated(management):
    manager = make_manager()
    manager_delete(manager=manager, actor=management, now=DELETED_AT)
    manager_restore(manager=manager, actor=management, now=DELETED_AT + datetime.timedelta(days=3))
    stored = ClientManager.objects.get(pk=manager.pk)
    assert (stored.deleted_at, stored.deleted_by_id) == (None, None)
    assert stored.user.is_active is False


def test_restore_after_the_window_is_refused(management):
    manager = make_manager()
    manager_delete(manager=manager, actor=management, now=DELETED_AT)
    before = snapshot(manager)
    with pytest.raises(ValidationError) as exc:
        manager_restore(manager=manager, actor=management, now=DELETED_AT + datetime.timedelta(days=16))
    assert exc.value.code == "restore_window_passed"
    assert snapshot(manager) == before


def test_a_deleted_profile_blocks_a_new_one_for_the_same_account(management, hr):
    manager = make_manager()
    manager_delete(manager=manager, actor=management)
    user = manager.user
    user.is_active = True
    user.save()
    with pytest.raises(ValidationError) as exc:
        manager_create(actor=hr, user=user, data={"manager_type": "decision", "hire_date": datetime.date(2024, 1, 1)})
    assert exc.value.error_dict["user"][0].code == "manager_profile_deleted"
    assert ClientManager.all_objects.filter(user=user).count() == 1


def test_purge_keeps_a_manager_kept_records_point_at(management):
    # given a deleted manager who once served a client (assignment history) and one who never did
    served = make_manager()
    make_assignment(make_client(), served, end_date=datetime.date(2025, 1, 1))
    idle = make_manager()
    manager_delete(manager=served, actor=management, now=DELETED_AT)
    manager_delete(manager=idle, actor=management, now=DELETED_AT)
    # when the purge runs after the window
    counts = manager_purge(actor=management, now=DELETED_AT + datetime.timedelta(days=16))
    # then the idle one is removed, the other kept hidden; both user accounts stay, deactivated
    assert counts == {"removed": 1, "kept": 1}
    assert list(ClientManager.all_objects.values_list("pk", flat=True)) == [served.pk]
    assert not ClientManager.objects.exists()
    idle.user.refresh_from_db()
    assert idle.user.is_active is False
