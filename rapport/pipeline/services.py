"""Writes of the pipeline (C4): prospects, opportunities through their stages, winning and undoing a win.

Stages move one step forward or one step back; any open stage may be lost (with a reason); only an offer can be
won. Leaving "needs identified" forward requires the client's motivation — determining it is the manager's job.
Every move is kept as a ``StageChange`` with its time and actor. Winning activates the client, credits the winner
(an ``Acquisition``) and gives a legal entity its personal manager. Undoing a win (Management, within
``WIN_UNDO_DAYS``) reverses the credit with a reason instead of deleting it.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.assignment.acquisition import Placement, place_won_client
from rapport.assignment.models import Assignment
from rapport.assignment.services import assignment_end
from rapport.clients.choices import ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.clients.services import client_update
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import OPEN_STAGES, LostReason, Stage
from rapport.pipeline.duplicates import find_duplicates
from rapport.pipeline.errors import PipelineError
from rapport.pipeline.models import Acquisition, Opportunity, StageChange

# Fields of a new prospect a manager may fill in; Management may also set the group.
PROSPECT_FIELDS = frozenset(
    {
        "kind",
        "name",
        "registration_number",
        "tax_number",
        "email",
        "phone",
        "address",
        "city",
        "postal_code",
        "country",
        "language",
        "motivation",
        "motivation_note",
    }
)
PROSPECT_MANAGEMENT_FIELDS = frozenset({"group"})

_ORDER = [Stage.NEW, Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER]


def allowed_moves(stage: str) -> list[str]:
    """The stages an opportunity in ``stage`` may move to: one step forward (won after an offer), one step back,
    or lost from any open stage. Closed opportunities do not move."""
    if stage not in OPEN_STAGES:
        return []
    index = _ORDER.index(stage)
    moves = []
    if index > 0:
        moves.append(_ORDER[index - 1])
    moves.append(_ORDER[index + 1] if index + 1 < len(_ORDER) else Stage.WON)
    moves.append(Stage.LOST)
    return moves


def _manager_of(actor) -> ClientManager:
    profile = ClientManager.objects.filter(user_id=actor.pk).first()
    if profile is None:
        raise refuse(PipelineError.NO_MANAGER_PROFILE, _("Your account has no client manager profile."))
    return profile


def _owner(*, actor, manager: ClientManager | None) -> ClientManager:
    """The manager an opportunity belongs to: Management chooses any active manager; a manager is the owner."""
    if roles.is_management(actor):
        if manager is None:
            raise refuse(PipelineError.MANAGER_REQUIRED, _("Choose the manager."), field="manager")
    elif roles.is_client_manager(actor):
        own = _manager_of(actor)
        if manager is not None and manager.pk != own.pk:
            raise PermissionDenied(_("Only Management may give an opportunity to another manager."))
        manager = own
    else:
        raise PermissionDenied(_("Only Management and client managers work the pipeline."))
    if manager.employment_status != EmploymentStatus.ACTIVE:
        raise refuse(
            PipelineError.MANAGER_NOT_ACTIVE,
            _("%(manager)s is not active.") % {"manager": manager.name},
            field="manager",
        )
    return manager


def _record(opportunity: Opportunity, *, from_stage: str, actor, at: datetime.datetime, note: str = "") -> None:
    StageChange.objects.create(
        opportunity=opportunity, from_stage=from_stage, to_stage=opportunity.stage, at=at, actor=actor, note=note
    )


def _open_opportunity(*, client: Client, manager: ClientManager, actor, title: str, note: str) -> Opportunity:
    holder = Opportunity.objects.filter(client=client, stage__in=OPEN_STAGES).select_related("manager__user").first()
    if holder is not None:
        raise refuse(
            PipelineError.OPEN_OPPORTUNITY_EXISTS,
            _("%(client)s already has an open opportunity, held by %(manager)s.")
            % {"client": client.name, "manager": holder.manager.name},
        )
    now = timezone.now()
    opportunity = Opportunity(
        client=client,
        manager=manager,
        title=(title or "").strip() or client.name,
        note=note,
        stage=Stage.NEW,
        stage_changed_at=now,
        created_by=actor,
    )
    opportunity.full_clean()
    try:
        with transaction.atomic():
            save_with_history(opportunity, actor=actor, reason="create")
    except IntegrityError as exc:  # a concurrent opportunity on the same prospect won the race
        raise refuse(
            PipelineError.OPEN_OPPORTUNITY_EXISTS,
            _("%(client)s already has an open opportunity.") % {"client": client.name},
        ) from exc
    _record(opportunity, from_stage="", actor=actor, at=now)
    return opportunity


def _duplicate_name(match, actor) -> str:
    """Name the existing client when the actor may see it, else only its number (interfaces link to it)."""
    if Client.objects.visible_to(actor).filter(pk=match.client_id).exists():
        return match.name
    return _("client #%(id)d of another manager") % {"id": match.client_id}


@transaction.atomic
def prospect_create(
    *,
    actor,
    data: dict[str, Any],
    title: str = "",
    note: str = "",
    manager: ClientManager | None = None,
    confirm_similar: bool = False,
) -> Opportunity:
    """Create a prospect (a client in status prospect) and its first opportunity, owned by ``manager`` (the
    actor when a client manager creates it).

    An exact duplicate (registration number, e-mail, phone) is refused, naming the existing client; a similar
    name is refused until ``confirm_similar`` says the user has seen the near matches and it is a new client."""
    owner = _owner(actor=actor, manager=manager)
    allowed = PROSPECT_FIELDS | (PROSPECT_MANAGEMENT_FIELDS if roles.is_management(actor) else frozenset())
    unknown = set(data) - allowed
    if unknown:
        raise PermissionDenied(_("You may not set these fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    client = Client(status=ClientStatus.PROSPECT, **data)
    if client.motivation != Motivation.UNKNOWN:
        client.motivation_determined_by = actor
        client.motivation_determined_at = timezone.now()
    client.full_clean(validate_constraints=False)
    check = find_duplicates(
        name=client.name,
        kind=client.kind,
        registration_number=client.registration_number,
        email=client.email,
        phone=client.phone,
    )
    if check.exact:
        match = check.exact[0]
        fields = {"registration_number": "registration_number", "email": "email", "phone": "phone"}
        raise refuse(
            PipelineError.DUPLICATE_CLIENT,
            _("This client already exists: %(client)s has the same %(field)s.")
            % {"client": _duplicate_name(match, actor), "field": str(Client._meta.get_field(match.on).verbose_name)},
            field=fields[match.on],
            client_id=match.client_id,
        )
    if check.similar and not confirm_similar:
        names = ", ".join(_duplicate_name(match, actor) for match in check.similar[:5])
        raise refuse(
            PipelineError.SIMILAR_CLIENT,
            _("Clients with similar names exist (%(names)s): confirm that this is a different client.")
            % {"names": names},
            field="name",
            client_ids=[match.client_id for match in check.similar],
        )
    client.validate_constraints()
    save_with_history(client, actor=actor, reason="prospect")
    return _open_opportunity(client=client, manager=owner, actor=actor, title=title, note=note)


@transaction.atomic
def opportunity_create(
    *, actor, client: Client, title: str = "", note: str = "", manager: ClientManager | None = None
) -> Opportunity:
    """Open an opportunity on an existing prospect the actor can see (one open opportunity per prospect)."""
    owner = _owner(actor=actor, manager=manager)
    client = Client.objects.visible_to(actor).select_for_update().filter(pk=client.pk).first()
    if client is None:
        raise Client.DoesNotExist
    if client.status != ClientStatus.PROSPECT:
        raise refuse(
            PipelineError.NOT_A_PROSPECT,
            _("%(client)s is not a prospect (%(status)s).")
            % {"client": client.name, "status": client.get_status_display()},
        )
    return _open_opportunity(client=client, manager=owner, actor=actor, title=title, note=note)


def _locked(opportunity: Opportunity, actor) -> Opportunity:
    locked = (
        Opportunity.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("client", "manager__user")
        .filter(pk=opportunity.pk)
        .first()
    )
    if locked is None:
        raise Opportunity.DoesNotExist
    return locked


def _require_worker(opportunity: Opportunity, actor) -> None:
    """The owner or Management moves an opportunity."""
    if roles.is_management(actor):
        return
    if opportunity.manager.user_id != actor.pk:
        raise PermissionDenied(_("Only the opportunity's manager or Management may move it."))


@dataclass(frozen=True)
class WinResult:
    """A won opportunity, its acquisition and what happened to the client's personal manager."""

    opportunity: Opportunity
    acquisition: Acquisition
    placement: Placement


