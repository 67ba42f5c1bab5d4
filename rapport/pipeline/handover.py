"""A leaving manager's open opportunities go to a colleague who can carry on winning the prospect."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from rapport.assignment.departure import Handover
from rapport.assignment.models import Assignment
from rapport.core.history import save_with_history
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import OPEN_STAGES
from rapport.pipeline.models import Opportunity


def successor_for(*, manager: ClientManager, client_id: int, exclude: set[int]) -> ClientManager | None:
    """Who carries on ``manager``'s opportunity on a prospect: the prospect's personal manager if it has an
    active one; otherwise the active manager of the same type with the fewest open opportunities; otherwise any
    active manager with the fewest."""
    current = (
        Assignment.objects.filter(
            client_id=client_id, end_date__isnull=True, manager__employment_status=EmploymentStatus.ACTIVE
        )
        .exclude(manager_id__in=exclude)
        .select_related("manager")
        .first()
    )
    if current is not None:
        return current.manager
    colleagues = (
        ClientManager.objects.filter(employment_status=EmploymentStatus.ACTIVE)
        .exclude(pk__in=exclude)
        .annotate(open_count=Count("opportunities", filter=Q(opportunities__stage__in=OPEN_STAGES)))
    )
    same_type = colleagues.filter(manager_type=manager.manager_type).order_by("open_count", "pk").first()
    return same_type or colleagues.order_by("open_count", "pk").first()


def hand_over_opportunities(*, manager, actor, queue_unplaced: bool) -> Handover:
    """Move every open opportunity of ``manager`` to a successor (see ``successor_for``); the stage and the
    stage history stay. With no active colleague at all, the opportunities are reported."""
    result = Handover(label=str(_("opportunities")))
    opportunities = list(
        Opportunity.objects.select_for_update().filter(manager=manager, stage__in=OPEN_STAGES).order_by("pk")
    )
    for opportunity in opportunities:
        successor = successor_for(manager=manager, client_id=opportunity.client_id, exclude={manager.pk})
        if successor is None:
            result.unplaced.append(_("opportunity %(title)s") % {"title": opportunity.title})
            continue
        opportunity.manager = successor
        save_with_history(opportunity, actor=actor, reason="handover")
        result.moved += 1
    return result
