from django.contrib import admin

from rapport.assignment.models import Assignment
from rapport.core.admin import ReadOnlyAdmin


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["client", "manager", "start_date", "end_date", "reason", "actor"]
    list_filter = ["reason"]
    search_fields = ["client__name", "client__registration_number"]
    list_select_related = ["client", "manager__user", "actor"]
    show_full_result_count = False
