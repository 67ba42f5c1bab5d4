"""Error codes of the pipeline; the API returns them, the UI shows their translated messages."""

from enum import StrEnum


class PipelineError(StrEnum):
    NOT_A_PROSPECT = "not_a_prospect"
    OPEN_OPPORTUNITY_EXISTS = "open_opportunity_exists"
    STAGE_CLOSED = "stage_closed"
    STAGE_NOT_ALLOWED = "stage_not_allowed"
    MOTIVATION_REQUIRED = "motivation_required"
    LOST_REASON_REQUIRED = "lost_reason_required"
    ALREADY_ACQUIRED = "already_acquired"
    MANAGER_NOT_ACTIVE = "manager_not_active"
    MANAGER_REQUIRED = "manager_required"
    NOT_WON = "not_won"
    UNDO_WINDOW_PASSED = "undo_window_passed"
    UNDO_REASON_REQUIRED = "undo_reason_required"
    DUPLICATE_CLIENT = "duplicate_client"
    SIMILAR_CLIENT = "similar_client"
    NO_MANAGER_PROFILE = "no_manager_profile"
