"""Reads of interactions and cases. Every read path starts from a user-restricted queryset."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases import sla
from rapport.cases.choices import OPEN_STATUSES, CaseEventKind
from rapport.cases.filtersets import CaseEventFilterSet, CaseFilterSet, InteractionFilterSet
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.clients.models import Client


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


class _FilterRequest:
    """django-filter asks the request for the user when it builds choice querysets."""

    def __init__(self, user):
        self.user = user


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------


def case_list(*, user, filters: dict | None = None, request=None) -> QuerySet:
    """The cases ``user`` may see, filtered by ``filters`` (the keys of ``CaseFilterSet``; an invalid value is left
    out), newest first, annotated with the breach flags and the next due time (see ``sla.with_sla``)."""
    queryset = Case.objects.visible_to(user).select_related("client", "handler__user")
    filterset = CaseFilterSet(data=filters or {}, queryset=queryset, request=request or _FilterRequest(user))
    return sla.with_sla(filterset.qs, timezone.now()).order_by("-opened_at", "-id")


def case_get(*, user, pk) -> Case:
    """One case ``user`` may see (``Case.DoesNotExist`` otherwise), with its client, handler and people."""
    return sla.with_sla(
        Case.objects.visible_to(user).select_related("client", "handler__user", "resolved_by__user", "opened_by"),
        timezone.now(),
    ).get(pk=pk)


def case_events(*, user, filters: dict | None = None) -> QuerySet:
    """The timeline entries of the cases ``user`` may see, in time order."""
    queryset = CaseEvent.objects.visible_to(user).select_related("actor", "manager__user")
    return CaseEventFilterSet(data=filters or {}, queryset=queryset).qs.order_by("at", "id")


def case_timeline(*, case: Case) -> list[CaseEvent]:
    """The whole timeline of ``case`` in time order; an interaction entry carries its ``interaction``."""
    events = list(case.events.select_related("actor", "manager__user").order_by("at", "id"))
    interactions = {i.pk: i for i in case.interactions.select_related("manager__user", "created_by")}
    for event in events:
        event.interaction = None
        if event.kind == CaseEventKind.INTERACTION:
            event.interaction = interactions.pop(event.data.get("interaction"), None)
    # Interactions linked without a timeline entry (written directly, e.g. imported) still belong on the timeline.
    for interaction in interactions.values():
        entry = CaseEvent(
            case=case,
            kind=CaseEventKind.INTERACTION,
            at=interaction.occurred_at,
            actor=interaction.created_by,
            manager=interaction.manager,
        )
        entry.interaction = interaction
        events.append(entry)
    return sorted(events, key=lambda event: (event.at, event.pk or 0))


@dataclass(frozen=True)
class CaseRow:
    """A case with where it stands against its two targets, for lists that show time left."""

    case: Case
    acknowledge: sla.Target
    resolve: sla.Target

    @property
    def next_target(self) -> sla.Target | None:
        """The target the handler works towards now: acknowledge while new, then resolve; None once resolved."""
        if self.acknowledge.open:
            return self.acknowledge
        return self.resolve if self.resolve.open else None


def with_targets(cases, now: datetime.datetime | None = None) -> list[CaseRow]:
    """Wrap the cases of one page with their targets (computed in Python for the page only)."""
    now = now or timezone.now()
    return [CaseRow(case, *sla.case_targets(case, now)) for case in cases]


# ---------------------------------------------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------------------------------------------


def interaction_list(*, user, filters: dict | None = None, request=None) -> QuerySet:
    """The interactions ``user`` may see, filtered by ``filters`` (the keys of ``InteractionFilterSet``), newest
    first."""
    queryset = Interaction.objects.visible_to(user).select_related("client", "manager__user", "case")
    filterset = InteractionFilterSet(data=filters or {}, queryset=queryset, request=request or _FilterRequest(user))
    return filterset.qs.order_by("-occurred_at", "-id")


# ---------------------------------------------------------------------------------------------------------------
# The manager's workspace
# ---------------------------------------------------------------------------------------------------------------

WORKSPACE_LIMIT = 100


def my_open_cases(*, manager, limit: int = WORKSPACE_LIMIT) -> list[CaseRow]:
    """The open cases ``manager`` handles, the one with the least time left on its next target first."""
    now = timezone.now()
    cases = (
        sla.with_sla(Case.objects.filter(handler=manager, status__in=OPEN_STATUSES), now)
        .select_related("client")
        .order_by("next_due_at", "id")[:limit]
    )
    return with_targets(cases, now)


def follow_ups_due(*, manager, today: datetime.date | None = None, limit: int = WORKSPACE_LIMIT) -> QuerySet:
    """The interactions ``manager`` logged with a follow-up date today or earlier that nobody has followed up yet:
    a later interaction with the same client (by anyone) clears the follow-up. Oldest follow-up first."""
    today = today or timezone.localdate()
    later = Interaction.objects.filter(client=OuterRef("client_id"), occurred_at__gt=OuterRef("occurred_at"))
    return (
        Interaction.objects.filter(manager=manager, follow_up_on__lte=today, client__deleted_at__isnull=True)
        .filter(~Exists(later))
        .select_related("client")
        .order_by("follow_up_on", "id")[:limit]
    )


def not_contacted_days() -> int:
    """After how many days without an interaction a client is listed as not contacted."""
    return settings.RAPPORT["NOT_CONTACTED_DAYS"]


def not_contacted(
    *, manager, days: int | None = None, today: datetime.date | None = None, limit: int = WORKSPACE_LIMIT
) -> QuerySet:
    """The clients currently assigned to ``manager`` that nobody has had an interaction with for ``days`` days
    (``RAPPORT["NOT_CONTACTED_DAYS"]``), never-contacted clients first, each annotated with ``last_contact``."""
    days = not_contacted_days() if days is None else days
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min),
        timezone.get_default_timezone(),
    )
    last = Interaction.objects.filter(client=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    mine = Assignment.objects.filter(manager=manager, end_date__isnull=True).values("client_id")
    return (
        Client.objects.filter(pk__in=mine)
        .annotate(last_contact=Subquery(last))
        .filter(Q(last_contact__isnull=True) | Q(last_contact__lt=cutoff))
        .order_by(F("last_contact").asc(nulls_first=True), "name", "id")[:limit]
    )


def recent_interactions(*, user, limit: int = 10) -> QuerySet:
    """The latest interactions ``user`` logged (as their own or for a manager)."""
    return (
        Interaction.objects.visible_to(user)
        .filter(created_by=user)
        .select_related("client", "manager__user")
        .order_by("-occurred_at", "-id")[:limit]
    )


def client_service(*, user, client: Client, limit: int = 5) -> dict:
    """A client's latest cases and interactions as far as ``user`` may see them, for the client's page."""
    return {
        "cases": list(
            Case.objects.visible_to(user)
            .filter(client=client)
            .select_related("handler__user")
            .order_by("-opened_at", "-id")[:limit]
        ),
        "interactions": list(
            Interaction.objects.visible_to(user)
            .filter(client=client)
            .select_related("manager__user")
            .order_by("-occurred_at", "-id")[:limit]
        ),
    }
