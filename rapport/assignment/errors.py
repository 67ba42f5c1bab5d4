"""Error codes of the assignment rules; the API returns them, the UI shows their translated messages."""

from enum import StrEnum


class AssignmentError(StrEnum):
    NOT_LEGAL_ENTITY = "not_legal_entity"
    CLIENT_FORMER = "client_former"
    VIP_NEEDS_QUALIFIED = "vip_needs_qualified_manager"
    MANAGER_NOT_ACTIVE = "manager_not_active"
    MANAGER_NOT_PERSONAL = "manager_not_personal"
    CAPACITY_EXCEEDED = "capacity_exceeded"
    ALREADY_ASSIGNED = "already_assigned"
    NOT_ASSIGNED = "not_assigned"
    START_BEFORE_CURRENT = "start_before_current"
    OVERLAPS_PREVIOUS = "overlaps_previous"
    DATE_IN_FUTURE = "date_in_future"
    PLAN_NOT_DRAFT = "plan_not_draft"
    PLAN_STALE = "plan_stale"
    DEPARTURE_UNPLACED = "departure_unplaced"
    MANAGER_ALREADY_DISMISSED = "manager_already_dismissed"
    ALREADY_ON_LEAVE = "already_on_leave"
    NOT_ON_LEAVE = "not_on_leave"
    COVER_IS_MANAGER = "cover_is_manager"
