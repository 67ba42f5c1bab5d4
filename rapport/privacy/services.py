"""Subject access and erasure of a client's personal data, over the models the apps register
(``rapport.privacy.registry``).

Erasure anonymises, it never deletes: statements of approved pay periods, acquisitions and assignment history keep
pointing at the client's row by id, so the row stays with its personal fields blanked, in the live tables and in
every historical row. It is refused while a retention hold applies (an open case, an open opportunity, a current
personal manager, a running import of a file that mentions the client).
"""

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.clients.models import Client
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.privacy.errors import PrivacyError
from rapport.privacy.registry import ERASED_TEXT, PersonalData, personal_data, retention_holds

logger = logging.getLogger("rapport.security")


@dataclass(frozen=True)
class Hold:
    """A retention hold that applies to a client: its name and why."""

    name: str
    message: str


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may export or erase a client's personal data."))


def _text(value) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, dict | list):
        return value
    return str(value)


def _export_row(entry: PersonalData, row: models.Model, client) -> dict[str, Any]:
    if entry.export is not None:
        return entry.export(row, client)
    return {f.attname: _text(getattr(row, f.attname)) for f in row._meta.concrete_fields}


def export_client(*, client: Client, actor=None) -> dict[str, Any]:
    """Every piece of personal data about ``client`` in every registered model, history included: a dict of
    app label → model name → rows (field → value as text). With ``actor`` (Management only) the export is logged
    in the security log."""
    if actor is not None:
        _require_management(actor)
    data: dict[str, dict[str, list]] = {}
    for entry in personal_data():
        model = entry.model
        rows = entry.rows(model, client).order_by("pk")
        exported = [_export_row(entry, row, client) for row in rows]
        if exported:
            data.setdefault(model._meta.app_label, {})[model._meta.object_name] = exported
    if actor is not None:
        logger.info("personal data exported: user=%s client=%s", actor.pk, client.pk)
    return {
        "client": str(client.pk),
        "exported_at": timezone.now().isoformat(),
        "data": data,
    }


def client_holds(client: Client) -> list[Hold]:
    """The retention holds that apply to ``client`` now, by name."""
    holds = []
    for hold in retention_holds():
        message = hold.check(client)
        if message:
            holds.append(Hold(hold.name, str(message)))
    return holds


def _erase_field(rows: models.QuerySet, field: models.Field) -> None:
    """Overwrite ``field`` in ``rows``: free text (a TextField) that was written becomes ``ERASED_TEXT``, so a case's
    lifecycle rules (an acknowledged case has a problem statement) still hold and a reader sees something was there;
    an optional short value (e-mail, phone, address) becomes empty, a unique optional one NULL."""
    if isinstance(field, models.TextField):
        rows.filter(**{f"{field.name}__gt": ""}).update(**{field.name: ERASED_TEXT})
    elif field.null and field.unique:
        rows.update(**{field.name: None})
    elif isinstance(field, models.JSONField):
        rows.update(**{field.name: field.get_default()})
    else:
        rows.update(**{field.name: "" if field.blank else ERASED_TEXT})


def erasure_plan(client: Client) -> dict[str, int]:
    """How many rows of each registered model erasure would overwrite (model label → rows)."""
    plan = {}
    for entry in personal_data():
        count = entry.rows(entry.model, client).count()
        if count:
            plan[entry.label] = count
    return plan


@transaction.atomic
def erase_client(*, client: Client, actor) -> Client:
    """Anonymise ``client`` and their personal data everywhere, history included, in one transaction; Management
    only. Refused with ``retention_hold`` naming the hold(s) that apply, or ``already_anonymised``."""
    _require_management(actor)
    client = Client.all_objects.select_for_update().get(pk=client.pk)
    if client.anonymised_at is not None:
        raise refuse(PrivacyError.ALREADY_ANONYMISED, _("The client is already anonymised."))
    holds = client_holds(client)
    if holds:
        raise refuse(
            PrivacyError.RETENTION_HOLD,
            _("The client's data is under a retention hold (%(holds)s): %(reasons)s")
            % {"holds": ", ".join(h.name for h in holds), "reasons": " ".join(h.message for h in holds)},
            holds=[h.name for h in holds],
        )
    # Every query is built before anything changes: some find rows by the client's name, which erasure overwrites.
    targets = []
    for entry in personal_data():
        model = entry.model
        ids = list(entry.rows(model, client).values_list("pk", flat=True))
        if ids:
            targets.append((entry, model, ids))
    for entry, model, ids in targets:
        rows = model._base_manager.filter(pk__in=ids)
        for name in entry.fields:
            _erase_field(rows, model._meta.get_field(name))
        if entry.erase is not None:
            entry.erase(rows, client)
        if any(field.name == "updated_at" for field in model._meta.concrete_fields):
            # A new version: an edit opened before the erasure is stale (``rapport.core.concurrency``).
            rows.update(updated_at=timezone.now())
    client.refresh_from_db()
    client.anonymised_at = timezone.now()
    save_with_history(client, actor=actor, reason="anonymise")
    logger.info("personal data erased: user=%s client=%s", actor.pk, client.pk)
    return client
