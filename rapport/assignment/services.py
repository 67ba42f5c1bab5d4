"""The hard rules of assignment (C2), enforced in one place.

A personal manager takes legal entities only; a VIP client only a VIP-qualified manager; the manager must be
active and in personal mode; capacity may not be exceeded; only Management assigns. Reassigning ends the old
assignment and starts the new one in one transaction. The manager row is locked while the rules are checked, so
two concurrent assignments cannot both take a manager's last free place.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.errors import AssignmentError
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.managers.choices import WorkMode
from rapport.managers.models import ClientManager


def check_assignable(*, client: Client, manager: ClientManager, load: int) -> None:
    """Raise the first hard rule that giving ``client`` to ``manager`` (holding ``load`` clients) breaks."""
    if client.kind != ClientKind.LEGAL_ENTITY:
        raise refuse(
            AssignmentError.NOT_LEGAL_ENTITY,
            _("Personal managers work only with legal entities; %(client)s is an individual.")
            % {"client": client.name},
        )
    if client.status == ClientStatus.FORMER:
        raise refuse(AssignmentError.CLIENT_FORMER, _("A former client cannot be assigned."))
    if not manager.is_active:
        raise refuse(
            AssignmentError.MANAGER_NOT_ACTIVE,
            _("%(manager)s is not active (%(status)s).")
            % {"manager": manager.name, "status": manager.get_employment_status_display()},
            field="manager",
        )
    if manager.work_mode != WorkMode.PERSONAL:
        raise refuse(
            AssignmentError.MANAGER_NOT_PERSONAL,
            _("%(manager)s works with the pool, not with personal clients.") % {"manager": manager.name},
            field="manager",
        )
    if client.is_vip and not manager.vip_qualified:
        raise refuse(
            AssignmentError.VIP_NEEDS_QUALIFIED,
            _("%(client)s is a VIP client and %(manager)s is not VIP-qualified.")
            % {"client": client.name, "manager": manager.name},
            field="manager",
        )
    if load >= manager.capacity:
        raise refuse(
            AssignmentError.CAPACITY_EXCEEDED,
            _("%(manager)s is at full capacity (%(load)d of %(capacity)d clients).")
            % {"manager": manager.name, "load": load, "capacity": manager.capacity},
            field="manager",
        )


def _not_in_future(day: datetime.date, *, field: str) -> datetime.date:
    """Assignments start and end today or in the past: a date in the future would make a client look unassigned
    (or assigned) before it is, and let two managers hold it on the same days."""
    if day > timezone.localdate():
        raise refuse(AssignmentError.DATE_IN_FUTURE, _("The date cannot be in the future."), field=field)
    return day


def check_start(
    start_date: datetime.date, *, current_start: datetime.date | None, latest_end: datetime.date | None
) -> None:
    """Refuse a start date before the client's current assignment started (``current_start``) or, for a client
    without a manager now, inside the period it last had one for (until ``latest_end``)."""
    if current_start is not None and start_date < current_start:
        raise refuse(
            AssignmentError.START_BEFORE_CURRENT,
            _("The new assignment cannot start before the current one (%(date)s).")
            % {"date": current_start.isoformat()},
            field="start_date",
        )
    if current_start is None and latest_end is not None and start_date < latest_end:
        raise refuse(
            AssignmentError.OVERLAPS_PREVIOUS,
            _("The client had a personal manager until %(date)s: the new assignment cannot start earlier.")
            % {"date": latest_end.isoformat()},
            field="start_date",
        )


def _latest_end(client: Client) -> datetime.date | None:
    return (
        Assignment.objects.filter(client=client, end_date__isnull=False)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )


def _check_after_previous(client: Client, start_date: datetime.date) -> None:
    """A new assignment may not start inside a period the client already had a manager for."""
    check_start(start_date, current_start=None, latest_end=_latest_end(client))


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may assign clients."))


def _locked_client(client: Client, actor) -> Client:
    locked = Client.objects.visible_to(actor).select_for_update().filter(pk=client.pk).first()
    if locked is None:
        raise Client.DoesNotExist
    return locked


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    manager: ClientManager,
    actor,
    reason: AssignmentReason = AssignmentReason.MANUAL,
    note: str = "",
    start_date: datetime.date | None = None,
) -> Assignment:
    """Assign ``client`` to ``manager`` from ``start_date`` (today by default), ending its current assignment
    the same day if it has one. Returns the new assignment."""
    _require_management(actor)
    start_date = _not_in_future(start_date or timezone.localdate(), field="start_date")
    client = _locked_client(client, actor)
    manager = ClientManager.objects.select_for_update().select_related("user").get(pk=manager.pk)
    current = Assignment.objects.select_for_update().filter(client=client, end_date__isnull=True).first()
    if current is not None and current.manager_id == manager.pk:
        raise refuse(
            AssignmentError.ALREADY_ASSIGNED,
            _("%(client)s is already assigned to %(manager)s.") % {"client": client.name, "manager": manager.name},
            field="manager",
        )
    check_start(
        start_date,
        current_start=current.start_date if current is not None else None,
        latest_end=_latest_end(client) if current is None else None,
    )
    load = Assignment.objects.filter(manager=manager, end_date__isnull=True).count()
    check_assignable(client=client, manager=manager, load=load)
    if current is not None:
        current.end_date = start_date
        current.ended_by = actor
        current.end_note = _("Reassigned to %(manager)s.") % {"manager": manager.name}
        save_with_history(current, actor=actor, reason=str(reason))
    assignment = Assignment(
        client=client, manager=manager, start_date=start_date, reason=reason, actor=actor, note=note
    )
    assignment.full_clean()
    save_with_history(assignment, actor=actor, reason=str(reason))
    return assignment


@transaction.atomic
def assignment_end(*, client: Client, actor, note: str = "", end_date: datetime.date | None = None) -> Assignment:
    """End ``client``'s current assignment (unassign) on ``end_date`` (today by default)."""
    _require_management(actor)
    client = _locked_client(client, actor)
    current = Assignment.objects.select_for_update().filter(client=client, end_date__isnull=True).first()
    if current is None:
        raise refuse(AssignmentError.NOT_ASSIGNED, _("%(client)s has no personal manager.") % {"client": client.name})
    end_date = _not_in_future(end_date or timezone.localdate(), field="end_date")
    if end_date < current.start_date:
        raise refuse(
            AssignmentError.START_BEFORE_CURRENT,
            _("The assignment cannot end before it started (%(date)s).") % {"date": current.start_date.isoformat()},
            field="end_date",
        )
    current.end_date = end_date
    current.ended_by = actor
    current.end_note = note
    save_with_history(current, actor=actor, reason="unassign")
    return current