@transaction.atomic
def opportunity_move(
    *,
    opportunity: Opportunity,
    to_stage: str,
    actor,
    note: str = "",
    motivation: str | None = None,
    motivation_note: str = "",
    lost_reason: str = "",
) -> Opportunity | WinResult:
    """Move ``opportunity`` to ``to_stage`` (see ``allowed_moves``).

    ``motivation``: recorded on the client with the move (needed to leave "needs identified" forward when the
    client's motivation is still unknown). ``lost_reason``: required to lose. Moving to won returns a
    ``WinResult``."""
    opportunity = _locked(opportunity, actor)
    _require_worker(opportunity, actor)
    from_stage = opportunity.stage
    if from_stage not in OPEN_STAGES:
        raise refuse(
            PipelineError.STAGE_CLOSED,
            _("This opportunity is closed (%(stage)s).") % {"stage": opportunity.get_stage_display()},
            field="stage",
        )
    if to_stage not in allowed_moves(from_stage):
        raise refuse(
            PipelineError.STAGE_NOT_ALLOWED,
            _("An opportunity cannot move from %(from)s to %(to)s.")
            % {"from": Stage(from_stage).label, "to": Stage(to_stage).label if to_stage in Stage.values else to_stage},
            field="stage",
        )
    client = opportunity.client
    if motivation and motivation != client.motivation:
        data = {"motivation": motivation}
        if motivation_note:
            data["motivation_note"] = motivation_note
        client = client_update(client=client, actor=actor, data=data)
        opportunity.client = client
    leaving_forward = from_stage == Stage.NEEDS_IDENTIFIED and to_stage in (Stage.OFFER, Stage.WON)
    if leaving_forward and client.motivation == Motivation.UNKNOWN:
        raise refuse(
            PipelineError.MOTIVATION_REQUIRED,
            _("Record the client's motivation (advice, decision or partnership) before making an offer."),
            field="motivation",
        )
    if to_stage == Stage.WON:
        return _win(opportunity, actor=actor, note=note)
    now = timezone.now()
    if to_stage == Stage.LOST:
        if lost_reason not in LostReason.values or lost_reason == LostReason.WIN_UNDONE:
            raise refuse(
                PipelineError.LOST_REASON_REQUIRED, _("Say why the opportunity was lost."), field="lost_reason"
            )
        opportunity.lost_reason = lost_reason
        opportunity.lost_note = note
        opportunity.closed_at = now
    opportunity.stage = to_stage
    opportunity.stage_changed_at = now
    opportunity.full_clean()
    save_with_history(opportunity, actor=actor, reason=f"stage:{to_stage}")
    _record(opportunity, from_stage=from_stage, actor=actor, at=now, note=note)
    return opportunity


