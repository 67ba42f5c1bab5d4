from django.contrib import admin

from rapport.core.admin import ReadOnlyAdmin
from rapport.hiring.models import (
    Candidate,
    EmploymentContract,
    JobDescription,
    JobDescriptionTemplate,
    Position,
    RequirementProfile,
    Training,
)


@admin.register(JobDescriptionTemplate)
class TemplateAdmin(ReadOnlyAdmin):
    """HR records change only through HR's pages and API (wording checks, versions); the admin shows them."""

    list_display = ["name", "language", "manager_type", "level", "is_active"]
    list_filter = ["language", "manager_type", "level", "is_active"]


@admin.register(JobDescription)
class JobDescriptionAdmin(ReadOnlyAdmin):
    list_display = ["title", "language", "manager_type", "level", "position", "manager"]
    list_select_related = ["position", "manager__user"]


@admin.register(RequirementProfile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["name", "level", "manager_type", "min_experience_years", "full_experience_years"]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["title", "manager_type", "level", "is_open"]
    list_filter = ["is_open"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "position", "status", "last_activity_at", "anonymised_at"]
    list_filter = ["status"]
    list_select_related = ["position"]
    show_full_result_count = False


@admin.register(EmploymentContract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ["manager", "term", "start_date", "end_date", "ended_on"]
    list_select_related = ["manager__user"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_on", "cost", "currency"]
    list_filter = ["kind"]
