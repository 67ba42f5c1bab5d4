"""Service levels of cases: targets from the settings, due times fixed at opening, breaches as expressions.

``RAPPORT["CASE_SLA"]`` (and the tighter ``RAPPORT["CASE_SLA_VIP"]`` for clients who are VIP when the case is
opened) give, per priority, the hours to acknowledge and to resolve. A VIP client's case is also raised one
priority level (low → normal → high → urgent; urgent stays urgent) before its targets are looked up.

Breaches:

* acknowledge target — acknowledged after ``acknowledge_due_at``, or still new past it;
* resolve target — (latest) resolution after ``resolve_due_at``, or open past it. The due time does not move when a
  case is reopened, so a case reopened after its due time counts as open past due until it is resolved again.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q

from rapport.cases.choices import OPEN_STATUSES, CasePriority, CaseStatus

PRIORITY_ORDER: tuple[str, ...] = tuple(CasePriority.values)


def raised_priority(priority: str, *, vip: bool) -> str:
    """The priority a case gets: the requested one, raised one level for a VIP client (capped at urgent)."""
    if not vip or priority not in PRIORITY_ORDER:
        return priority
    index = PRIORITY_ORDER.index(priority)
    return PRIORITY_ORDER[min(index + 1, len(PRIORITY_ORDER) - 1)]


@dataclass(frozen=True)
class Targets:
    """How long a case may wait to be acknowledged and to be resolved."""

    acknowledge: datetime.timedelta
    resolve: datetime.timedelta


def targets(*, priority: str, vip: bool) -> Targets:
    """The targets of ``priority`` from the settings (the VIP table for a VIP client)."""
    table = settings.RAPPORT["CASE_SLA_VIP" if vip else "CASE_SLA"][priority]
    return Targets(
        acknowledge=datetime.timedelta(hours=table["acknowledge"]),
        resolve=datetime.timedelta(hours=table["resolve"]),
    )


def due_times(*, opened_at: datetime.datetime, priority: str, vip: bool) -> tuple[datetime.datetime, datetime.datetime]:
    """``(acknowledge_due_at, resolve_due_at)`` of a case opened at ``opened_at``."""
    target = targets(priority=priority, vip=vip)
    return opened_at + target.acknowledge, opened_at + target.resolve


def acknowledge_breach(now: datetime.datetime) -> Q:
    """Cases that missed the acknowledge target: acknowledged late, or still new past the due time."""
    return Q(acknowledged_at__gt=models.F("acknowledge_due_at")) | Q(status=CaseStatus.NEW, acknowledge_due_at__lt=now)


def resolve_breach(now: datetime.datetime) -> Q:
    """Cases that missed the resolve target: resolved late, or open past the due time."""
    return Q(resolved_at__gt=models.F("resolve_due_at")) | Q(status__in=OPEN_STATUSES, resolve_due_at__lt=now)


def breach(now: datetime.datetime) -> Q:
    """Cases that missed either target."""
    return acknowledge_breach(now) | resolve_breach(now)


def next_due_expression() -> models.Case:
    """The due time of an open case's next target (acknowledge while new, then resolve); NULL once resolved."""
    return models.Case(
        models.When(status=CaseStatus.NEW, then=models.F("acknowledge_due_at")),
        models.When(status__in=OPEN_STATUSES, then=models.F("resolve_due_at")),
        default=None,
        output_field=models.DateTimeField(),
    )


def with_sla(queryset: models.QuerySet, now: datetime.datetime) -> models.QuerySet:
    """Annotate ``acknowledge_breached``, ``resolve_breached`` and ``next_due_at`` on a case queryset."""
    return queryset.annotate(
        acknowledge_breached=_flag(acknowledge_breach(now)),
        resolve_breached=_flag(resolve_breach(now)),
        next_due_at=next_due_expression(),
    )


def _flag(condition: Q) -> models.Case:
    # CASE WHEN, not the bare comparison: a comparison with a NULL time is NULL in SQL, not false.
    return models.Case(models.When(condition, then=True), default=False, output_field=models.BooleanField())


class TargetState(StrEnum):
    """Where a case stands against one target."""

    PENDING = "pending"
    OVERDUE = "overdue"
    MET = "met"
    LATE = "late"


@dataclass(frozen=True)
class Target:
    """One target of one case, for display: due time, when it was met (if it was) and the state."""

    due_at: datetime.datetime
    met_at: datetime.datetime | None
    state: TargetState

    @property
    def breached(self) -> bool:
        """Missed: overdue, or met after the due time."""
        return self.state in (TargetState.OVERDUE, TargetState.LATE)

    @property
    def open(self) -> bool:
        """Not met yet."""
        return self.state in (TargetState.PENDING, TargetState.OVERDUE)


def _target(due_at, met_at, still_open: bool, now) -> Target:
    if met_at is not None and not still_open:
        return Target(due_at, met_at, TargetState.LATE if met_at > due_at else TargetState.MET)
    return Target(due_at, None, TargetState.OVERDUE if now > due_at else TargetState.PENDING)


def case_targets(case, now: datetime.datetime) -> tuple[Target, Target]:
    """The acknowledge and resolve targets of one case, with the same rules as the breach expressions."""
    acknowledge = _target(case.acknowledge_due_at, case.acknowledged_at, case.status == CaseStatus.NEW, now)
    resolve = _target(case.resolve_due_at, case.resolved_at, case.status in OPEN_STATUSES, now)
    return acknowledge, resolve
