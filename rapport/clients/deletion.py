"""Deleting, restoring and purging clients (see ``rapport.core.softdelete``). Management and Admin only.

A deleted client is hidden everywhere but kept: its past facts (acquisitions, served interactions, ratings, pay)
stay as they are. Deleting ends its current personal assignment, so a restored client comes back without a
personal manager. A deleted legal entity still holds its registration number: a new client with the same number
is refused with a pointer to restore the deleted one (nothing is lost by a second, empty record).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.clients.errors import ClientError
from rapport.clients.models import Client
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.core.softdelete import mark_deleted, mark_restored, remove_for_good


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may delete or restore clients."))


def _locked(client: Client) -> Client:
    locked = Client.all_objects.select_for_update().filter(pk=client.pk).first()
    if locked is None:
        raise Client.DoesNotExist
    return locked


def delete_blockers(client: Client) -> list[tuple[str, str]]:
    """What stops ``client`` from being deleted now: (code, sentence listing the open items)."""
    from rapport.cases.choices import OPEN_STATUSES
    from rapport.cases.models import Case
    from rapport.pipeline.choices import OPEN_STAGES
    from rapport.pipeline.models import Opportunity

    blockers = []
    cases = list(Case.objects.filter(client_id=client.pk, status__in=OPEN_STATUSES).order_by("pk"))
    if cases:
        blockers.append(
            (
                ClientError.HAS_OPEN_CASES,
                _("The client has open cases: %(cases)s. Resolve or delete them first.")
                % {"cases": ", ".join(str(case) for case in cases)},
            )
        )
    opportunities = list(Opportunity.objects.filter(client_id=client.pk, stage__in=OPEN_STAGES).order_by("pk"))
    if opportunities:
        blockers.append(
            (
                ClientError.HAS_OPEN_OPPORTUNITIES,
                _("The client has open opportunities: %(opportunities)s. Win or lose them first.")
                % {"opportunities": ", ".join(o.title for o in opportunities)},
            )
        )
    return blockers


def _end_assignment(client: Client, *, actor) -> None:
    """End the client's current personal assignment today, recorded as ended by the delete."""
    from rapport.assignment.models import Assignment

    current = Assignment.objects.select_for_update().filter(client_id=client.pk, end_date__isnull=True).first()
    if current is None:
        return
    current.end_date = max(timezone.localdate(), current.start_date)
    current.ended_by = actor
    current.end_note = _("The client was deleted.")
    save_with_history(current, actor=actor, reason="delete")


@transaction.atomic
def client_delete(*, client: Client, actor, now: datetime.datetime | None = None) -> Client:
    """Soft-delete ``client``: hidden from every read path, restorable for ``RAPPORT["RESTORE_DAYS"]`` days. Its
    current assignment ends. Refused with ``client_has_open_cases`` / ``client_has_open_opportunities`` (listing
    them) or ``already_deleted``; nothing changes on refusal."""
    _require_management(actor)
    client = _locked(client)
    blockers = delete_blockers(client)
    if blockers:
        raise refuse(blockers[0][0], " ".join(sentence for _code, sentence in blockers))
    mark_deleted(client, actor=actor, now=now)
    _end_assignment(client, actor=actor)
    return client


@transaction.atomic
def client_restore(*, client: Client, actor, now: datetime.datetime | None = None) -> Client:
    """Bring a deleted ``client`` back as it was, without a personal manager (the delete ended the assignment).
    Refused with ``not_deleted`` or, after the window, ``restore_window_passed``."""
    _require_management(actor)
    client = _locked(client)
    mark_restored(client, actor=actor, now=now)
    return client


def client_purge(*, actor, now: datetime.datetime | None = None) -> dict[str, int]:
    """Clients deleted longer ago than the restore window: removed for good where nothing kept points at them,
    else anonymised through the personal-data erasure and kept hidden. Returns counts: removed, anonymised,
    kept (already anonymised, or under a retention hold)."""
    from django.core.exceptions import ValidationError

    from rapport.privacy.services import erase_client

    counts = {"removed": 0, "anonymised": 0, "kept": 0}
    for client in Client.all_objects.deleted().purgeable(now).order_by("pk"):
        anonymised = False
        if client.anonymised_at is None:
            try:
                # Personal data goes first, history included, so not even the purge's history record keeps it.
                client = erase_client(client=client, actor=actor)
            except ValidationError:
                counts["kept"] += 1
                continue
            anonymised = True
        if remove_for_good(client, actor=actor):
            counts["removed"] += 1
        elif anonymised:
            counts["anonymised"] += 1
        else:
            counts["kept"] += 1
    return counts
