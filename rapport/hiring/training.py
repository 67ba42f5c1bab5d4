"""Writes of training: courses, seminars and invited trainers, their participants with attendance and
completion, and the knowledge levels HR assesses for managers (which, against the requirement profile, show the
gaps trainings are suggested for — see ``selectors.knowledge_gaps``)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.core.money import quantize
from rapport.hiring.choices import KnowledgeArea, Participation
from rapport.hiring.errors import HiringError
from rapport.hiring.jobs import require_hr
from rapport.hiring.training_models import ManagerKnowledge, Training, TrainingParticipant
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager

TRAINING_FIELDS = frozenset(
    {
        "title",
        "kind",
        "provider",
        "trainer",
        "starts_on",
        "ends_on",
        "cost",
        "currency",
        "knowledge_areas",
        "description",
    }
)


@transaction.atomic
def training_save(*, actor, data: dict[str, Any], training: Training | None = None) -> Training:
    """Create or change a training (HR); the cost is rounded to its currency's unit."""
    require_hr(actor)
    unknown = set(data) - TRAINING_FIELDS
    if unknown:
        raise ValueError(f"Unknown training fields: {sorted(unknown)}")
    creating = training is None
    training = training or Training(created_by=actor)
    for name, value in data.items():
        setattr(training, name, value)
    training.full_clean()
    training.cost = quantize(Decimal(training.cost), training.currency)
    save_with_history(training, actor=actor, reason="create" if creating else "update")
    return training


@transaction.atomic
def participant_add(*, actor, training: Training, manager: ClientManager) -> TrainingParticipant:
    """Enrol an active (or on-leave) manager in a training."""
    require_hr(actor)
    if manager.employment_status == EmploymentStatus.DISMISSED:
        raise refuse(HiringError.MANAGER_NOT_ACTIVE, _("%(name)s has left.") % {"name": manager.name}, field="manager")
    if TrainingParticipant.objects.filter(training=training, manager=manager).exists():
        raise refuse(
            HiringError.ALREADY_PARTICIPATES,
            _("%(name)s already takes part in this training.") % {"name": manager.name},
            field="manager",
        )
    participant = TrainingParticipant(training=training, manager=manager)
    participant.full_clean(validate_constraints=False)
    save_with_history(participant, actor=actor, reason="enrolled")
    return participant


@transaction.atomic
def participant_update(
    *, actor, participant: TrainingParticipant, status: str, completed_on: datetime.date | None = None, note=None
) -> TrainingParticipant:
    """Record attendance and completion; completing needs a date (the training's last day by default)."""
    require_hr(actor)
    participant = TrainingParticipant.objects.select_for_update().select_related("training").get(pk=participant.pk)
    if status not in Participation.values:
        raise refuse(HiringError.NOTHING_CHANGED, _("Choose the attendance."), field="status")
    participant.status = status
    if status == Participation.COMPLETED:
        participant.completed_on = completed_on or participant.training.ends_on
    else:
        participant.completed_on = None
    if note is not None:
        participant.note = note
    participant.full_clean()
    save_with_history(participant, actor=actor, reason=f"attendance:{status}")
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: TrainingParticipant) -> None:
    """Take an enrolment back, before anything was recorded about it."""
    require_hr(actor)
    if participant.status != Participation.ENROLLED:
        raise refuse(
            HiringError.NOTHING_CHANGED, _("Attendance has been recorded: change it instead of removing the person.")
        )
    participant._history_user = actor
    participant.delete()


@transaction.atomic
def knowledge_set(
    *, actor, manager: ClientManager, levels: dict[str, Any], assessed_on: datetime.date | None = None
) -> list[ManagerKnowledge]:
    """Record a manager's assessed levels (1–5; empty leaves an area as it is)."""
    require_hr(actor)
    assessed_on = assessed_on or timezone.localdate()
    saved = []
    for area, raw in levels.items():
        if area not in KnowledgeArea.values:
            raise ValueError(f"Unknown knowledge area: {area}")
        if raw in (None, ""):
            continue
        level = Decimal(str(raw))
        if not Decimal(1) <= level <= Decimal(5):
            raise refuse(HiringError.INVALID_LEVELS, _("A level is from 1 to 5."), field=area)
        record = ManagerKnowledge.objects.filter(manager=manager, area=area).first() or ManagerKnowledge(
            manager=manager, area=area
        )
        if record.pk and record.level == level:
            continue
        record.level = level.quantize(Decimal("0.1"))
        record.assessed_on = assessed_on
        record.assessed_by = actor
        record.full_clean(validate_constraints=False)
        save_with_history(record, actor=actor, reason="assessed")
        saved.append(record)
    return saved
