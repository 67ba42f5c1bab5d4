"""API permission classes built on the roles."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from rapport.accounts import roles
from rapport.accounts.roles import Role


class IsManagement(BasePermission):
    """Only Management (and Admin) may call this action; the service checks again."""

    def has_permission(self, request, view) -> bool:
        return roles.is_management(request.user)


class RoleWrites(BasePermission):
    """Writes (unsafe methods) only for the roles a view names in ``write_roles`` — a tuple of roles, or a dict
    of them per action with ``"*"`` for the rest — and Admin. A role that may never write there is refused with
    403 before its request body is read, so it learns nothing from validation errors. Views without
    ``write_roles`` are not restricted here. The services check authority again, object by object."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        allowed = getattr(view, "write_roles", None)
        if isinstance(allowed, dict):
            allowed = allowed.get(getattr(view, "action", None), allowed.get("*"))
        return allowed is None or roles.has_role(request.user, Role.ADMIN, *allowed)
