from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.managers.models import ClientManager


@admin.register(ClientManager)
class ClientManagerAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "manager_type", "level", "work_mode", "vip_qualified", "capacity", "employment_status"]
    list_filter = ["manager_type", "level", "work_mode", "vip_qualified", "employment_status"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user"]
