"""Reads of HR; every one starts from a restricted queryset (``querysets.py``)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from rapport.core.money import quantize
from rapport.hiring.choices import OPEN_CANDIDATE_STATUSES, KnowledgeArea, Participation, Quality
from rapport.hiring.contracts import departure_pending
from rapport.hiring.engine.fit import FitResult, rank
from rapport.hiring.fetch import average_scores
from rapport.hiring.filtersets import CandidateFilterSet
from rapport.hiring.jobs import current_version
from rapport.hiring.models import (
    Assessment,
    Candidate,
    EmploymentContract,
    JobDescription,
    JobDescriptionVersion,
    ManagerKnowledge,
    Position,
    RequirementProfile,
    Training,
    TrainingParticipant,
)
from rapport.hiring.recruiting import evaluate
from rapport.managers.models import ClientManager

# ---------------------------------------------------------------------------------------------------------------
# Job descriptions
# ---------------------------------------------------------------------------------------------------------------


def version_get(*, user, job_pk: int, number: int) -> JobDescriptionVersion:
    """One version ``user`` may read (``DoesNotExist`` otherwise)."""
    return (
        JobDescriptionVersion.objects.visible_to(user)
        .select_related("job_description", "issued_by", "created_by")
        .get(job_description_id=job_pk, number=number)
    )


def manager_job_version(manager: ClientManager) -> JobDescriptionVersion | None:
    """The job description in force for ``manager``: the latest issued version of one written for them, else the
    version their current contract names."""
    personal = JobDescription.objects.filter(manager=manager).order_by("-id")
    for job in personal:
        version = current_version(job)
        if version is not None:
            return version
    contract = current_contract(manager)
    if contract is not None and contract.job_description_version_id:
        return contract.job_description_version
    return None


# ---------------------------------------------------------------------------------------------------------------
# Candidates
# ---------------------------------------------------------------------------------------------------------------


def candidate_list(*, user, filters: dict | None = None) -> QuerySet:
    """Candidates ``user`` may see (HR only), filtered and sorted by ``CandidateFilterSet``."""
    queryset = Candidate.objects.visible_to(user).select_related("position", "client_base_group")
    filters = dict(filters or {})
    filters.setdefault("order", "name")
    return CandidateFilterSet(data=filters, queryset=queryset).qs


@dataclass(frozen=True)
class ScoreRow:
    """One knowledge area or quality: each interviewer's score (in ``interviewers`` order) and the average."""

    item: str
    label: str
    scores: list[int | None]
    average: Decimal | None


@dataclass(frozen=True)
class ScoreTable:
    interviewers: list
    knowledge: list[ScoreRow]
    qualities: list[ScoreRow]


def score_table(candidate: Candidate) -> ScoreTable:
    """The interviewers' scores of a candidate side by side, with the averages the fit score uses."""
    assessments = list(
        Assessment.objects.filter(candidate=candidate).select_related("interviewer").order_by("assessed_on", "id")
    )
    averages = average_scores([(candidate.pk, a.knowledge, a.qualities) for a in assessments]).get(
        candidate.pk, ({}, {}, 0)
    )

    def rows(choices, key, average) -> list[ScoreRow]:
        result = []
        for value, label in choices:
            scores = [getattr(a, key).get(value) for a in assessments]
            if any(score is not None for score in scores):
                result.append(ScoreRow(value, str(label), scores, average.get(value)))
        return result

    return ScoreTable(
        interviewers=assessments,
        knowledge=rows(KnowledgeArea.choices, "knowledge", averages[0]),
        qualities=rows(Quality.choices, "qualities", averages[1]),
    )


@dataclass(frozen=True)
class Ranked:
    place: int
    candidate: Candidate
    result: FitResult


def ranking(
    *, user, profile: RequirementProfile, position: Position | None = None, include_closed=False
) -> list[Ranked]:
    """Candidates (of ``position``, or every open candidate) ranked by their fit against ``profile`` now."""
    candidates = Candidate.objects.visible_to(user).filter(anonymised_at__isnull=True)
    if position is not None:
        candidates = candidates.filter(position=position)
    if not include_closed:
        candidates = candidates.filter(status__in=OPEN_CANDIDATE_STATUSES)
    candidates = {c.pk: c for c in candidates.select_related("position")}
    results = evaluate(profile=profile, candidates=list(candidates.values())) if candidates else {}
    return [Ranked(place, candidates[pk], results[pk]) for place, pk in enumerate(rank(results), start=1)]


