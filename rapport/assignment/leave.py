"""A temporary leave (C3): the manager's personal clients go to a cover manager and come back afterwards.

Every client moves under the hard rules (the cover must be active, personal, VIP-qualified for VIP clients and
have room for all of them), in one transaction, with history reason "handover". When the leave ends, the clients
still with the cover return; a client Management gave to someone else in the meantime stays where it is.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.errors import AssignmentError
from rapport.assignment.models import Assignment, ManagerLeave
from rapport.assignment.services import assignment_create
from rapport.core.errors import refuse
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager
from rapport.managers.services import manager_update


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may send managers on leave."))


@transaction.atomic
def manager_leave_start(
    *,
    manager: ClientManager,
    cover: ClientManager,
    actor,
    starts_on: datetime.date | None = None,
    planned_end: datetime.date | None = None,
    note: str = "",
) -> ManagerLeave:
    """Send ``manager`` on leave and hand every personal client to ``cover``; all or nothing."""
    _require_management(actor)
    starts_on = starts_on or timezone.localdate()
    manager = ClientManager.objects.select_for_update().select_related("user").get(pk=manager.pk)
    if manager.employment_status != EmploymentStatus.ACTIVE:
        raise refuse(AssignmentError.ALREADY_ON_LEAVE, _("Only an active manager can go on leave."))
    if cover.pk == manager.pk:
        raise refuse(AssignmentError.COVER_IS_MANAGER, _("Choose another manager as cover."), field="cover")
    current = list(
        Assignment.objects.filter(manager=manager, end_date__isnull=True).select_related("client").order_by("id")
    )
    leave = ManagerLeave.objects.create(
        manager=manager,
        cover=cover,
        starts_on=starts_on,
        planned_end=planned_end,
        actor=actor,
        note=note,
        client_ids=[a.client_id for a in current],
    )
    handover = _("Cover for %(manager)s during the leave.") % {"manager": manager.name}
    for assignment in current:
        # The service checks every hard rule for each client (VIP, capacity, cover active and personal).
        assignment_create(
            client=assignment.client,
            manager=cover,
            actor=actor,
            reason=AssignmentReason.HANDOVER,
            note=handover,
            start_date=starts_on,
        )
    manager_update(
        manager=manager, actor=actor, data={"employment_status": EmploymentStatus.ON_LEAVE, "status_since": starts_on}
    )
    return leave


@transaction.atomic
def manager_leave_end(*, manager: ClientManager, actor, returned_on: datetime.date | None = None) -> ManagerLeave:
    """End ``manager``'s leave: active again, and the clients still with the cover come back."""
    _require_management(actor)
    returned_on = returned_on or timezone.localdate()
    leave = ManagerLeave.objects.select_for_update().filter(manager=manager, returned_on__isnull=True).first()
    if leave is None:
        raise refuse(AssignmentError.NOT_ON_LEAVE, _("This manager is not on leave."))
    manager_update(
        manager=manager, actor=actor, data={"employment_status": EmploymentStatus.ACTIVE, "status_since": returned_on}
    )
    back = _("Back from the leave of %(manager)s.") % {"manager": manager.name}
    still_with_cover = Assignment.objects.filter(
        manager=leave.cover, end_date__isnull=True, client_id__in=leave.client_ids
    ).select_related("client")
    for assignment in still_with_cover.order_by("id"):
        assignment_create(
            client=assignment.client,
            manager=manager,
            actor=actor,
            reason=AssignmentReason.HANDOVER,
            note=back,
            start_date=returned_on,
        )
    leave.returned_on = returned_on
    leave.save(update_fields=["returned_on"])
    return leave
