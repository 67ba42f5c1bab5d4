"""Error codes of the client registry."""

from enum import StrEnum


class ClientError(StrEnum):
    FIELD_NOT_ALLOWED = "field_not_allowed"
    HAS_MANAGER = "client_has_manager"
    MANAGER_NOT_VIP_QUALIFIED = "manager_not_vip_qualified"
    ANONYMISED = "client_anonymised"
    HAS_OPEN_CASES = "client_has_open_cases"
    HAS_OPEN_OPPORTUNITIES = "client_has_open_opportunities"
    DUPLICATE_OF_DELETED = "duplicate_of_deleted_client"
