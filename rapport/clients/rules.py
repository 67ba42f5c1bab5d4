"""The rules of a valid client, on plain values: the model's ``clean()``, the client services and the data import
all call these, so a client is judged the same way wherever it comes from.

Functions here take and return plain values (a mapping of field name → value), never a model instance, so the
import can check a million rows without building a million objects.
"""

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.errors import ClientError
from rapport.core.errors import refuse
from rapport.core.phones import normalize_phone

# Typed values that are trimmed before they are checked, so " hu " reads as HU rather than being refused.
TRIMMED_FIELDS = ("name", "registration_number", "tax_number", "email", "phone", "country")


# The one spelling of values that can be written several ways (applied after trimming).
SPELLING = {"email": str.lower, "country": str.upper}


def normalize_client_values(values: MutableMapping[str, Any]) -> None:
    """Trim the typed values in ``values`` and bring e-mail and country to their one spelling, in place."""
    for name in TRIMMED_FIELDS:
        if name in values:
            values[name] = (values[name] or "").strip()
    for name, spell in SPELLING.items():
        if name in values:
            values[name] = spell(values[name])


def needs_rule_check(values: MutableMapping[str, Any]) -> bool:
    """Whether any rule of ``client_rule_errors`` could refuse or change ``values``: a cheap test that lets a bulk
    import skip the call for the rows it cannot concern (no phone, no missing registration number, no VIP, no
    acquisition)."""
    return bool(
        values.get("phone")
        or values.get("is_vip")
        or values.get("acquired_by_id")
        or (values.get("kind") == ClientKind.LEGAL_ENTITY and not values.get("registration_number"))
    )


def rows_needing_rule_check(columns: Mapping[str, Sequence[Any]], n: int) -> list[int]:
    """The indexes of the rows, given as columns of ``n`` values, for which ``needs_rule_check`` is true (the
    same test, a column at a time; a missing column counts as empty)."""
    blank = [None] * n
    phone = columns.get("phone") or blank
    vip = columns.get("is_vip") or blank
    acquired = columns.get("acquired_by_id") or blank
    kind = columns.get("kind") or blank
    number = columns.get("registration_number") or blank
    legal = ClientKind.LEGAL_ENTITY
    return [
        i
        for i, (p, v, a, k, r) in enumerate(zip(phone, vip, acquired, kind, number, strict=True))
        if p or v or a or (k == legal and not r)
    ]


def client_rule_errors(values: MutableMapping[str, Any]) -> dict[str, list[ValidationError]]:
    """The rules over several fields of a client, on ``values`` (kind, registration_number, phone, is_vip,
    vip_reason, acquired_by_id, acquired_on); the phone is normalised in place. Returns errors by field."""
    errors: dict[str, list[ValidationError]] = {}
    if values.get("phone"):
        try:
            values["phone"] = normalize_phone(values["phone"])
        except ValidationError as exc:
            errors.setdefault("phone", []).append(exc)
    if values.get("kind") == ClientKind.LEGAL_ENTITY and not values.get("registration_number"):
        errors.setdefault("registration_number", []).append(
            ValidationError(
                gettext_lazy("A legal entity must have a registration number."), code="registration_number_required"
            )
        )
    if values.get("is_vip") and not (values.get("vip_reason") or "").strip():
        errors.setdefault("vip_reason", []).append(
            ValidationError(gettext_lazy("Say why the client is a VIP."), code="vip_reason_required")
        )
    if values.get("acquired_by_id") and not values.get("acquired_on"):
        errors.setdefault("acquired_on", []).append(
            ValidationError(gettext_lazy("An acquisition needs its date."), code="acquired_on_required")
        )
    return errors


def assignment_conflict(
    *, kind: str, status: str, is_vip: bool, manager_name: str, manager_vip_qualified: bool
) -> ValidationError | None:
    """The error of a client, holding a personal manager, that would no longer be assignable to that manager
    with these values; ``None`` when it still is."""
    if kind != ClientKind.LEGAL_ENTITY:
        return refuse(
            ClientError.HAS_MANAGER,
            _("Only legal entities have a personal manager: unassign the client before changing its kind."),
            field="kind",
        )
    if status == ClientStatus.FORMER:
        return refuse(
            ClientError.HAS_MANAGER,
            _("Unassign the client from its personal manager before making it a former client."),
            field="status",
        )
    if is_vip and not manager_vip_qualified:
        return refuse(
            ClientError.MANAGER_NOT_VIP_QUALIFIED,
            _("The client's manager, %(manager)s, is not VIP-qualified: reassign the client first.")
            % {"manager": manager_name},
            field="is_vip",
        )
    return None


def apply_derived_values(values: MutableMapping[str, Any], *, old_motivation: str | None, actor_id, now, today) -> None:
    """Keep the fields that follow from others right, in place: who determined a changed motivation and when
    (nobody for "unknown"), the VIP date (today when a VIP has none) and no VIP details on a client who is not
    one. ``values`` holds at least motivation, is_vip, vip_since, vip_reason and vip_terms."""
    if values["motivation"] != old_motivation:
        if values["motivation"] == Motivation.UNKNOWN:
            values["motivation_determined_by_id"] = None
            values["motivation_determined_at"] = None
        else:
            values["motivation_determined_by_id"] = actor_id
            values["motivation_determined_at"] = now
    if values["is_vip"] and values["vip_since"] is None:
        values["vip_since"] = today
    if not values["is_vip"]:
        values["vip_since"] = None
        values["vip_reason"] = ""
        values["vip_terms"] = ""


DERIVED_FIELDS = (
    "motivation",
    "motivation_determined_by_id",
    "motivation_determined_at",
    "is_vip",
    "vip_since",
    "vip_reason",
    "vip_terms",
)
