"""Writes of the client registry. Every write checks authority, validates the whole object and is atomic."""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.clients.errors import ClientError
from rapport.clients.models import Client, ClientGroup
from rapport.clients.rules import DERIVED_FIELDS, apply_derived_values, assignment_conflict
from rapport.core.concurrency import check_version
from rapport.core.errors import refuse
from rapport.core.history import save_with_history

# Fields only Management may set or change.
MANAGEMENT_FIELDS = frozenset(
    {
        "group",
        "status",
        "is_vip",
        "vip_since",
        "vip_reason",
        "vip_terms",
        "acquired_by",
        "acquired_on",
        "kind",
    }
)
# Fields a client manager may change on a client assigned to them.
MANAGER_FIELDS = frozenset(
    {
        "name",
        "registration_number",
        "tax_number",
        "email",
        "phone",
        "address",
        "city",
        "postal_code",
        "country",
        "motivation",
        "motivation_note",
    }
)
CLIENT_FIELDS = MANAGEMENT_FIELDS | MANAGER_FIELDS


def client_writable_fields(user) -> frozenset[str]:
    """The client fields ``user`` may write: all for Management, the profile and motivation for a manager."""
    if roles.is_management(user):
        return CLIENT_FIELDS
    if roles.is_client_manager(user):
        return MANAGER_FIELDS
    return frozenset()


def _apply(client: Client, data: dict[str, Any], *, actor) -> None:
    """Copy ``data`` onto ``client``, refusing fields the actor may not write and keeping derived fields right."""
    unknown = set(data) - CLIENT_FIELDS
    if unknown:
        raise ValueError(f"Unknown client fields: {sorted(unknown)}")
    allowed = client_writable_fields(actor)
    changed = {name for name, value in data.items() if getattr(client, name) != value}
    forbidden = sorted(changed - allowed)
    if forbidden:
        raise PermissionDenied(
            _("You may not change these fields: %(fields)s.")
            % {"fields": ", ".join(str(Client._meta.get_field(f).verbose_name) for f in forbidden)}
        )
    old_motivation = client.motivation
    for name, value in data.items():
        setattr(client, name, value)
    derived = {name: getattr(client, name) for name in DERIVED_FIELDS}
    apply_derived_values(
        derived,
        old_motivation=old_motivation,
        actor_id=actor.pk,
        now=timezone.now(),
        today=timezone.localdate(),
    )
    for name, value in derived.items():
        setattr(client, name, value)


def _check_against_assignment(client: Client) -> None:
    """A client with a personal manager must stay assignable to that manager."""
    current = client.assignments.filter(end_date__isnull=True).select_related("manager__user").first()
    if current is None:
        return
    error = assignment_conflict(
        kind=client.kind,
        status=client.status,
        is_vip=client.is_vip,
        manager_name=current.manager.name,
        manager_vip_qualified=current.manager.vip_qualified,
    )
    if error is not None:
        raise error


@transaction.atomic
def client_create(*, actor, data: dict[str, Any]) -> Client:
    """Create a client from ``data`` (field name → value). Only Management creates clients here; winning a
    client through the pipeline creates it on the winner's behalf."""
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may create clients."))
    client = Client()
    _apply(client, data, actor=actor)
    client.full_clean()
    save_with_history(client, actor=actor, reason="create")
    return client


@transaction.atomic
def client_update(
    *, client: Client, actor, data: dict[str, Any], version: str | Collection[str] | None = None
) -> Client:
    """Change ``client`` with ``data``; the actor must see the client and may write only their fields. With
    ``version`` (the one the editor read), a client changed since is refused with ``StaleVersion``."""
    client = Client.objects.visible_to(actor).select_for_update().filter(pk=client.pk).first()
    if client is None:
        raise Client.DoesNotExist
    if client.anonymised_at is not None:
        raise refuse(ClientError.ANONYMISED, _("The client is anonymised: its data can no longer be changed."))
    check_version(client, version, fields=CLIENT_FIELDS, submitted=data)
    _apply(client, data, actor=actor)
    client.full_clean()
    _check_against_assignment(client)
    save_with_history(client, actor=actor, reason="update")
    return client


@transaction.atomic
def client_group_save(
    *,
    actor,
    data: dict[str, Any],
    group: ClientGroup | None = None,
    version: str | Collection[str] | None = None,
) -> ClientGroup:
    """Create or change a client group; Management only. With ``version`` (the one the editor read), a group
    changed since is refused with ``StaleVersion``."""
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may change client groups."))
    if group is not None:
        group = ClientGroup.objects.select_for_update().get(pk=group.pk)
        check_version(group, version, fields=("name", "description", "manager_types"), submitted=data)
    group = group or ClientGroup()
    for name, value in data.items():
        if name not in {"name", "description", "manager_types"}:
            raise ValueError(f"Unknown client group field: {name}")
        setattr(group, name, value)
    group.full_clean()
    save_with_history(group, actor=actor, reason="update" if group.pk else "create")
    return group
