"""Writes of requirement profiles, positions, candidates, interview assessments and fit evaluations.

Candidates carry no protected characteristic (see ``candidate_models``): the services accept only the fields
listed here, so nothing else can be stored through any interface. Every change of a candidate restarts their
retention clock (``last_activity_at``).
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.hiring.choices import CLOSED_CANDIDATE_STATUSES, CandidateStatus
from rapport.hiring.engine.fit import FitResult, fit
from rapport.hiring.errors import HiringError
from rapport.hiring.fetch import candidate_facts, profile_facts, snapshot
from rapport.hiring.jobs import require_hr
from rapport.hiring.models import LEVEL_EXPERIENCE, Assessment, Candidate, FitEvaluation, Position, RequirementProfile
from rapport.hiring.wording import require_fair_wording

PROFILE_FIELDS = frozenset(
    {
        "name",
        "manager_type",
        "level",
        "min_experience_years",
        "full_experience_years",
        "min_education",
        "accepted_fields",
        "preferred_field",
        "knowledge",
        "essential_areas",
        "qualities",
        "client_base_groups",
        "client_base_target",
        "weight_experience",
        "weight_education",
        "weight_knowledge",
        "weight_qualities",
        "weight_client_base",
    }
)
POSITION_FIELDS = frozenset(
    {"title", "manager_type", "level", "work_mode", "profile", "currency", "pay_min", "pay_max", "is_open", "ad_text"}
)
# What may be recorded about a candidate — and nothing else (no age, sex, nationality, family, religion, photo).
CANDIDATE_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "email",
        "phone",
        "position",
        "source",
        "years_of_experience",
        "experience_note",
        "education_level",
        "education_field",
        "education_note",
        "client_base_size",
        "client_base_group",
        "currency",
        "expected_pay",
        "offered_pay",
        "consent_to_keep",
        "consent_on",
        "notes",
    }
)


def _only(data: dict, allowed: frozenset, what: str) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Unknown {what} fields: {sorted(unknown)}")


# ---------------------------------------------------------------------------------------------------------------
# Requirement profiles and positions
# ---------------------------------------------------------------------------------------------------------------


def profile_defaults(level: str) -> dict:
    """The experience a profile of ``level`` asks by default (junior ≥ 1, middle 3–5, senior ≥ 5)."""
    minimum, full = LEVEL_EXPERIENCE[level]
    return {"min_experience_years": minimum, "full_experience_years": full}


@transaction.atomic
def profile_save(*, actor, data: dict[str, Any], profile: RequirementProfile | None = None) -> RequirementProfile:
    """Create or change a requirement profile; a new one takes its level's experience defaults when not given."""
    require_hr(actor)
    _only(data, PROFILE_FIELDS, "profile")
    data = dict(data)
    groups = data.pop("client_base_groups", None)
    creating = profile is None
    profile = profile or RequirementProfile()
    if creating and data.get("level"):
        for name, value in profile_defaults(data["level"]).items():
            if data.get(name) is None:
                data[name] = value
    for name, value in data.items():
        setattr(profile, name, value)
    profile.full_clean()
    save_with_history(profile, actor=actor, reason="create" if creating else "update")
    if groups is not None:
        profile.client_base_groups.set(groups)
    return profile


@transaction.atomic
def position_save(
    *, actor, data: dict[str, Any], position: Position | None = None, confirm_wording: bool = False
) -> Position:
    """Create or change a position. Its vacancy text is checked: age limits and other discriminatory criteria are
    refused, wording that may exclude indirectly needs ``confirm_wording`` (who confirmed and when is kept)."""
    require_hr(actor)
    _only(data, POSITION_FIELDS, "position")
    creating = position is None
    position = position or Position()
    old_text = position.ad_text
    for name, value in data.items():
        setattr(position, name, value)
    position.full_clean()
    flags = require_fair_wording(position.ad_text, field="ad_text", confirmed=confirm_wording)
    if position.ad_text != old_text:
        reviewed = bool(flags)
        position.ad_reviewed_at = timezone.now() if reviewed else None
        position.ad_reviewed_by = actor if reviewed else None
    save_with_history(position, actor=actor, reason="create" if creating else "update")
    return position


# ---------------------------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------------------------


def _writable(candidate: Candidate) -> None:
    if candidate.is_anonymised:
        raise refuse(HiringError.CANDIDATE_ANONYMISED, _("This candidate's data has been anonymised."))


