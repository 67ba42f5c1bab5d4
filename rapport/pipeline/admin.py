from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.pipeline.models import Acquisition, Opportunity, StageChange


@admin.register(Opportunity)
class OpportunityAdmin(ReadOnlyAdmin):
    """Opportunities move only through the pipeline's rules; the admin shows them and their history."""

    list_display = ["title", "client", "manager", "stage", "stage_changed_at"]
    list_filter = ["stage", "lost_reason"]
    search_fields = ["title", "client__name"]
    list_select_related = ["client", "manager__user"]
    show_full_result_count = False


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["opportunity", "from_stage", "to_stage", "at", "actor"]
    list_filter = ["to_stage"]
    list_select_related = ["opportunity", "actor"]
    show_full_result_count = False


@admin.register(Acquisition)
class AcquisitionAdmin(ReadOnlyAdmin):
    list_display = ["client", "manager", "acquired_on", "was_vip", "reversed_at"]
    list_filter = ["was_vip"]
    search_fields = ["client__name"]
    list_select_related = ["client", "manager__user"]
    show_full_result_count = False
