"""Reads of the pipeline. Every read path starts from a user-restricted queryset."""

from django.db.models import Count

from rapport.pipeline.choices import OPEN_STAGES
from rapport.pipeline.models import Opportunity


def client_reach(user):
    """The clients a manager works through the pipeline: the prospects of their opportunities."""
    return Opportunity.objects.filter(manager__user_id=user.pk).values_list("client_id")


def open_opportunity_counts(manager_ids: list[int]) -> dict[int, int]:
    """Open opportunities per manager (pool routing adds them to open work)."""
    rows = (
        Opportunity.objects.filter(manager_id__in=manager_ids, stage__in=OPEN_STAGES)
        .values("manager_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["manager_id"]: row["n"] for row in rows}
