from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from rapport.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Users and their roles (groups). People are deactivated, never deleted."""

    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]

    def has_delete_permission(self, request, obj=None):
        return False
