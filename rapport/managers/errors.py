"""Error codes of manager profiles."""

from enum import StrEnum


class ManagerError(StrEnum):
    USER_HAS_PROFILE = "user_has_profile"
    USER_INACTIVE = "user_inactive"
    HAS_CLIENTS = "manager_has_clients"
    CAPACITY_BELOW_LOAD = "capacity_below_load"
    HAS_VIP_CLIENTS = "manager_has_vip_clients"
    HAS_OPEN_WORK = "manager_has_open_work"
    HAS_UNPAID_WORK = "manager_has_unpaid_work"
    PROFILE_DELETED = "manager_profile_deleted"
