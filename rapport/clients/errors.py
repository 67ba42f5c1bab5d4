"""Error codes of the client registry."""

from enum import StrEnum


class ClientError(StrEnum):
    FIELD_NOT_ALLOWED = "field_not_allowed"
    HAS_MANAGER = "client_has_manager"
    MANAGER_NOT_VIP_QUALIFIED = "manager_not_vip_qualified"
    ANONYMISED = "client_anonymised"
