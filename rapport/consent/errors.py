"""Error codes of consent."""

from enum import StrEnum


class ConsentError(StrEnum):
    UNKNOWN_PURPOSE = "unknown_purpose"
    NO_WORDING = "no_wording"
    SOURCE_NOT_ALLOWED = "source_not_allowed"
    UNCHANGED = "consent_unchanged"
    NOTE_TOO_LONG = "note_too_long"
    CLIENT_ANONYMISED = "client_anonymised"
    NO_EMAIL = "no_email"
    LINK_INVALID = "link_invalid"
    LINK_EXPIRED = "link_expired"
    WORDING_EMPTY = "wording_empty"
