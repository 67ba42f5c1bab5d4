"""Error codes of ratings."""

from enum import StrEnum


class RatingError(StrEnum):
    LINK_INVALID = "link_invalid"
    LINK_USED = "link_used"
    LINK_EXPIRED = "link_expired"
    STARS_OUT_OF_RANGE = "stars_out_of_range"
    COMMENT_TOO_LONG = "comment_too_long"
    ALREADY_SENT = "already_sent"
    NO_EMAIL = "no_email"
    PERIOD_INVALID = "period_invalid"
    CONSENT_WITHDRAWN = "consent_withdrawn"
