"""Writes of manager profiles. A profile change may never strand a client: a manager who holds personal clients
cannot be dismissed, moved to pool work, lose VIP qualification while holding VIPs, or drop below their load."""

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.accounts.roles import Role
from rapport.core.concurrency import check_version
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.errors import ManagerError
from rapport.managers.models import ClientManager

MANAGER_FIELDS = frozenset(
    {
        "manager_type",
        "level",
        "work_mode",
        "vip_qualified",
        "capacity",
        "employment_status",
        "status_since",
        "hire_date",
        "dismissal_date",
        "years_of_experience",
    }
)


def check_portfolio(manager: ClientManager) -> None:
    """Refuse profile values that the manager's current personal clients would violate."""
    current = manager.assignments.filter(end_date__isnull=True)
    load = current.count()
    if load == 0:
        return
    if manager.employment_status == EmploymentStatus.DISMISSED:
        raise refuse(
            ManagerError.HAS_CLIENTS,
            _("%(name)s still has %(count)d personal clients: hand them over before the dismissal.")
            % {"name": manager.name, "count": load},
            field="employment_status",
        )
    if manager.work_mode != WorkMode.PERSONAL:
        raise refuse(
            ManagerError.HAS_CLIENTS,
            _("%(name)s still has %(count)d personal clients: hand them over before changing the work mode.")
            % {"name": manager.name, "count": load},
            field="work_mode",
        )
    if manager.capacity < load:
        raise refuse(
            ManagerError.CAPACITY_BELOW_LOAD,
            _("The capacity cannot be below the %(count)d clients currently assigned.") % {"count": load},
            field="capacity",
        )
    if not manager.vip_qualified and current.filter(client__is_vip=True).exists():
        raise refuse(
            ManagerError.HAS_VIP_CLIENTS,
            _("The manager holds VIP clients: reassign them before removing the VIP qualification."),
            field="vip_qualified",
        )


def _apply(manager: ClientManager, data: dict[str, Any]) -> list:
    groups = data.pop("client_groups", None)
    unknown = set(data) - MANAGER_FIELDS
    if unknown:
        raise ValueError(f"Unknown manager fields: {sorted(unknown)}")
    old_status = manager.employment_status
    for name, value in data.items():
        setattr(manager, name, value)
    if manager.employment_status != old_status and "status_since" not in data:
        manager.status_since = timezone.localdate()
    if not manager.status_since:
        manager.status_since = manager.hire_date or timezone.localdate()
    return groups


@transaction.atomic
def manager_create(*, actor, user, data: dict[str, Any]) -> ClientManager:
    """Give ``user`` a client-manager profile and the Client manager role. Management and HR only."""
    if not roles.may_edit_managers(actor):
        raise PermissionDenied(_("Only Management and HR may create manager profiles."))
    if not user.is_active:
        raise refuse(ManagerError.USER_INACTIVE, _("The user account is deactivated."), field="user")
    if ClientManager.objects.filter(user=user).exists():
        raise refuse(ManagerError.USER_HAS_PROFILE, _("This user already has a manager profile."), field="user")
    if ClientManager.all_objects.deleted().filter(user=user).exists():
        raise refuse(
            ManagerError.PROFILE_DELETED,
            _("This user's manager profile was deleted. Management can restore it under Recently deleted."),
            field="user",
        )
    manager = ClientManager(user=user)
    data = dict(data)
    groups = _apply(manager, data)
    manager.full_clean()
    save_with_history(manager, actor=actor, reason="create")
    if groups is not None:
        manager.client_groups.set(groups)
    user.groups.add(Group.objects.get(name=Role.CLIENT_MANAGER.value))
    return manager


@transaction.atomic
def manager_update(
    *, manager: ClientManager, actor, data: dict[str, Any], version: str | Collection[str] | None = None
) -> ClientManager:
    """Change a manager profile; refused when the change would strand any of their current clients. With
    ``version`` (the one the editor read), a profile changed since is refused with ``StaleVersion``."""
    if not roles.may_edit_managers(actor):
        raise PermissionDenied(_("Only Management and HR may change manager profiles."))
    manager = ClientManager.objects.select_for_update().select_related("user").get(pk=manager.pk)
    check_version(manager, version, fields=MANAGER_FIELDS | {"client_groups"}, submitted=data)
    data = dict(data)
    groups = _apply(manager, data)
    manager.full_clean()
    check_portfolio(manager)
    save_with_history(manager, actor=actor, reason="update")
    if groups is not None:
        # The history records of the group change name the editor too (a stale edit is told who changed them).
        manager._history_user = actor
        try:
            manager.client_groups.set(groups)
        finally:
            del manager._history_user
    return manager
