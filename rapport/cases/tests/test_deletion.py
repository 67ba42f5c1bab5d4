"""Deleting and restoring cases (``rapport.cases.deletion``): duplicates and spam only, never a resolved case."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.cases.choices import CaseStatus
from rapport.cases.deletion import case_delete, case_purge, case_restore
from rapport.cases.models import Case, CaseEvent
from rapport.clients.deletion import client_delete
from rapport.core.testing import make_case, make_client, make_interaction, make_manager, make_user

pytestmark = pytest.mark.django_db

ZONE = timezone.get_default_timezone()
DELETED_AT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=ZONE)


def snapshot(case: Case) -> tuple:
    stored = Case.all_objects.get(pk=case.pk)
    return (model_to_dict(stored), stored.deleted_at, stored.updated_at, stored.history.count())


def resolved_case():
    manager = make_manager()
    now = timezone.now()
    return make_case(
        make_client(),
        handler=manager,
        status=CaseStatus.RESOLVED,
        acknowledged_at=now,
        problem_statement="Wrong total.",
        resolution="Corrected.",
        resolved_at=now,
        resolved_by=manager,
    )


def test_delete_and_restore_a_duplicate(management):
    case = make_case(make_client(), subject="Duplicate")
    fields = model_to_dict(Case.objects.get(pk=case.pk))
    case_delete(case=case, actor=management, now=DELETED_AT)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert Case.all_objects.get(pk=case.pk).deleted_by_id == management.pk
    case_restore(case=case, actor=management, now=DELETED_AT + datetime.timedelta(days=15))
    restored = Case.objects.get(pk=case.pk)
    assert model_to_dict(restored) == fields
    assert [h.history_change_reason for h in restored.history.order_by("history_id")][-2:] == ["delete", "restore"]


def test_a_resolved_case_cannot_be_deleted(management):
    case = resolved_case()
    before = snapshot(case)
    with pytest.raises(ValidationError) as exc:
        case_delete(case=case, actor=management)
    assert exc.value.code == "case_resolved"
    assert snapshot(case) == before


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_only_management_deletes_cases(role):
    case = make_case(make_client())
    before = snapshot(case)
    with pytest.raises(PermissionDenied):
        case_delete(case=case, actor=make_user(role))
    assert snapshot(case) == before


def test_a_case_of_a_deleted_client_waits_for_the_client(management):
    client = make_client()
    case = make_case(client)
    case_delete(case=case, actor=management, now=timezone.now())
    client_delete(client=client, actor=management)
    before = snapshot(case)
    with pytest.raises(ValidationError) as exc:
        case_restore(case=case, actor=management)
    assert exc.value.code == "client_deleted"
    assert snapshot(case) == before


def test_purge_removes_a_case_with_its_timeline_and_keeps_one_an_interaction_names(management):
    # given two deleted cases past the window, one with a timeline event, one an interaction was logged on
    client = make_client()
    manager = make_manager()
    spam = make_case(client)
    CaseEvent.objects.create(case=spam, kind="opened", at=timezone.now())
    logged = make_case(client)
    make_interaction(client, manager, case=logged)
    case_delete(case=spam, actor=management, now=DELETED_AT)
    case_delete(case=logged, actor=management, now=DELETED_AT)
    # when the purge runs
    counts = case_purge(actor=management, now=DELETED_AT + datetime.timedelta(days=16))
    # then the spam case and its event are gone; the other is kept hidden
    assert counts == {"removed": 1, "kept": 1}
    assert list(Case.all_objects.values_list("pk", flat=True)) == [logged.pk]
    assert not CaseEvent.objects.filter(case_id=spam.pk).exists()
    assert case_purge(actor=management, now=DELETED_AT + datetime.timedelta(days=16)) == {"removed": 0, "kept": 1}
