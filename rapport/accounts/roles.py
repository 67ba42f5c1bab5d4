"""Roles are Django groups (created by migration ``0002_roles``); this module is the one place that asks
which role a user has. Everything that decides visibility or authority calls these helpers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The five roles. The value is the name of the Django group."""

    ADMIN = "Admin", _("Admin")
    MANAGEMENT = "Management", _("Management")
    CLIENT_MANAGER = "Client manager", _("Client manager")
    HR = "HR", _("HR")
    PAYROLL = "Payroll", _("Payroll")


def role_names(user) -> frozenset[str]:
    """The role group names of ``user``, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_rapport_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        if user.is_superuser:
            cached = cached | {Role.ADMIN.value}
        user._rapport_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    """Whether ``user`` holds any of ``roles``."""
    names = role_names(user)
    return any(role.value in names for role in roles)


def sees_all_clients(user) -> bool:
    """Management and Admin see every client; nobody else does."""
    return has_role(user, Role.ADMIN, Role.MANAGEMENT)


def is_management(user) -> bool:
    """Management (and Admin, who may do all that Management does)."""
    return has_role(user, Role.ADMIN, Role.MANAGEMENT)


def is_client_manager(user) -> bool:
    """A client manager: the role, with a manager profile linked to the account."""
    return has_role(user, Role.CLIENT_MANAGER)


def sees_all_managers(user) -> bool:
    """Admin, Management, HR and Payroll see every manager profile; a client manager sees their own."""
    return has_role(user, Role.ADMIN, Role.MANAGEMENT, Role.HR, Role.PAYROLL)


def may_edit_managers(user) -> bool:
    """Management and HR keep manager profiles (HR owns employment; Management owns capacity and mode)."""
    return has_role(user, Role.ADMIN, Role.MANAGEMENT, Role.HR)


def is_hr(user) -> bool:
    """HR (and Admin): job descriptions, requirement profiles, candidates, contracts and training."""
    return has_role(user, Role.ADMIN, Role.HR)


def sees_hr_reports(user) -> bool:
    """HR and Management see training by manager and training spend; Management also reads job descriptions,
    requirement profiles and positions (never candidates or contracts)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGEMENT)
