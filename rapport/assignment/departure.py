"""A manager's departure (C3): every client is handed over in one step, or nothing changes.

The departure plan re-places the leaving manager's clients with the engine (continuity no longer binds them to
the leaving manager). If some cannot be placed, the departure is refused with the list of those clients and why —
unless Management explicitly chooses to put them in the "needs a manager" queue. Never a silent orphan.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.assignment.choices import ChangeKind, PlanStatus
from rapport.assignment.errors import AssignmentError
from rapport.assignment.models import Assignment, AssignmentPlan
from rapport.assignment.plans import assignment_plan_apply, assignment_plan_create
from rapport.core.errors import refuse
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_update


@dataclass
class Handover:
    """What one feature handed over when a manager left: how many items moved, and the items nobody could take
    (each a short description), which the departure refuses unless Management queues them."""

    label: str
    moved: int = 0
    unplaced: list[str] = field(default_factory=list)


# A handover moves a leaving manager's open work of one kind (cases, opportunities) after their clients moved:
# ``handover(manager=..., actor=..., queue_unplaced=...) -> Handover``. Features register one in ``AppConfig.ready``.
HandoverFn = Callable[..., Handover]
_handovers: list[HandoverFn] = []


def register_handover(handover: HandoverFn) -> None:
    """Have ``handover`` move a leaving manager's open work of one kind, inside the departure's transaction."""
    if handover not in _handovers:
        _handovers.append(handover)


def _hand_over_open_work(*, manager: ClientManager, actor, queue_unplaced: bool) -> list[Handover]:
    results = [handover(manager=manager, actor=actor, queue_unplaced=queue_unplaced) for handover in _handovers]
    stranded = [item for result in results for item in result.unplaced]
    if stranded and not queue_unplaced:
        names = ", ".join(stranded[:20])
        more = len(stranded) - 20
        raise refuse(
            AssignmentError.DEPARTURE_UNPLACED,
            _(
                "%(count)d open items cannot be handed over to another manager: %(names)s%(more)s. "
                "Make a manager available, or choose to put them in the queue for Management."
            )
            % {"count": len(stranded), "names": names, "more": f" (+{more})" if more > 0 else ""},
        )
    return results


def departure_preview(*, manager: ClientManager, effective_on: datetime.date | None, actor) -> AssignmentPlan:
    """Compute (and store as a draft) where each of the leaving manager's clients would go."""
    if manager.employment_status == EmploymentStatus.DISMISSED:
        raise refuse(AssignmentError.MANAGER_ALREADY_DISMISSED, _("This manager has already left."))
    effective_on = effective_on or timezone.localdate()
    if effective_on > timezone.localdate():
        raise refuse(AssignmentError.DATE_IN_FUTURE, _("The date cannot be in the future."), field="effective_on")
    latest_start = (
        Assignment.objects.filter(manager=manager, end_date__isnull=True)
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    if latest_start is not None and effective_on < latest_start:
        raise refuse(
            AssignmentError.START_BEFORE_CURRENT,
            _("The manager took a client on %(date)s: the departure cannot be dated earlier.")
            % {"date": latest_start.isoformat()},
            field="effective_on",
        )
    return assignment_plan_create(actor=actor, departing_manager=manager, effective_on=effective_on)


def unplaced_clients(plan: AssignmentPlan):
    """The leaving manager's clients the plan could not place, with the reasons."""
    return plan.changes.filter(kind=ChangeKind.UNASSIGN, from_manager=plan.departing_manager).select_related("client")


@transaction.atomic
def manager_depart(
    *,
    manager: ClientManager,
    effective_on: datetime.date | None = None,
    actor,
    queue_unplaced: bool = False,
    plan: AssignmentPlan | None = None,
) -> AssignmentPlan:
    """Dismiss ``manager`` on ``effective_on`` and hand every client over, then their open work (cases,
    opportunities: see ``register_handover``), in one transaction.

    ``plan`` is a departure preview to apply (it must still be current); without one, a new plan is computed.
    """
    if plan is None:
        plan = departure_preview(manager=manager, effective_on=effective_on, actor=actor)
    if plan.departing_manager_id != manager.pk or plan.status != PlanStatus.DRAFT:
        raise refuse(AssignmentError.PLAN_NOT_DRAFT, _("This preview does not belong to this departure."))
    stranded = list(unplaced_clients(plan))
    if stranded and not queue_unplaced:
        names = ", ".join(change.client.name for change in stranded[:20])
        more = len(stranded) - 20
        raise refuse(
            AssignmentError.DEPARTURE_UNPLACED,
            _(
                "%(count)d clients cannot be placed with another manager: %(names)s%(more)s. "
                "Add capacity, or choose to put them in the queue of clients without a manager."
            )
            % {"count": len(stranded), "names": names, "more": f" (+{more})" if more > 0 else ""},
        )
    plan = assignment_plan_apply(plan=plan, actor=actor)
    plan.handovers = _hand_over_open_work(manager=manager, actor=actor, queue_unplaced=queue_unplaced)
    manager_update(
        manager=manager,
        actor=actor,
        data={
            "employment_status": EmploymentStatus.DISMISSED,
            "dismissal_date": plan.effective_on,
            "status_since": plan.effective_on,
        },
    )
    return plan
