"""Deleting, restoring and purging manager profiles (see ``rapport.core.softdelete``). Management and Admin only.

Deleting is for a profile created by mistake or no longer wanted, not for a departure (the departure wizard hands
the clients over and dismisses the manager). People are deactivated, never deleted: the delete deactivates the
user account, ending its sessions and API tokens. A restored profile's account stays deactivated until an Admin
reactivates it, so a restore never lets anyone in by itself.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.core.errors import refuse
from rapport.core.softdelete import mark_deleted, mark_restored, remove_for_good
from rapport.managers.errors import ManagerError
from rapport.managers.models import ClientManager


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may delete or restore manager profiles."))


def _locked(manager: ClientManager) -> ClientManager:
    locked = ClientManager.all_objects.select_for_update(of=("self",)).select_related("user")
    locked = locked.filter(pk=manager.pk).first()
    if locked is None:
        raise ClientManager.DoesNotExist
    return locked


def delete_blockers(manager: ClientManager) -> list[tuple[str, str]]:
    """What stops ``manager`` from being deleted now: (code, sentence listing the open items)."""
    from rapport.assignment.models import Assignment
    from rapport.cases.choices import OPEN_STATUSES
    from rapport.cases.models import Case
    from rapport.pipeline.choices import OPEN_STAGES
    from rapport.pipeline.models import Opportunity

    blockers = []
    load = Assignment.objects.filter(manager_id=manager.pk, end_date__isnull=True).count()
    if load:
        blockers.append(
            (
                ManagerError.HAS_CLIENTS,
                _("%(name)s still has %(count)d personal clients: use the departure wizard to hand them over.")
                % {"name": manager.name, "count": load},
            )
        )
    cases = list(Case.objects.filter(handler_id=manager.pk, status__in=OPEN_STATUSES).order_by("pk"))
    opportunities = list(Opportunity.objects.filter(manager_id=manager.pk, stage__in=OPEN_STAGES).order_by("pk"))
    if cases or opportunities:
        items = [str(case) for case in cases] + [o.title for o in opportunities]
        blockers.append(
            (
                ManagerError.HAS_OPEN_WORK,
                _("%(name)s still has open cases or opportunities: %(items)s. Use the departure wizard.")
                % {"name": manager.name, "items": ", ".join(items)},
            )
        )
    if _has_unpaid_work(manager):
        blockers.append(
            (
                ManagerError.HAS_UNPAID_WORK,
                _(
                    "%(name)s worked this month or has a statement not yet approved: use the departure wizard, "
                    "so that their pay is still calculated."
                )
                % {"name": manager.name},
            )
        )
    return blockers


def _has_unpaid_work(manager: ClientManager) -> bool:
    """Whether a pay run still has to pay ``manager``: clients held or interactions logged since the month began,
    or a statement in a period not yet approved (a pay run leaves deleted managers out)."""
    from django.utils import timezone

    from rapport.assignment.models import Assignment
    from rapport.cases.models import Interaction
    from rapport.compensation.choices import PeriodStatus
    from rapport.compensation.models import Statement

    month_start = timezone.localdate().replace(day=1)
    start = timezone.make_aware(datetime.datetime.combine(month_start, datetime.time.min))
    return (
        Assignment.objects.filter(manager_id=manager.pk, end_date__gte=month_start).exists()
        or Interaction.objects.filter(manager_id=manager.pk, occurred_at__gte=start).exists()
        or Statement.objects.filter(manager_id=manager.pk).exclude(period__status=PeriodStatus.APPROVED).exists()
    )


@transaction.atomic
def manager_delete(*, manager: ClientManager, actor, now: datetime.datetime | None = None) -> ClientManager:
    """Soft-delete ``manager`` and deactivate their user account (sessions and tokens end). Refused with
    ``manager_has_clients`` or ``manager_has_open_work`` (listing them) or ``already_deleted``; nothing changes on
    refusal."""
    _require_management(actor)
    manager = _locked(manager)
    blockers = delete_blockers(manager)
    if blockers:
        raise refuse(blockers[0][0], " ".join(sentence for _code, sentence in blockers))
    mark_deleted(manager, actor=actor, now=now)
    user = manager.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])  # ends every session and API token (``User.save``)
    return manager


@transaction.atomic
def manager_restore(*, manager: ClientManager, actor, now: datetime.datetime | None = None) -> ClientManager:
    """Bring a deleted profile back as it was; its user account stays deactivated until an Admin reactivates it.
    Refused with ``not_deleted`` or, after the window, ``restore_window_passed``."""
    _require_management(actor)
    manager = _locked(manager)
    mark_restored(manager, actor=actor, now=now)
    return manager


def manager_purge(*, actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """Profiles deleted longer ago than the restore window: removed for good where nothing kept points at them
    (the user account stays, deactivated); else kept hidden, as pay statements, acquisitions and history name
    them. Returns counts: removed, kept."""
    counts = {"removed": 0, "kept": 0}
    for manager in ClientManager.all_objects.deleted().purgeable(now).order_by("pk"):
        counts["removed" if remove_for_good(manager, actor=actor) else "kept"] += 1
    return counts
