"""Writes of interactions and cases (C5). Every write checks that the actor sees the client or case (else
``DoesNotExist``, a 404), checks authority (``PermissionDenied``), validates, and is atomic.

A case's lifecycle is ``lifecycle.TRANSITIONS``; each change writes a ``CaseEvent`` naming the actor and the time. A
refused change raises ``refuse(CaseError.…)`` before anything is written.

Routing: a case goes to the client's personal manager (current assignment, an active manager in personal mode);
otherwise pool routing chooses a pool manager; when nobody may take it, the case has no handler and waits in the
"unrouted cases" queue until Management reassigns it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.assignment.models import Assignment
from rapport.assignment.routing import pool_route
from rapport.cases import sla
from rapport.cases.choices import CaseEventKind, CasePriority, CaseStatus
from rapport.cases.errors import CaseError
from rapport.cases.lifecycle import TRANSITIONS, Action, manager_profile, may_act
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.clients.models import Client
from rapport.compensation.served import record_served
from rapport.core.concurrency import check_version
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.feedback.services import rating_request_for_case, rating_request_for_interaction
from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.models import ClientManager

# An interaction may be logged a little ahead of the server's clock (a phone's clock runs fast), not more.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)

INTERACTION_FIELDS = frozenset({"manager", "channel", "occurred_at", "summary", "outcome", "follow_up_on", "case"})
CASE_FIELDS = frozenset({"subject", "description", "category", "priority"})
# What a lifecycle action changes, compared when an action is based on an older version of the case.
TRANSITION_FIELDS = ("handler", "status", "problem_statement", "resolution", "resolved_by", "reopen_count")


def _visible_client(client: Client, actor) -> Client:
    found = Client.objects.visible_to(actor).filter(pk=client.pk).first()
    if found is None:
        raise Client.DoesNotExist
    return found


def _check_fields(data: dict, allowed: frozenset[str], what: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Unknown {what} fields: {sorted(unknown)}")


# ---------------------------------------------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------------------------------------------


def _interaction_manager(actor, chosen: ClientManager | None) -> ClientManager:
    """The manager an interaction is logged for: a client manager logs their own; Management logs for the manager
    they choose (or their own profile, if they have one)."""
    own = manager_profile(actor)
    if roles.is_management(actor):
        if chosen is not None:
            if chosen.employment_status == EmploymentStatus.DISMISSED:
                raise refuse(
                    CaseError.HANDLER_NOT_ACTIVE,
                    _("%(manager)s has left the company.") % {"manager": chosen.name},
                    field="manager",
                )
            return chosen
        if own is not None:
            return own
        raise refuse(CaseError.NO_MANAGER_PROFILE, _("Choose the manager who had the contact."), field="manager")
    if own is None:
        raise refuse(CaseError.NO_MANAGER_PROFILE, _("Your account has no client manager profile."))
    if chosen is not None and chosen.pk != own.pk:
        raise PermissionDenied(_("You may log only your own interactions."))
    return own


@transaction.atomic
def interaction_log(*, actor, client: Client, data: dict[str, Any], request_rating: bool = False) -> Interaction:
    """Record a contact with ``client``. ``data`` holds channel, summary and optionally occurred_at (default now;
    not more than a few minutes ahead), outcome, follow_up_on, case (of the same client)
    and, for Management, manager. With ``request_rating`` the client is asked to rate the manager (within the
    rating limits). A linked case gets an interaction entry in its timeline."""
    _check_fields(data, INTERACTION_FIELDS, "interaction")
    client = _visible_client(client, actor)
    data = dict(data)
    manager = _interaction_manager(actor, data.pop("manager", None))
    now = timezone.now()
    occurred_at = data.pop("occurred_at", None) or now
    if occurred_at > now + FUTURE_TOLERANCE:
        raise refuse(CaseError.IN_FUTURE, _("The contact cannot be in the future."), field="occurred_at")
    case = data.pop("case", None)
    if case is not None and case.client_id != client.pk:
        raise refuse(CaseError.CASE_OF_OTHER_CLIENT, _("The case belongs to another client."), field="case")
    interaction = Interaction(
        client=client, manager=manager, occurred_at=occurred_at, case=case, created_by=actor, **data
    )
    interaction.full_clean()
    save_with_history(interaction, actor=actor, reason="log")
    record_served(manager_id=manager.pk, client_id=client.pk, at=occurred_at)
    if case is not None:
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.INTERACTION,
            at=occurred_at,
            actor=actor,
            manager=manager,
            data={"interaction": interaction.pk, "channel": interaction.channel},
        )
    if request_rating:
        rating_request_for_interaction(interaction=interaction)
    return interaction


# ---------------------------------------------------------------------------------------------------------------
# Opening and routing
# ---------------------------------------------------------------------------------------------------------------


def case_route(*, client: Client, exclude: Iterable[int] = ()) -> tuple[ClientManager | None, list[str]]:
    """Who handles a case of ``client`` and why: the personal manager when the client has an active one in
    personal mode, else the pool manager pool routing chooses, else nobody (``None`` and the reason)."""
    exclude = list(exclude)
    current = (
        Assignment.objects.filter(
            client=client,
            end_date__isnull=True,
            manager__employment_status=EmploymentStatus.ACTIVE,
            manager__work_mode=WorkMode.PERSONAL,
        )
        .exclude(manager_id__in=exclude)
        .select_related("manager__user")
        .first()
    )
    if current is not None:
        return current.manager, ["personal_manager"]
    routing = pool_route(client=client, exclude=exclude)
    return routing.manager, list(routing.reasons)


@transaction.atomic
def case_open(*, actor, client: Client, data: dict[str, Any]) -> Case:
    """Open a case for ``client`` (subject, description, category, priority in ``data``). A VIP client's priority is
    raised one level and its targets come from the VIP table; both due times are fixed now. The case is routed at
    once (see the module docstring); the timeline starts with an "opened" and a "routed" entry."""
    _check_fields(data, CASE_FIELDS, "case")
    if not (roles.is_management(actor) or roles.is_client_manager(actor)):
        raise PermissionDenied(_("Only client managers and Management open cases."))
    client = _visible_client(client, actor)
    requested = data.get("priority") or CasePriority.NORMAL
    vip = client.is_vip
    priority = sla.raised_priority(requested, vip=vip)
    now = timezone.now()
    case = Case(
        client=client,
        subject=(data.get("subject") or "").strip(),
        description=(data.get("description") or "").strip(),
        category=data.get("category") or Case._meta.get_field("category").default,
        priority=priority,
        status=CaseStatus.NEW,
        client_was_vip=vip,
        opened_at=now,
        opened_by=actor,
    )
    # Validate the input before the due times are looked up by priority (an unknown one has no targets).
    case.acknowledge_due_at = case.resolve_due_at = now
    case.full_clean(exclude=["handler"])
    case.acknowledge_due_at, case.resolve_due_at = sla.due_times(opened_at=now, priority=priority, vip=vip)
    case.handler, reasons = case_route(client=client)
    case.routing = reasons
    save_with_history(case, actor=actor, reason="open")
    CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.OPENED,
        at=now,
        actor=actor,
        data={"requested_priority": requested, "priority": priority, "vip": vip},
    )
    _routed_event(case, actor=actor, at=now)
    return case


def _routed_event(case: Case, *, actor, at: datetime.datetime, **data) -> CaseEvent:
    note = "" if case.handler_id else _("Nobody may take the case: it waits for Management in the unrouted queue.")
    return CaseEvent.objects.create(
        case=case,
        kind=CaseEventKind.ROUTED,
        at=at,
        actor=actor,
        manager=case.handler,
        note=note,
        data={"reasons": list(case.routing), **data},
    )


# ---------------------------------------------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------------------------------------------


def _not_allowed_message(action: Action, status: str) -> str:
    label = CaseStatus(status).label
    messages = {
        Action.ACKNOWLEDGE: _("Only a new case can be acknowledged (this one is: %(status)s)."),
        Action.START: _("Work can start only on an acknowledged case (this one is: %(status)s)."),
        Action.RESOLVE: _("Only an acknowledged case or one in progress can be resolved (this one is: %(status)s)."),
        Action.CLOSE: _("Only a resolved case can be closed (this one is: %(status)s)."),
        Action.REOPEN: _("Only a resolved or closed case can be reopened (this one is: %(status)s)."),
        Action.REASSIGN: _("Only an open case can be reassigned (this one is: %(status)s)."),
    }
    return messages[action] % {"status": label}


def _begin(case: Case, actor, action: Action) -> Case:
    """Lock the case and check, in this order: the actor sees it (else 404), may act on it (else 403), the action
    leads somewhere from its status, and it has a handler (except for reassigning)."""
    if not Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise Case.DoesNotExist
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not may_act(locked, actor, action):
        if action == Action.REASSIGN:
            raise PermissionDenied(_("Only Management may reassign a case."))
        raise PermissionDenied(_("Only the case's handler or Management may change it."))
    if locked.status not in TRANSITIONS[action][0]:
        raise refuse(CaseError.TRANSITION_NOT_ALLOWED, _not_allowed_message(action, locked.status))
    if locked.handler_id is None and action != Action.REASSIGN:
        raise refuse(CaseError.NO_HANDLER, _("The case has no handler: Management must reassign it first."))
    return locked


def _save(case: Case, *, actor, action: Action) -> None:
    target = TRANSITIONS[action][1]
    if target is not None:
        case.status = target
    case.full_clean()
    save_with_history(case, actor=actor, reason=str(action))


def _event(case: Case, kind: CaseEventKind, *, actor, at, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, at=at, actor=actor, **fields)


def _required(value: str | None, code: CaseError, message: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise refuse(code, message, field=field)
    return text


@transaction.atomic
def case_acknowledge(*, case: Case, actor, problem_statement: str) -> Case:
    """Acknowledge a new case with the problem in the manager's own words (proof that it was understood)."""
    case = _begin(case, actor, Action.ACKNOWLEDGE)
    statement = _required(
        problem_statement,
        CaseError.PROBLEM_STATEMENT_REQUIRED,
        _("Write down the problem in your own words."),
        "problem_statement",
    )
    now = timezone.now()
    case.problem_statement = statement
    case.acknowledged_at = now
    _save(case, actor=actor, action=Action.ACKNOWLEDGE)
    _event(
        case,
        CaseEventKind.ACKNOWLEDGED,
        actor=actor,
        at=now,
        note=statement,
        data={"late": now > case.acknowledge_due_at},
    )
    return case


