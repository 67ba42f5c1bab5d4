"""A temporary leave: clients go to the cover and come back; all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.accounts.roles import Role
from rapport.assignment.leave import manager_leave_end, manager_leave_start
from rapport.assignment.models import Assignment, ManagerLeave
from rapport.core.testing import make_assignment, make_client, make_manager, make_user

pytestmark = pytest.mark.django_db


def holders() -> dict[str, int]:
    return dict(Assignment.objects.filter(end_date__isnull=True).values_list("client__name", "manager_id"))


def test_leave_hands_over_and_returns(management):
    # given a manager with two clients and a cover with room
    away, cover, other = make_manager(), make_manager(), make_manager()
    make_assignment(make_client(name="A Kft."), away)
    make_assignment(make_client(name="B Kft."), away)
    # when the leave starts
    leave = manager_leave_start(manager=away, cover=cover, actor=management)
    # then the cover holds both, the manager is on leave
    assert holders() == {"A Kft.": cover.pk, "B Kft.": cover.pk}
    away.refresh_from_db()
    assert away.employment_status == "on_leave"
    assert set(Assignment.objects.filter(end_date__isnull=True).values_list("reason", flat=True)) == {"handover"}
    # given Management moves one client elsewhere during the leave
    from rapport.assignment.services import assignment_create

    assignment_create(
        client=Assignment.objects.get(client__name="B Kft.", end_date__isnull=True).client,
        manager=other,
        actor=management,
    )
    # when the leave ends / then the client still with the cover comes back, the other stays
    manager_leave_end(manager=away, actor=management)
    assert holders() == {"A Kft.": away.pk, "B Kft.": other.pk}
    away.refresh_from_db()
    leave.refresh_from_db()
    assert (away.employment_status, leave.returned_on is not None) == ("active", True)


def test_a_cover_without_room_changes_nothing(management):
    away, cover = make_manager(), make_manager(capacity=1)
    make_assignment(make_client(name="A Kft."), away)
    make_assignment(make_client(name="B Kft."), away)
    with pytest.raises(ValidationError) as exc_info:
        manager_leave_start(manager=away, cover=cover, actor=management)
    assert exc_info.value.error_dict["manager"][0].code == "capacity_exceeded"
    assert holders() == {"A Kft.": away.pk, "B Kft.": away.pk}
    away.refresh_from_db()
    assert away.employment_status == "active"
    assert ManagerLeave.objects.count() == 0


def test_vip_clients_need_a_qualified_cover(management):
    away, cover = make_manager(vip_qualified=True), make_manager()
    make_assignment(make_client(name="Crown Nyrt.", is_vip=True), away)
    with pytest.raises(ValidationError) as exc_info:
        manager_leave_start(manager=away, cover=cover, actor=management)
    assert exc_info.value.error_dict["manager"][0].code == "vip_needs_qualified_manager"
    assert holders() == {"Crown Nyrt.": away.pk}


def test_only_management_and_only_once(management):
    away, cover = make_manager(), make_manager()
    with pytest.raises(PermissionDenied):
        manager_leave_start(manager=away, cover=cover, actor=make_user(Role.HR))
    manager_leave_start(manager=away, cover=cover, actor=management)
    with pytest.raises(ValidationError) as exc_info:
        manager_leave_start(manager=away, cover=cover, actor=management)
    assert exc_info.value.code == "already_on_leave"
    manager_leave_end(manager=away, actor=management)
    with pytest.raises(ValidationError) as exc_info:
        manager_leave_end(manager=away, actor=management)
    assert exc_info.value.code == "not_on_leave"


def test_leave_pages(management):
    from django.test import Client as Browser

    away, cover = make_manager(), make_manager()
    make_assignment(make_client(name="A Kft."), away)
    browser = Browser()
    browser.force_login(management)
    assert browser.get(f"/managers/{away.pk}/leave/").status_code == 200
    response = browser.post(f"/managers/{away.pk}/leave/", {"cover": cover.pk})
    assert response["Location"] == f"/managers/{away.pk}/"
    assert holders() == {"A Kft.": cover.pk}
    browser.post(f"/managers/{away.pk}/leave/", {})
    assert holders() == {"A Kft.": away.pk}
    hr = Browser()
    hr.force_login(make_user(Role.HR))
    assert hr.post(f"/managers/{away.pk}/leave/", {"cover": cover.pk}).status_code == 403
    assert holders() == {"A Kft.": away.pk}
