"""Error codes of compensation."""

from enum import StrEnum


class CompensationError(StrEnum):
    PERIOD_LOCKED = "period_locked"
    PERIOD_NOT_CALCULATED = "period_not_calculated"
    OPEN_QUERIES = "open_queries"
    APPROVAL_NOTE_REQUIRED = "approval_note_required"
    VERSION_IN_USE = "version_in_use"
    INVALID_TIERS = "invalid_tiers"
    NO_STATEMENT = "no_statement"
    REASON_REQUIRED = "reason_required"
    COMMENT_REQUIRED = "comment_required"
    QUERY_CLOSED = "query_closed"
    FUTURE_MONTH = "future_month"
    RUNNING = "running"
    AMOUNT_PRECISION = "amount_precision"