@transaction.atomic
def case_start(*, case: Case, actor, note: str = "") -> Case:
    """Start work on an acknowledged case."""
    case = _begin(case, actor, Action.START)
    now = timezone.now()
    _save(case, actor=actor, action=Action.START)
    _event(case, CaseEventKind.STARTED, actor=actor, at=now, note=(note or "").strip())
    return case


@transaction.atomic
def case_resolve(*, case: Case, actor, resolution: str) -> Case:
    """Resolve an acknowledged case or one in progress with its resolution. The handler is credited
    (``resolved_by`` and the event's manager, whoever clicks), and the client is asked to rate them."""
    case = _begin(case, actor, Action.RESOLVE)
    text = _required(resolution, CaseError.RESOLUTION_REQUIRED, _("Describe how the problem was solved."), "resolution")
    now = timezone.now()
    case.resolution = text
    case.resolved_at = now
    case.resolved_by = case.handler
    _save(case, actor=actor, action=Action.RESOLVE)
    _event(
        case,
        CaseEventKind.RESOLVED,
        actor=actor,
        at=now,
        manager=case.resolved_by,
        note=text,
        data={"late": now > case.resolve_due_at},
    )
    record_served(manager_id=case.resolved_by_id, client_id=case.client_id, at=now)
    rating_request_for_case(case=case, actor=actor)
    return case


