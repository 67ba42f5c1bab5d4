"""Error codes of subject access and erasure."""

from enum import StrEnum


class PrivacyError(StrEnum):
    RETENTION_HOLD = "retention_hold"
    ALREADY_ANONYMISED = "already_anonymised"
