"""API permission classes built on the roles."""

from rest_framework.permissions import BasePermission

from rapport.accounts import roles


class IsManagement(BasePermission):
    """Only Management (and Admin) may call this action; the service checks again."""

    def has_permission(self, request, view) -> bool:
        return roles.is_management(request.user)