@transaction.atomic
def case_close(*, case: Case, actor, note: str = "") -> Case:
    """Close a resolved case."""
    case = _begin(case, actor, Action.CLOSE)
    now = timezone.now()
    case.closed_at = now
    _save(case, actor=actor, action=Action.CLOSE)
    _event(case, CaseEventKind.CLOSED, actor=actor, at=now, note=(note or "").strip())
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str) -> Case:
    """Reopen a resolved or closed case (the problem came back): it goes back in progress, the earlier resolution
    is kept in the "reopened" entry of the timeline and cleared on the case. A handler who is no longer active is
    replaced by routing the case again."""
    case = _begin(case, actor, Action.REOPEN)
    why = _required(reason, CaseError.REOPEN_REASON_REQUIRED, _("Say why the case is reopened."), "reason")
    now = timezone.now()
    earlier = {
        "from": case.status,
        "resolution": case.resolution,
        "resolved_by": case.resolved_by_id,
        "resolved_at": case.resolved_at.isoformat() if case.resolved_at else None,
        "closed_at": case.closed_at.isoformat() if case.closed_at else None,
    }
    case.reopen_count += 1
    case.resolution = ""
    case.resolved_at = case.resolved_by = case.closed_at = None
    previous_handler = case.handler
    rerouted = not previous_handler.is_active
    if rerouted:
        case.handler, case.routing = case_route(client=case.client, exclude=[previous_handler.pk])
    _save(case, actor=actor, action=Action.REOPEN)
    _event(case, CaseEventKind.REOPENED, actor=actor, at=now, note=why, data=earlier)
    if rerouted:
        _routed_event(case, actor=actor, at=now, previous=previous_handler.pk)
    return case


