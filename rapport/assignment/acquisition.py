"""A client just won gets its personal manager (C4 → C2): the winner when the hard rules allow, otherwise the
manager the engine's costs prefer for this one client (see ``engine/single.py``), otherwise none — the client then
waits in the "needs a manager" queue, and the next plan places it.

The pipeline's win service decides who may win a client; this module only applies the hard rules, so it is called
inside that service's transaction and not from interfaces.
"""

from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from rapport.assignment import fetch
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.engine.explain import Explainer
from rapport.assignment.engine.single import best_manager
from rapport.assignment.engine.types import MOTIVATION_CODES, NO_GROUP, Clients, Problem
from rapport.assignment.models import Assignment, AssignmentWeights
from rapport.assignment.services import _check_after_previous, check_assignable
from rapport.clients.choices import ClientKind
from rapport.clients.models import Client, ClientGroup
from rapport.core.history import save_with_history
from rapport.managers.models import ClientManager

# The explainer needs a problem; for one client's reasons only its managers, weights and group names matter.
_NO_CLIENTS = Clients(
    ids=np.empty(0, dtype=np.int64),
    is_vip=np.empty(0, dtype=bool),
    motivation=np.empty(0, dtype=np.int8),
    group=np.empty(0, dtype=np.int64),
    current_manager=np.empty(0, dtype=np.int64),
)


@dataclass(frozen=True)
class Placement:
    """What happened to a won client's personal manager: ``kept`` (it had one), ``winner``, ``engine`` or
    ``queued`` (nobody could take it), or ``not_needed`` (an individual); with the reasons of the choice."""

    outcome: str
    assignment: Assignment | None = None
    reasons: list[dict] = field(default_factory=list)


def _loads(manager_ids: list[int]) -> dict[int, int]:
    rows = (
        Assignment.objects.filter(manager_id__in=manager_ids, end_date__isnull=True)
        .values("manager_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["manager_id"]: row["n"] for row in rows}


def _assign(client: Client, manager: ClientManager, actor, note: str) -> Assignment:
    today = timezone.localdate()
    _check_after_previous(client, today)
    assignment = Assignment(
        client=client, manager=manager, start_date=today, reason=AssignmentReason.ACQUISITION, actor=actor, note=note
    )
    assignment.full_clean()
    save_with_history(assignment, actor=actor, reason=str(AssignmentReason.ACQUISITION))
    return assignment


def place_won_client(*, client: Client, winner: ClientManager, actor) -> Placement:
    """Give ``client`` (locked by the caller, already active) its personal manager after ``winner`` won it."""
    if client.kind != ClientKind.LEGAL_ENTITY:
        return Placement("not_needed")
    current = Assignment.objects.filter(client=client, end_date__isnull=True).first()
    if current is not None:
        return Placement("kept", current)
    winner = ClientManager.objects.select_for_update().select_related("user").get(pk=winner.pk)
    load = Assignment.objects.filter(manager=winner, end_date__isnull=True).count()
    try:
        check_assignable(client=client, manager=winner, load=load)
    except ValidationError:
        pass  # any hard rule the winner breaks sends the choice to the engine
    else:
        assignment = _assign(client, winner, actor, note="")
        return Placement("winner", assignment, [{"code": "winner", "kind": "rule", "cost": 0, "params": {}}])

    weights = fetch.engine_weights(AssignmentWeights.current())
    managers = fetch.load_managers()
    loads = _loads([m.id for m in managers])
    attributes = {
        "is_vip": client.is_vip,
        "motivation": MOTIVATION_CODES.get(client.motivation, 0),
        "group": client.group_id if client.group_id is not None else NO_GROUP,
    }
    chosen = best_manager(managers, loads, weights=weights, **attributes)
    if chosen is None:
        reason = {"code": "no_manager_available", "kind": "unassigned", "cost": 0, "params": {}}
        return Placement("queued", None, [reason])
    manager = ClientManager.objects.select_for_update().select_related("user").get(pk=chosen.manager_id)
    load = Assignment.objects.filter(manager=manager, end_date__isnull=True).count()
    check_assignable(client=client, manager=manager, load=load)
    assignment = _assign(client, manager, actor, note="")
    group_names = dict(ClientGroup.objects.filter(pk=client.group_id).values_list("pk", "name"))
    problem = Problem(clients=_NO_CLIENTS, managers=managers, weights=weights, group_names=group_names)
    explainer = Explainer(problem, loads={**loads, manager.pk: load + 1})
    reasons = explainer.assignment_reasons(manager_id=manager.pk, **attributes)
    return Placement("engine", assignment, reasons)
