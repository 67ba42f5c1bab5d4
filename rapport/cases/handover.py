"""A leaving manager's open cases go to each client's (new) personal manager, else to a pool manager."""

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.assignment.departure import Handover
from rapport.assignment.models import Assignment
from rapport.assignment.routing import pool_route
from rapport.cases.choices import OPEN_STATUSES, CaseEventKind
from rapport.cases.models import Case, CaseEvent
from rapport.core.history import save_with_history
from rapport.managers.choices import EmploymentStatus, WorkMode


def hand_over_cases(*, manager, actor, queue_unplaced: bool) -> Handover:
    """Move every open case ``manager`` handles. Runs after the departure moved their clients, so a client's
    current assignment already names the successor. A case nobody may take is left without a handler (the
    "unrouted cases" queue Management watches) when ``queue_unplaced``; otherwise it is reported."""
    result = Handover(label=str(_("cases")))
    cases = list(
        Case.objects.select_for_update()
        .filter(handler=manager, status__in=OPEN_STATUSES)
        .select_related("client")
        .order_by("pk")
    )
    if not cases:
        return result
    current = dict(
        Assignment.objects.filter(
            client_id__in=[case.client_id for case in cases],
            end_date__isnull=True,
            manager__employment_status=EmploymentStatus.ACTIVE,
            manager__work_mode=WorkMode.PERSONAL,
        )
        .exclude(manager=manager)
        .values_list("client_id", "manager_id")
    )
    now = timezone.now()
    for case in cases:
        reasons = ["personal_manager"]
        successor_id = current.get(case.client_id)
        if successor_id is None:
            routing = pool_route(client=case.client, exclude=[manager.pk])
            successor_id = routing.manager.pk if routing.manager else None
            reasons = list(routing.reasons)
        if successor_id is None:
            result.unplaced.append(_("case #%(id)d %(subject)s") % {"id": case.pk, "subject": case.subject})
            if not queue_unplaced:
                continue
        case.handler_id = successor_id
        case.routing = reasons
        save_with_history(case, actor=actor, reason="handover")
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.REASSIGNED,
            at=now,
            actor=actor,
            manager_id=successor_id,
            note=_("Handed over: the previous handler left."),
            data={"from": manager.pk, "to": successor_id, "reasons": reasons},
        )
        result.moved += 1
    return result