def _win(opportunity: Opportunity, *, actor, note: str) -> WinResult:
    client = Client.objects.select_for_update().get(pk=opportunity.client_id)
    credited = Acquisition.objects.active().filter(client=client).select_related("manager__user").first()
    if credited is not None or client.acquired_by_id is not None:
        holder = credited.manager.name if credited else str(client.acquired_by)
        raise refuse(
            PipelineError.ALREADY_ACQUIRED,
            _("%(client)s is already credited to %(manager)s.") % {"client": client.name, "manager": holder},
        )
    if client.status != ClientStatus.PROSPECT:
        raise refuse(
            PipelineError.NOT_A_PROSPECT,
            _("%(client)s is not a prospect (%(status)s).")
            % {"client": client.name, "status": client.get_status_display()},
        )
    now = timezone.now()
    today = timezone.localdate()
    winner = opportunity.manager
    client.status = ClientStatus.ACTIVE
    client.acquired_by = winner
    client.acquired_on = today
    client.full_clean()
    save_with_history(client, actor=actor, reason="won")
    acquisition = Acquisition(
        client=client,
        manager=winner,
        opportunity=opportunity,
        acquired_on=today,
        was_vip=client.is_vip,
        credited_by=actor,
    )
    acquisition.full_clean(validate_constraints=False)
    acquisition.save()
    opportunity.stage = Stage.WON
    opportunity.stage_changed_at = now
    opportunity.closed_at = now
    opportunity.client = client
    opportunity.full_clean()
    save_with_history(opportunity, actor=actor, reason="stage:won")
    _record(opportunity, from_stage=Stage.OFFER, actor=actor, at=now, note=note)
    placement = place_won_client(client=client, winner=winner, actor=actor)
    return WinResult(opportunity=opportunity, acquisition=acquisition, placement=placement)


