from django.contrib import admin

from rapport.clients.models import Client, ClientGroup
from rapport.core.admin import ReadOnlyAdmin


@admin.register(ClientGroup)
class ClientGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "manager_types"]
    search_fields = ["name"]


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "registration_number", "status", "is_vip", "group", "motivation"]
    list_filter = ["kind", "status", "is_vip", "motivation", "group"]
    search_fields = ["name", "registration_number"]
    show_full_result_count = False
