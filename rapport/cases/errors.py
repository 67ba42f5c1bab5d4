"""Error codes of interactions and cases."""

from enum import StrEnum


class CaseError(StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    PROBLEM_STATEMENT_REQUIRED = "problem_statement_required"
    RESOLUTION_REQUIRED = "resolution_required"
    REOPEN_REASON_REQUIRED = "reopen_reason_required"
    NOT_HANDLER = "not_handler"
    NO_HANDLER = "no_handler"
    HANDLER_NOT_ACTIVE = "handler_not_active"
    SAME_HANDLER = "same_handler"
    IN_FUTURE = "in_future"
    NO_MANAGER_PROFILE = "no_manager_profile"
    CASE_OF_OTHER_CLIENT = "case_of_other_client"
    RESOLVED = "case_resolved"
    CLIENT_DELETED = "client_deleted"