@transaction.atomic
def case_reassign(*, case: Case, actor, handler: ClientManager, note: str = "") -> Case:
    """Management gives an open case (or one waiting in the unrouted queue) to another active manager."""
    case = _begin(case, actor, Action.REASSIGN)
    handler = ClientManager.objects.get(pk=handler.pk)
    if not handler.is_active:
        raise refuse(
            CaseError.HANDLER_NOT_ACTIVE,
            _("%(manager)s is not active (%(status)s).")
            % {"manager": handler.name, "status": handler.get_employment_status_display()},
            field="handler",
        )
    if handler.pk == case.handler_id:
        raise refuse(
            CaseError.SAME_HANDLER,
            _("%(manager)s already handles this case.") % {"manager": handler.name},
            field="handler",
        )
    now = timezone.now()
    previous = case.handler_id
    case.handler = handler
    case.routing = ["reassigned"]
    _save(case, actor=actor, action=Action.REASSIGN)
    _event(
        case,
        CaseEventKind.REASSIGNED,
        actor=actor,
        at=now,
        manager=handler,
        note=(note or "").strip(),
        data={"from": previous, "to": handler.pk},
    )
    return case


@transaction.atomic
def case_transition(*, case: Case, actor, action: Action | str, version: str | None = None, **params) -> Case:
    """Take ``action`` on ``case`` with its parameters (``problem_statement``, ``resolution``, ``reason``,
    ``handler``, ``note``): one entry point for the UI's and the API's transition forms. With ``version`` (the one
    the page or the caller read), a case changed since is refused with ``StaleVersion``."""
    services = {
        Action.ACKNOWLEDGE: case_acknowledge,
        Action.START: case_start,
        Action.RESOLVE: case_resolve,
        Action.CLOSE: case_close,
        Action.REOPEN: case_reopen,
        Action.REASSIGN: case_reassign,
    }
    if version is not None and Case.objects.visible_to(actor).filter(pk=case.pk).exists():
        # Locked here until the action's own write commits, so nobody changes the case in between.
        locked = Case.objects.select_for_update().get(pk=case.pk)
        check_version(locked, version, fields=TRANSITION_FIELDS, submitted=params)
    return services[Action(action)](case=case, actor=actor, **params)
