from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rapport.assignment.models import Assignment, AssignmentPlan, AssignmentWeights
from rapport.core.admin import ReadOnlyAdmin


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["client", "manager", "start_date", "end_date", "reason", "actor"]
    list_filter = ["reason"]
    search_fields = ["client__name", "client__registration_number"]
    list_select_related = ["client", "manager__user", "actor"]
    show_full_result_count = False


@admin.register(AssignmentWeights)
class AssignmentWeightsAdmin(SimpleHistoryAdmin):
    """The engine's soft costs: one row, edited by Admin; every change is kept in its history."""

    def has_add_permission(self, request):
        return not AssignmentWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssignmentPlan)
class AssignmentPlanAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "created_at", "created_by", "move_count", "new_count"]
    list_filter = ["kind", "status"]
