"""The lifecycle of a case: which action leads from which status to which, and who may take it.

    new ──acknowledge──▶ acknowledged ──start──▶ in progress
                              └────────resolve──────┴──▶ resolved ──close──▶ closed
    resolved / closed ──reopen──▶ in progress

Reassigning (Management only) keeps the status and works on open cases. The services enforce this table; the UI
reads it to offer only the forms a user may use.
"""

from enum import StrEnum

from django.core.exceptions import ObjectDoesNotExist

from rapport.accounts import roles
from rapport.cases.choices import OPEN_STATUSES, CaseStatus


class Action(StrEnum):
    """The lifecycle actions; the value is the URL slug and the API action name."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    REASSIGN = "reassign"


# action → (statuses it starts from, status it leads to; None keeps the status)
TRANSITIONS: dict[Action, tuple[tuple[str, ...], str | None]] = {
    Action.ACKNOWLEDGE: ((CaseStatus.NEW,), CaseStatus.ACKNOWLEDGED),
    Action.START: ((CaseStatus.ACKNOWLEDGED,), CaseStatus.IN_PROGRESS),
    Action.RESOLVE: ((CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS), CaseStatus.RESOLVED),
    Action.CLOSE: ((CaseStatus.RESOLVED,), CaseStatus.CLOSED),
    Action.REOPEN: ((CaseStatus.RESOLVED, CaseStatus.CLOSED), CaseStatus.IN_PROGRESS),
    Action.REASSIGN: (tuple(OPEN_STATUSES), None),
}


def manager_profile(user):
    """The user's client manager profile, or None (Management, HR and Payroll usually have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.manager_profile
    except ObjectDoesNotExist:
        return None


def is_handler(case, user) -> bool:
    """Whether ``user`` is the manager handling ``case``."""
    profile = manager_profile(user)
    return profile is not None and case.handler_id is not None and case.handler_id == profile.pk


def may_act(case, user, action: Action) -> bool:
    """Whether ``user`` may take ``action`` on ``case`` at all (whatever its status): Management and Admin always;
    the handler every action except reassigning."""
    if roles.is_management(user):
        return True
    return action != Action.REASSIGN and is_handler(case, user)


def allowed_from(case, action: Action) -> bool:
    """Whether ``action`` leads anywhere from the case's current status."""
    return case.status in TRANSITIONS[action][0]


def available_actions(case, user) -> list[Action]:
    """The actions ``user`` may take on ``case`` now, in lifecycle order. A case without a handler can only be
    reassigned."""
    actions = [action for action in Action if allowed_from(case, action) and may_act(case, user, action)]
    if case.handler_id is None:
        actions = [action for action in actions if action == Action.REASSIGN]
    return actions