# ---------------------------------------------------------------------------------------------------------------
# Contracts
# ---------------------------------------------------------------------------------------------------------------


def current_contract(manager: ClientManager, *, on: datetime.date | None = None) -> EmploymentContract | None:
    """The contract in force for ``manager`` on ``on`` (today), else the latest one not yet ended."""
    on = on or timezone.localdate()
    contracts = list(EmploymentContract.objects.filter(manager=manager).select_related("job_description_version"))
    for contract in contracts:
        if contract.status_on(on) == "active":
            return contract
    upcoming = [c for c in contracts if c.status_on(on) == "upcoming"]
    return min(upcoming, key=lambda c: c.start_date) if upcoming else None


def contracts_awaiting_departure(*, user) -> list[EmploymentContract]:
    """Contracts that have ended while their manager still holds clients (has not left): the departure is due."""
    candidates = (
        EmploymentContract.objects.visible_to(user)
        .filter(Q(ended_on__isnull=False) | Q(end_date__isnull=False))
        .exclude(manager__employment_status="dismissed")
        .select_related("manager__user")
    )
    return [contract for contract in candidates if departure_pending(contract)]


# ---------------------------------------------------------------------------------------------------------------
# Knowledge gaps and training
# ---------------------------------------------------------------------------------------------------------------


def manager_profile(manager: ClientManager) -> RequirementProfile | None:
    """The requirement profile a manager is measured against: their contract's position's, else the position
    they were hired for, else a profile of their level and type (or their level)."""
    contract = current_contract(manager)
    if contract is not None and contract.position_id and contract.position.profile_id:
        return contract.position.profile
    candidate = Candidate.objects.filter(hired_manager=manager).select_related("position__profile").first()
    if candidate is not None and candidate.position_id and candidate.position.profile_id:
        return candidate.position.profile
    profiles = RequirementProfile.objects.filter(level=manager.level)
    return profiles.filter(manager_type=manager.manager_type).first() or profiles.filter(manager_type="").first()


@dataclass(frozen=True)
class Gap:
    area: str
    label: str
    required: int
    assessed: Decimal | None

    @property
    def missing(self) -> Decimal:
        return Decimal(self.required) - (self.assessed or Decimal(0))


def knowledge_gaps(manager: ClientManager, profile: RequirementProfile | None = None) -> list[Gap]:
    """Areas where the manager's assessed level is below the profile's (an unassessed area is a gap too)."""
    profile = profile or manager_profile(manager)
    if profile is None:
        return []
    levels = dict(ManagerKnowledge.objects.filter(manager=manager).values_list("area", "level"))
    labels = dict(KnowledgeArea.choices)
    gaps = []
    for area, required in (profile.knowledge or {}).items():
        assessed = levels.get(area)
        if assessed is None or assessed < required:
            gaps.append(Gap(area, str(labels[area]), required, assessed))
    return sorted(gaps, key=lambda gap: (-gap.missing, list(labels).index(gap.area)))


@dataclass(frozen=True)
class Suggestion:
    training: Training
    areas: list[str] = field(default_factory=list)


def suggested_trainings(manager: ClientManager, gaps: list[Gap] | None = None) -> list[Suggestion]:
    """Trainings not yet over that cover the manager's gaps and they are not in, most gaps covered first."""
    gaps = knowledge_gaps(manager) if gaps is None else gaps
    if not gaps:
        return []
    wanted = {gap.area: gap.label for gap in gaps}
    joined = TrainingParticipant.objects.filter(manager=manager).values_list("training_id", flat=True)
    upcoming = Training.objects.filter(ends_on__gte=timezone.localdate()).exclude(pk__in=joined)
    suggestions = []
    for training in upcoming.order_by("starts_on", "id"):
        areas = [wanted[area] for area in training.knowledge_areas if area in wanted]
        if areas:
            suggestions.append(Suggestion(training, areas))
    return sorted(suggestions, key=lambda s: (-len(s.areas), s.training.starts_on, s.training.pk))


