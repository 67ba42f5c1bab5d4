"""Reads of interactions and cases. Every read path starts from a user-restricted queryset."""

from django.db.models import Count, Q

from rapport.cases.choices import OPEN_STATUSES
from rapport.cases.models import Case


def client_reach(user):
    """The clients a manager serves through cases routed to them or resolved by them (pool managers)."""
    return Case.objects.filter(Q(handler__user_id=user.pk) | Q(resolved_by__user_id=user.pk)).values_list("client_id")


def open_case_counts(manager_ids: list[int]) -> dict[int, int]:
    """Open cases per handler (pool routing adds them to open work)."""
    rows = (
        Case.objects.filter(handler_id__in=manager_ids, status__in=OPEN_STATUSES)
        .values("handler_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["handler_id"]: row["n"] for row in rows}
