"""Helpers of the pipeline's service tests: a frozen clock, builders and the snapshot that shows nothing changed."""

import datetime

from django.core.exceptions import ValidationError

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_manager, make_opportunity, make_user
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange
from rapport.pipeline.services import WinResult, opportunity_move

# The tests run at a fixed moment: 11:30 in Budapest on 10 June 2025.
NOW = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2025, 6, 10)


def pipeline_state() -> dict:
    """Every row the pipeline writes or touches and the number of history records: equal before and after means
    nothing changed."""

    def rows(model) -> list[dict]:
        return list(model.objects.order_by("pk").values())

    return {
        "clients": rows(Client),
        "opportunities": rows(Opportunity),
        "stage_changes": rows(StageChange),
        "acquisitions": rows(Acquisition),
        "assignments": rows(Assignment),
        "managers": rows(ClientManager),
        "history": (
            Client.history.count(),
            Opportunity.history.count(),
            Assignment.history.count(),
            ClientManager.history.count(),
        ),
    }


def refusal(exc: ValidationError) -> tuple[str | None, str]:
    """The field (None for a non-field error) and the code of the single error ``exc`` carries."""
    if hasattr(exc, "error_dict"):
        assert len(exc.error_dict) == 1, exc.error_dict
        [(field, errors)] = exc.error_dict.items()
        assert len(errors) == 1, errors
        return field, errors[0].code
    assert len(exc.error_list) == 1, exc.error_list
    return None, exc.code


def named_manager(first: str, last: str, **fields) -> ClientManager:
    """A client manager (personal, active, partnership, middle, capacity 10 unless told otherwise)."""
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name=first, last_name=last), **fields)


def make_prospect(**fields) -> Client:
    """A legal-entity prospect."""
    fields.setdefault("status", ClientStatus.PROSPECT)
    return make_client(**fields)


def opportunity_at(manager: ClientManager, stage: str, client: Client | None = None, **client_fields) -> Opportunity:
    """An opportunity of ``manager`` in ``stage``, on a prospect whose motivation is known (advice) unless told,
    last moved three days ago."""
    client_fields.setdefault("motivation", Motivation.ADVICE)
    client = client or make_prospect(**client_fields)
    fields = {"stage": stage, "stage_changed_at": NOW - datetime.timedelta(days=3)}
    if stage == "lost":
        fields["lost_reason"] = "timing"
    return make_opportunity(client, manager, **fields)


def history(model_instance) -> list[tuple]:
    """The history records of one object, oldest first: (type, user id, reason)."""
    return [
        (record.history_type, record.history_user_id, record.history_change_reason)
        for record in model_instance.history.order_by("history_id")
    ]


def stage_changes(opportunity) -> list[tuple]:
    """The stage changes of one opportunity, in order: (from, to, at, actor id, note)."""
    return list(
        StageChange.objects.filter(opportunity=opportunity)
        .order_by("pk")
        .values_list("from_stage", "to_stage", "at", "actor_id", "note")
    )


def win(opportunity: Opportunity, actor) -> WinResult:
    """Move an offer to won, with the note "Signed"."""
    return opportunity_move(opportunity=opportunity, to_stage=Stage.WON, actor=actor, note="Signed")


def holding(manager: ClientManager, count: int) -> None:
    """Give ``manager`` ``count`` active clients."""
    for _ in range(count):
        make_assignment(make_client(), manager)


def current_assignments() -> list[tuple]:
    """Every current assignment: (client id, manager id, start date, reason)."""
    return list(
        Assignment.objects.filter(end_date__isnull=True)
        .order_by("pk")
        .values_list("client_id", "manager_id", "start_date", "reason")
    )
