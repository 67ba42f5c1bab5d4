"""Deleting, restoring and purging cases (see ``rapport.core.softdelete``). Management and Admin only.

Deleting is for duplicates and spam. A resolved (or closed) case is part of the service record and of pay, so it
cannot be deleted.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.cases.choices import CaseStatus
from rapport.cases.errors import CaseError
from rapport.cases.models import Case
from rapport.compensation.served import forget_unserved, resolved_pairs
from rapport.core.errors import refuse
from rapport.core.softdelete import mark_deleted, mark_restored, remove_for_good


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may delete or restore cases."))


def _locked(case: Case) -> Case:
    locked = Case.all_objects.select_for_update(of=("self",)).select_related("client").filter(pk=case.pk).first()
    if locked is None:
        raise Case.DoesNotExist
    return locked


@transaction.atomic
def case_delete(*, case: Case, actor, now: datetime.datetime | None = None) -> Case:
    """Soft-delete ``case`` (a duplicate or spam). Refused with ``case_resolved`` for a case that was ever
    resolved, or ``already_deleted``; nothing changes on refusal."""
    _require_management(actor)
    case = _locked(case)
    if case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) or case.resolved_by_id is not None:
        raise refuse(
            CaseError.RESOLVED,
            _("%(case)s was resolved: it is part of the service record and of pay, so it cannot be deleted.")
            % {"case": case},
        )
    mark_deleted(case, actor=actor, now=now)
    return case


@transaction.atomic
def case_restore(*, case: Case, actor, now: datetime.datetime | None = None) -> Case:
    """Bring a deleted case back as it was. Refused with ``client_deleted`` while its client is deleted (restore
    the client first), ``not_deleted`` or, after the window, ``restore_window_passed``."""
    _require_management(actor)
    case = _locked(case)
    if case.deleted_at is not None and case.client.deleted_at is not None:
        raise refuse(
            CaseError.CLIENT_DELETED,
            _("The client %(client)s is deleted: restore the client first.") % {"client": case.client},
        )
    mark_restored(case, actor=actor, now=now)
    return case


def case_purge(*, actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """Cases deleted longer ago than the restore window: removed for good with their timeline where nothing kept
    points at them (an interaction logged on the case, a rating request); else kept hidden. Returns counts:
    removed, kept."""
    counts = {"removed": 0, "kept": 0}
    for case in Case.all_objects.deleted().purgeable(now).order_by("pk"):
        served = resolved_pairs([case.pk])  # a reopened case's earlier resolution goes with it: no longer served
        removed = remove_for_good(case, actor=actor)
        counts["removed" if removed else "kept"] += 1
        if removed and served:
            forget_unserved(served)
    return counts


def purge_deleted(*, actor, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Purge every soft-deletable model past the restore window (``manage.py purge-deleted``), in dependency order:
    cases point at clients and managers, clients at the managers who acquired them. Counts per model."""
    from rapport.clients.deletion import client_purge
    from rapport.managers.deletion import manager_purge

    return {
        "cases": case_purge(actor=actor, now=now),
        "clients": client_purge(actor=actor, now=now),
        "managers": manager_purge(actor=actor, now=now),
    }