@transaction.atomic
def opportunity_undo_win(*, opportunity: Opportunity, actor, reason: str) -> Acquisition:
    """Management undoes a win within ``WIN_UNDO_DAYS`` (the deal fell through): the client goes back to
    prospect (and loses the personal manager it got), the acquisition credit is reversed with ``reason`` (which
    compensation turns into a clawback), and the opportunity is closed as lost."""
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may undo a win."))
    opportunity = _locked(opportunity, actor)
    reason = (reason or "").strip()
    if not reason:
        raise refuse(PipelineError.UNDO_REASON_REQUIRED, _("Say why the win is undone."), field="reason")
    acquisition = Acquisition.objects.select_for_update().filter(opportunity=opportunity).first()
    if opportunity.stage != Stage.WON or acquisition is None or acquisition.is_reversed:
        raise refuse(PipelineError.NOT_WON, _("Only a standing win can be undone."))
    window = settings.RAPPORT["WIN_UNDO_DAYS"]
    today = timezone.localdate()
    if (today - acquisition.acquired_on).days > window:
        raise refuse(
            PipelineError.UNDO_WINDOW_PASSED,
            _("A win can be undone within %(days)d days; this one is from %(date)s.")
            % {"days": window, "date": acquisition.acquired_on.isoformat()},
        )
    now = timezone.now()
    client = Client.objects.select_for_update().get(pk=opportunity.client_id)
    current = Assignment.objects.filter(client=client, end_date__isnull=True).first()
    # The client loses the manager it got with (or since) the win; one it had before (assigned by hand) stays.
    if current is not None and current.created_at >= opportunity.closed_at:
        assignment_end(client=client, actor=actor, note=_("Win undone: %(reason)s") % {"reason": reason})
        client.refresh_from_db()
    client.status = ClientStatus.PROSPECT
    client.acquired_by = None
    client.acquired_on = None
    client.full_clean()
    save_with_history(client, actor=actor, reason="win undone")
    acquisition.reversed_at = now
    acquisition.reversed_by = actor
    acquisition.reversal_reason = reason
    acquisition.save(update_fields=["reversed_at", "reversed_by", "reversal_reason"])
    opportunity.stage = Stage.LOST
    opportunity.lost_reason = LostReason.WIN_UNDONE
    opportunity.lost_note = reason
    opportunity.stage_changed_at = now
    opportunity.closed_at = now
    opportunity.full_clean()
    save_with_history(opportunity, actor=actor, reason="win undone")
    _record(opportunity, from_stage=Stage.WON, actor=actor, at=now, note=reason)
    return acquisition