@dataclass
class ManagerTraining:
    manager: ClientManager
    enrolled: int = 0
    attended: int = 0
    completed: int = 0
    absent: int = 0
    spend: dict[str, Decimal] = field(default_factory=dict)


def training_by_manager(*, user, year: int) -> list[ManagerTraining]:
    """Per manager, the trainings of ``year`` by attendance, and their share of the cost (a training's cost split
    equally among its participants, rounded per currency)."""
    rows = (
        TrainingParticipant.objects.visible_to(user)
        .filter(training__starts_on__year=year)
        .select_related("manager__user", "training")
        .annotate(headcount=Count("training__participants"))
        .order_by("manager__user__last_name", "manager__user__first_name", "manager_id")
    )
    result: dict[int, ManagerTraining] = {}
    for row in rows:
        entry = result.setdefault(row.manager_id, ManagerTraining(row.manager))
        entry.enrolled += row.status == Participation.ENROLLED
        entry.attended += row.status == Participation.ATTENDED
        entry.completed += row.status == Participation.COMPLETED
        entry.absent += row.status == Participation.ABSENT
        currency = row.training.currency
        share = quantize(row.training.cost / max(row.headcount, 1), currency)
        entry.spend[currency] = entry.spend.get(currency, Decimal(0)) + share
    return list(result.values())


@dataclass(frozen=True)
class MonthSpend:
    month: datetime.date
    currency: str
    trainings: int
    participants: int
    cost: Decimal


def training_spend_by_month(*, user, year: int) -> list[MonthSpend]:
    """Training cost by the month it starts and currency (``user`` must be HR or Management)."""
    from rapport.accounts import roles

    if not roles.sees_hr_reports(user):
        return []
    totals: dict[tuple[datetime.date, str], list] = defaultdict(lambda: [0, 0, Decimal(0)])
    trainings = Training.objects.filter(starts_on__year=year).annotate(headcount=Count("participants"))
    for training in trainings:
        key = (training.starts_on.replace(day=1), training.currency)
        totals[key][0] += 1
        totals[key][1] += training.headcount
        totals[key][2] += training.cost
    return [
        MonthSpend(month, currency, count, people, cost)
        for (month, currency), (count, people, cost) in sorted(totals.items())
    ]


def participants_of(training: Training, *, user) -> QuerySet:
    return (
        TrainingParticipant.objects.visible_to(user)
        .filter(training=training)
        .select_related("manager__user")
        .order_by("manager__user__last_name", "manager__user__first_name", "id")
    )


def training_list(*, user, filters: dict | None = None) -> QuerySet:
    from rapport.hiring.filtersets import TrainingFilterSet

    queryset = Training.objects.visible_to(user).annotate(
        headcount=Count("participants"),
        completed=Count("participants", filter=Q(participants__status=Participation.COMPLETED)),
    )
    return TrainingFilterSet(data=filters or {}, queryset=queryset).qs.order_by("-starts_on", "title", "id")


def job_description_list(*, user, filters: dict | None = None) -> QuerySet:
    from rapport.hiring.filtersets import JobDescriptionFilterSet

    queryset = JobDescription.objects.visible_to(user).select_related("position", "manager__user", "template")
    queryset = queryset.prefetch_related(
        Prefetch("versions", queryset=JobDescriptionVersion.objects.order_by("-number"), to_attr="ordered_versions")
    )
    return JobDescriptionFilterSet(data=filters or {}, queryset=queryset).qs.order_by("title", "id")


def amendment_rows(amendment, *, currency: str) -> list[dict]:
    """An amendment's changes for reading: the term's name and its old and new values as shown on the contract."""
    from rapport.hiring.explain import money_text

    model = EmploymentContract._meta
    rows = []
    for change in amendment.changes:
        field = model.get_field(change["field"])
        rows.append(
            {
                "label": str(field.verbose_name),
                "old": _amended_value(field, change["old"], currency, money_text),
                "new": _amended_value(field, change["new"], currency, money_text),
            }
        )
    return rows


def _amended_value(field, value: str, currency: str, money_text) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.get_internal_type() == "BooleanField":
        return "✓" if value == "1" else "✗"
    if field.name == "base_salary":
        return money_text(Decimal(value), currency)
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return value
