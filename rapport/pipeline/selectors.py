"""Reads of the pipeline. Every read path starts from a user-restricted queryset."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.pipeline.choices import OPEN_STAGES, Stage
from rapport.pipeline.filtersets import OpportunityFilterSet
from rapport.pipeline.models import Opportunity, StageChange


def client_reach(user):
    """The clients a manager works through the pipeline: the prospects of their open and lost opportunities (a
    lost prospect may be tried again). A won client is theirs only if it is assigned to them."""
    return Opportunity.objects.filter(manager__user_id=user.pk).exclude(stage=Stage.WON).values_list("client_id")


def open_opportunity_counts(manager_ids: list[int]) -> dict[int, int]:
    """Open opportunities per manager (pool routing adds them to open work)."""
    rows = (
        Opportunity.objects.filter(manager_id__in=manager_ids, stage__in=OPEN_STAGES)
        .values("manager_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["manager_id"]: row["n"] for row in rows}


# ---------------------------------------------------------------------------------------------------------------
# Opportunities, the board and the funnel
# ---------------------------------------------------------------------------------------------------------------


# The funnel's stages in order; an opportunity "reached" a stage when it was ever moved to it or beyond.
FUNNEL_STAGES = [Stage.NEW, Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER, Stage.WON]


def opportunity_list(*, user, filters: dict | None = None, request=None):
    """The opportunities ``user`` sees, filtered."""
    queryset = Opportunity.objects.visible_to(user).select_related("client", "manager__user")
    filterset = OpportunityFilterSet(data=filters or None, queryset=queryset, request=request)
    return filterset.qs if filterset.is_valid() else queryset.none()


def opportunity_get(*, user, pk: int) -> Opportunity:
    """One opportunity ``user`` sees (``Opportunity.DoesNotExist`` otherwise)."""
    return Opportunity.objects.visible_to(user).select_related("client", "manager__user", "created_by").get(pk=pk)


@dataclass
class Column:
    stage: str
    label: str
    opportunities: list = field(default_factory=list)


def board(*, user, manager_id: int | None = None, closed_days: int = 30) -> list[Column]:
    """The pipeline board: a column per open stage, then won and lost in the last ``closed_days`` days."""
    queryset = Opportunity.objects.visible_to(user).select_related("client", "manager__user")
    if manager_id:
        queryset = queryset.filter(manager_id=manager_id)
    since = timezone.now() - datetime.timedelta(days=closed_days)
    queryset = queryset.filter(Q(stage__in=OPEN_STAGES) | Q(closed_at__gte=since)).order_by("stage_changed_at", "pk")
    columns = {stage: Column(stage, Stage(stage).label) for stage in Stage.values}
    for opportunity in queryset[:2000]:
        columns[opportunity.stage].opportunities.append(opportunity)
    return list(columns.values())


@dataclass(frozen=True)
class FunnelRow:
    """Opportunities opened in a period that reached each funnel stage, and the conversion between stages."""

    label: str
    reached: tuple[int, ...]
    lost: int
    manager_id: int | None = None
    month: datetime.date | None = None

    @property
    def conversions(self) -> tuple[float | None, ...]:
        """Share of those that reached a stage that reached the next one (None when none reached it)."""
        return tuple(
            (after / before if before else None) for before, after in zip(self.reached, self.reached[1:], strict=False)
        )

    @property
    def cells(self) -> list[tuple[int, int | None]]:
        """Each stage's count with the whole-percent conversion from the previous stage (None for the first)."""
        cells: list[tuple[int, int | None]] = [(self.reached[0], None)]
        for count, conversion in zip(self.reached[1:], self.conversions, strict=True):
            cells.append((count, None if conversion is None else round(100 * conversion)))
        return cells

    @property
    def win_rate(self) -> float | None:
        return self.reached[-1] / self.reached[0] if self.reached[0] else None


def _reached_rank():
    """The highest funnel stage an opportunity's stage changes ever reached (0 = new … 4 = won)."""
    rank = SqlCase(
        *[When(to_stage=stage, then=Value(index)) for index, stage in enumerate(FUNNEL_STAGES)],
        default=Value(0),
        output_field=IntegerField(),
    )
    best = (
        StageChange.objects.filter(opportunity_id=OuterRef("pk"))
        .order_by()
        .values("opportunity_id")
        .annotate(best=Max(rank))
        .values("best")
    )
    return Coalesce(Subquery(best, output_field=IntegerField()), Value(0))


def funnel(
    *,
    user,
    start: datetime.date,
    end: datetime.date,
    manager_id: int | None = None,
    by: str = "manager",
    group_id: int | None = None,
    manager_type: str = "",
) -> tuple[FunnelRow, list[FunnelRow]]:
    """The funnel of opportunities opened from ``start`` to ``end`` (inclusive): the total row and one row per
    manager (``by="manager"``) or per month of opening (``by="month"``), optionally only for prospects of a client
    group or managers of a type. Counted in the database."""
    queryset = Opportunity.objects.visible_to(user).filter(created_at__date__gte=start, created_at__date__lte=end)
    if manager_id:
        queryset = queryset.filter(manager_id=manager_id)
    if group_id:
        queryset = queryset.filter(client__group_id=group_id)
    if manager_type:
        queryset = queryset.filter(manager__manager_type=manager_type)
    queryset = queryset.annotate(reached_rank=_reached_rank())
    aggregates = {f"r{index}": Count("pk", filter=Q(reached_rank__gte=index)) for index in range(len(FUNNEL_STAGES))}
    aggregates["lost"] = Count("pk", filter=Q(stage=Stage.LOST))

    def row(values: dict, label: str, **key) -> FunnelRow:
        reached = tuple(values[f"r{index}"] for index in range(len(FUNNEL_STAGES)))
        return FunnelRow(label=label, reached=reached, lost=values["lost"], **key)

    total = row(queryset.aggregate(**aggregates), str(_("All")))
    if by == "month":
        grouped = (
            queryset.annotate(month=TruncMonth("created_at")).values("month").annotate(**aggregates).order_by("month")
        )
        rows = [
            row(
                values,
                values["month"].strftime("%Y-%m"),
                month=values["month"].date() if hasattr(values["month"], "date") else values["month"],
            )
            for values in grouped
        ]
    else:
        grouped = (
            queryset.values("manager_id", "manager__user__first_name", "manager__user__last_name")
            .annotate(**aggregates)
            .order_by("manager__user__last_name", "manager__user__first_name", "manager_id")
        )
        rows = [
            row(
                values,
                f"{values['manager__user__first_name']} {values['manager__user__last_name']}".strip(),
                manager_id=values["manager_id"],
            )
            for values in grouped
        ]
    return total, rows
