"""Reads of the client registry; every one starts from the user's restricted queryset."""

import functools

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from rapport.assignment.choices import AssignmentReason
from rapport.assignment.models import Assignment
from rapport.clients.filtersets import ClientFilterSet
from rapport.clients.models import Client
from rapport.managers.models import ClientManager


def _with_current_manager_id(queryset: QuerySet) -> QuerySet:
    current = Assignment.objects.filter(client=OuterRef("pk"), end_date__isnull=True).order_by()
    return queryset.annotate(current_manager_id=Subquery(current.values("manager_id")[:1]))


def attach_current_managers(clients: list[Client]) -> list[Client]:
    """Set ``current_manager`` on each client of a page (annotated by ``client_list``) with one query."""
    ids = {c.current_manager_id for c in clients if c.current_manager_id}
    managers = ClientManager.objects.select_related("user").in_bulk(ids) if ids else {}
    for client in clients:
        client.current_manager = managers.get(client.current_manager_id)
    return clients


@functools.cache
def _annotated_clients() -> QuerySet:
    """Clients by name with their current manager's id: built once, never evaluated, and copied by every call of
    ``client_list`` (building the annotation costs about as much as reading a page of 50 rows by the index)."""
    return _with_current_manager_id(Client.objects.select_related("group")).order_by("name", "id")


def client_list(*, user, filters: dict | None = None, request=None) -> QuerySet:
    """The clients ``user`` may see, filtered by ``filters`` (the keys of ``ClientFilterSet``), ordered by name,
    each annotated with ``current_manager_id``. A filter with an invalid value is left out; the others apply."""
    queryset = _annotated_clients().visible_to(user)
    if filters:  # without filters the FilterSet would build and validate its form only to change nothing
        queryset = ClientFilterSet(data=filters, queryset=queryset, request=request or _FakeRequest(user)).qs
    return queryset


def client_get(*, user, pk) -> Client:
    """One client ``user`` may see (``Client.DoesNotExist`` otherwise), with its group and acquisition."""
    return (
        Client.objects.visible_to(user)
        .select_related("group", "acquired_by__user", "motivation_determined_by")
        .get(pk=pk)
    )


def client_current_assignment(*, client: Client) -> Assignment | None:
    """The client's current assignment, if any."""
    return client.assignments.filter(end_date__isnull=True).select_related("manager__user", "actor").first()


def client_assignments(*, client: Client) -> QuerySet:
    """The whole assignment history of a client, newest first."""
    return client.assignments.select_related("manager__user", "actor", "ended_by").order_by("-start_date", "-id")


def client_history(*, client: Client) -> list[dict]:
    """The change history of a client: who changed which fields when, with old and new values."""
    return history_diffs(client.history.select_related("history_user").order_by("-history_date", "-history_id"))


def _reason_label(reason: str | None) -> str:
    """A history reason in the reader's language; reasons that only repeat the record type are left out."""
    if not reason or reason in {"create", "update"}:
        return ""
    labels = {**dict(AssignmentReason.choices), "unassign": _("Unassigned")}
    return str(labels.get(reason, reason))


def history_diffs(records) -> list[dict]:
    """Turn django-simple-history records (newest first) into change rows with field-level old → new values."""
    records = list(records)
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            model = record.instance_type
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(getattr(field, "verbose_name", change.field)),
                        "old": _display(record, field, change.old),
                        "new": _display(record, field, change.new),
                    }
                )
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "type": record.get_history_type_display(),
                "reason": _reason_label(record.history_change_reason),
                "changes": changes,
            }
        )
    return rows


def _display(record, field, value) -> str:
    if value in (None, ""):
        return "—"
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if getattr(field, "is_relation", False) and field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list) and field.many_to_many:
        related = field.related_model._default_manager.filter(
            pk__in=[row[field.m2m_reverse_field_name()] for row in value]
        )
        return ", ".join(str(obj) for obj in related) or "—"
    return str(value)


class _FakeRequest:
    """django-filter asks the request for the user when it builds choice querysets."""

    def __init__(self, user):
        self.user = user
