"""Error codes of data imports, besides the codes of the forms and models whose rules every row goes through."""

from enum import StrEnum


class DataImportError(StrEnum):
    """Why an import, or one of its rows, is refused."""

    NO_KEY = "no_key"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    DUPLICATE_REGISTRATION_NUMBER = "duplicate_registration_number"
    UNKNOWN_CLIENT = "unknown_client"
    UNKNOWN_MANAGER = "unknown_manager"
    INVALID_BOOLEAN = "invalid_boolean"
    UNREADABLE_FILE = "unreadable_file"
    NO_ROWS = "no_rows"
    MAPPING_UNKNOWN_FIELD = "mapping_unknown_field"
    MAPPING_UNKNOWN_COLUMN = "mapping_unknown_column"
    MAPPING_REPEATED_FIELD = "mapping_repeated_field"
    MAPPING_MISSING_FIELD = "mapping_missing_field"
    JOB_NOT_READY = "job_not_ready"
    BACKUP_TARGET_NOT_EMPTY = "backup_target_not_empty"
