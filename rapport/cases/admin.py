"""Cases, their timelines and interactions in the admin: read-only, since they change only through the services."""

from django.contrib import admin

from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.core.admin import ReadOnlyAdmin


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases move only through their lifecycle; the admin shows them and their history."""

    list_display = ["__str__", "client", "handler", "status", "priority", "opened_at", "resolve_due_at"]
    list_filter = ["status", "priority", "category"]
    search_fields = ["subject", "client__name"]
    list_select_related = ["client", "handler__user"]
    show_full_result_count = False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "at", "actor", "manager"]
    list_filter = ["kind"]
    list_select_related = ["case", "actor", "manager__user"]
    show_full_result_count = False


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdmin):
    list_display = ["client", "manager", "channel", "occurred_at", "follow_up_on"]
    list_filter = ["channel"]
    search_fields = ["client__name", "summary"]
    list_select_related = ["client", "manager__user"]
    show_full_result_count = False
