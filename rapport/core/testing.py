"""Test helpers: small factories that build valid objects through the same rules as the product.

Factories write directly (not through services) so a test can set up any state, including states a service
would refuse, and then check what the service does with it.
"""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from rapport.accounts.roles import Role

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)


def make_user(*roles: Role, username: str | None = None, **fields):
    """A user holding ``roles`` (group membership), with password ``PASSWORD``."""
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}",
        password=PASSWORD,
        first_name=fields.pop("first_name", "First"),
        last_name=fields.pop("last_name", f"Last{n}"),
        **fields,
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def make_group(name: str | None = None, manager_types=None, **fields):
    """A client group."""
    from rapport.clients.models import ClientGroup

    return ClientGroup.objects.create(
        name=name or f"Group {next(_seq)}", manager_types=list(manager_types or []), **fields
    )


def make_client(**fields):
    """A client; a legal entity with a unique registration number unless told otherwise."""
    from rapport.clients.choices import ClientKind, ClientStatus
    from rapport.clients.models import Client

    n = next(_seq)
    fields.setdefault("kind", ClientKind.LEGAL_ENTITY)
    fields.setdefault("name", f"Client {n} Kft.")
    fields.setdefault("status", ClientStatus.ACTIVE)
    if fields["kind"] == ClientKind.LEGAL_ENTITY:
        fields.setdefault("registration_number", f"01-09-{n:06d}")
    if fields.get("is_vip"):
        fields.setdefault("vip_since", datetime.date(2024, 1, 1))
        fields.setdefault("vip_reason", "Main source of profit")
    client = Client(**fields)
    client.full_clean()
    client.save()
    return client


def make_manager(user=None, groups=(), **fields):
    """A client manager (personal, active, middle, capacity 10 unless told otherwise) with a user account."""
    from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
    from rapport.managers.models import ClientManager

    user = user or make_user(Role.CLIENT_MANAGER)
    fields.setdefault("manager_type", ManagerType.PARTNERSHIP)
    fields.setdefault("level", ManagerLevel.MIDDLE)
    fields.setdefault("work_mode", WorkMode.PERSONAL)
    fields.setdefault("capacity", 10)
    fields.setdefault("employment_status", EmploymentStatus.ACTIVE)
    fields.setdefault("hire_date", datetime.date(2020, 1, 1))
    fields.setdefault("status_since", fields["hire_date"])
    if fields["employment_status"] == EmploymentStatus.DISMISSED:
        fields.setdefault("dismissal_date", datetime.date(2024, 1, 1))
    manager = ClientManager.objects.create(user=user, **fields)
    if groups:
        manager.client_groups.set(groups)
    return manager


def make_assignment(client, manager, actor=None, start_date=datetime.date(2024, 1, 1), **fields):
    """A current assignment written directly, bypassing the rules."""
    from rapport.assignment.choices import AssignmentReason
    from rapport.assignment.models import Assignment

    actor = actor or make_user(Role.MANAGEMENT)
    fields.setdefault("reason", AssignmentReason.MANUAL)
    return Assignment.objects.create(client=client, manager=manager, actor=actor, start_date=start_date, **fields)


def make_case(client, handler=None, opened_by=None, **fields):
    """A case written directly (status new unless told otherwise), due in a day and five days."""
    from django.utils import timezone

    from rapport.cases.models import Case

    opened_at = fields.pop("opened_at", None) or timezone.now()
    fields.setdefault("subject", f"Problem {next(_seq)}")
    fields.setdefault("description", "The invoice does not match the contract.")
    fields.setdefault("acknowledge_due_at", opened_at + datetime.timedelta(hours=24))
    fields.setdefault("resolve_due_at", opened_at + datetime.timedelta(hours=120))
    fields.setdefault("client_was_vip", client.is_vip)
    opened_by = opened_by or (handler.user if handler else make_user(Role.MANAGEMENT))
    return Case.objects.create(client=client, handler=handler, opened_by=opened_by, opened_at=opened_at, **fields)


def make_interaction(client, manager, **fields):
    """An interaction written directly (a call now unless told otherwise)."""
    from django.utils import timezone

    from rapport.cases.choices import Channel
    from rapport.cases.models import Interaction

    fields.setdefault("channel", Channel.CALL)
    fields.setdefault("occurred_at", timezone.now())
    fields.setdefault("summary", "Talked about the next order.")
    fields.setdefault("created_by", manager.user)
    return Interaction.objects.create(client=client, manager=manager, **fields)


def make_opportunity(client, manager, **fields):
    """An opportunity written directly (stage new unless told otherwise)."""
    from django.utils import timezone

    from rapport.pipeline.choices import CLOSED_STAGES
    from rapport.pipeline.models import Opportunity

    fields.setdefault("title", f"Deal {next(_seq)}")
    fields.setdefault("stage_changed_at", timezone.now())
    fields.setdefault("created_by", manager.user)
    if fields.get("stage") in CLOSED_STAGES:
        fields.setdefault("closed_at", fields["stage_changed_at"])
    return Opportunity.objects.create(client=client, manager=manager, **fields)