@transaction.atomic
def candidate_save(*, actor, data: dict[str, Any], candidate: Candidate | None = None) -> Candidate:
    """Create or change a candidate (HR)."""
    require_hr(actor)
    _only(data, CANDIDATE_FIELDS, "candidate")
    creating = candidate is None
    if candidate is not None:
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _writable(candidate)
    else:
        candidate = Candidate(created_by=actor)
    for name, value in data.items():
        setattr(candidate, name, value)
    if candidate.consent_to_keep and not candidate.consent_on:
        candidate.consent_on = timezone.localdate()
    candidate.last_activity_at = timezone.now()
    candidate.full_clean()
    save_with_history(candidate, actor=actor, reason="create" if creating else "update")
    return candidate


@transaction.atomic
def candidate_set_status(*, actor, candidate: Candidate, status: str, note: str = "") -> Candidate:
    """Move a candidate to interviewing, offer made, rejected or withdrawn (hiring has its own service)."""
    require_hr(actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _writable(candidate)
    if candidate.status == CandidateStatus.HIRED:
        raise refuse(HiringError.ALREADY_HIRED, _("This candidate has been hired."), field="status")
    if status not in CandidateStatus.values or status == CandidateStatus.HIRED:
        raise refuse(HiringError.CANDIDATE_CLOSED, _("Choose another status; hiring has its own step."), field="status")
    candidate.status = status
    if note.strip():
        candidate.notes = "\n".join(part for part in (candidate.notes, note.strip()) if part)
    candidate.last_activity_at = timezone.now()
    candidate.full_clean()
    save_with_history(candidate, actor=actor, reason=f"status:{status}")
    return candidate


@transaction.atomic
def assessment_save(
    *, actor, candidate: Candidate, interviewer, assessed_on, knowledge: dict, qualities: dict, note: str = ""
) -> Assessment:
    """Record (or replace) one interviewer's scores of a candidate: 1–5 per knowledge area and quality."""
    require_hr(actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    _writable(candidate)
    if candidate.status in CLOSED_CANDIDATE_STATUSES:
        raise refuse(HiringError.CANDIDATE_CLOSED, _("This application is closed."))
    assessment = Assessment.objects.filter(candidate=candidate, interviewer=interviewer).first() or Assessment(
        candidate=candidate, interviewer=interviewer
    )
    creating = assessment.pk is None
    assessment.assessed_on = assessed_on
    assessment.knowledge = knowledge
    assessment.qualities = qualities
    assessment.note = note
    assessment.full_clean(validate_constraints=False)
    save_with_history(assessment, actor=actor, reason="create" if creating else "update")
    if candidate.status == CandidateStatus.NEW:
        candidate.status = CandidateStatus.INTERVIEWING
    candidate.last_activity_at = timezone.now()
    save_with_history(candidate, actor=actor, reason="assessed")
    return assessment


@dataclass(frozen=True)
class Evaluation:
    result: FitResult
    record: FitEvaluation


def evaluate(*, profile: RequirementProfile, candidates: list[Candidate]) -> dict[int, FitResult]:
    """The fit of each candidate against ``profile``, computed now (not stored)."""
    facts = profile_facts(profile)
    return {pk: fit(facts, candidate) for pk, candidate in candidate_facts(candidates).items()}


@transaction.atomic
def candidate_evaluate(*, actor, candidate: Candidate, profile: RequirementProfile | None = None) -> Evaluation:
    """Compute the candidate's fit against ``profile`` (their position's by default) and keep it with its inputs."""
    require_hr(actor)
    _writable(candidate)
    profile = profile or (candidate.position.profile if candidate.position_id else None)
    if profile is None:
        raise refuse(HiringError.NO_PROFILE, _("Choose a requirement profile: the position has none."), field="profile")
    facts = profile_facts(profile)
    person = candidate_facts([candidate])[candidate.pk]
    result = fit(facts, person)
    record = FitEvaluation.objects.create(
        candidate=candidate,
        profile=profile,
        score=result.score,
        points=result.points,
        max_points=result.max_points,
        knocked_out=result.knocked_out,
        complete=result.complete,
        lines=[line.as_dict() for line in result.lines],
        inputs=snapshot(facts, person),
        evaluated_by=actor,
        evaluated_at=timezone.now(),
    )
    return Evaluation(result=result, record=record)
