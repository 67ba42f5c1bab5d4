"""Reads of manager profiles."""

from django.db.models import QuerySet

from rapport.clients.selectors import history_diffs
from rapport.managers.models import ClientManager


def manager_list(*, user, filters: dict | None = None) -> QuerySet:
    """The manager profiles ``user`` may see, with their current load, filtered by ``ManagerFilterSet`` keys."""
    from rapport.managers.filtersets import ManagerFilterSet

    queryset = ClientManager.objects.visible_to(user).select_related("user").with_load()
    return ManagerFilterSet(data=filters or {}, queryset=queryset).qs.order_by(
        "user__last_name", "user__first_name", "id"
    )


def manager_get(*, user, pk) -> ClientManager:
    """One manager profile ``user`` may see, with its load (``ClientManager.DoesNotExist`` otherwise)."""
    return ClientManager.objects.visible_to(user).select_related("user").with_load().get(pk=pk)


def manager_history(*, manager: ClientManager) -> list[dict]:
    """Who changed the profile when, field by field."""
    return history_diffs(manager.history.select_related("history_user").order_by("-history_date", "-history_id"))
