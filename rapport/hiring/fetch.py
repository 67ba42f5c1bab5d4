"""Loads the facts of the fit score from the database into the engine's types (all queries here, set-based)."""

from collections import defaultdict
from decimal import Decimal

from rapport.hiring.choices import EDUCATION_RANK
from rapport.hiring.engine.fit import CandidateFacts, ProfileFacts, Weights
from rapport.hiring.models import Assessment, Candidate, RequirementProfile


def profile_facts(profile: RequirementProfile) -> ProfileFacts:
    """The facts of a requirement profile (one query for its client-base groups)."""
    return ProfileFacts(
        min_experience=Decimal(profile.min_experience_years),
        full_experience=Decimal(profile.full_experience_years),
        min_education_rank=EDUCATION_RANK[profile.min_education],
        min_education=profile.min_education,
        accepted_fields=frozenset(profile.accepted_fields or []),
        preferred_field=profile.preferred_field or "",
        knowledge=dict(profile.knowledge or {}),
        essential=frozenset(profile.essential_areas or []),
        qualities=dict(profile.qualities or {}),
        client_base_groups=frozenset(profile.client_base_groups.values_list("pk", flat=True)),
        client_base_target=profile.client_base_target,
        weights=Weights(
            experience=profile.weight_experience,
            education=profile.weight_education,
            knowledge=profile.weight_knowledge,
            qualities=profile.weight_qualities,
            client_base=profile.weight_client_base,
        ),
    )


def average_scores(assessments) -> dict[int, tuple[dict, dict, int]]:
    """Per candidate id: knowledge levels and quality scores averaged item by item over the interviewers who
    scored the item, and the number of interviewers."""
    sums: dict[int, dict[str, dict[str, list[int]]]] = defaultdict(
        lambda: {"k": defaultdict(list), "q": defaultdict(list)}
    )
    counts: dict[int, int] = defaultdict(int)
    for candidate_id, knowledge, qualities in assessments:
        counts[candidate_id] += 1
        for area, level in (knowledge or {}).items():
            sums[candidate_id]["k"][area].append(int(level))
        for quality, score in (qualities or {}).items():
            sums[candidate_id]["q"][quality].append(int(score))
    result = {}
    for candidate_id, count in counts.items():
        knowledge = {area: Decimal(sum(v)) / len(v) for area, v in sums[candidate_id]["k"].items()}
        qualities = {quality: Decimal(sum(v)) / len(v) for quality, v in sums[candidate_id]["q"].items()}
        result[candidate_id] = (knowledge, qualities, count)
    return result


def candidate_facts(candidates: list[Candidate]) -> dict[int, CandidateFacts]:
    """The facts of each candidate (one query for all their assessments)."""
    ids = [candidate.pk for candidate in candidates]
    rows = (
        Assessment.objects.filter(candidate_id__in=ids).order_by().values_list("candidate_id", "knowledge", "qualities")
    )
    averages = average_scores(rows)
    facts = {}
    for candidate in candidates:
        knowledge, qualities, interviewers = averages.get(candidate.pk, ({}, {}, 0))
        facts[candidate.pk] = CandidateFacts(
            years=Decimal(candidate.years_of_experience),
            education_rank=EDUCATION_RANK[candidate.education_level],
            education_level=candidate.education_level,
            education_field=candidate.education_field or "",
            knowledge=knowledge,
            qualities=qualities,
            interviewers=interviewers,
            client_base_size=candidate.client_base_size,
            client_base_group=candidate.client_base_group_id,
        )
    return facts


def snapshot(profile: ProfileFacts, candidate: CandidateFacts) -> dict:
    """The inputs of an evaluation as JSON (decimals as text), stored beside its result."""

    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, frozenset):
            return sorted(value)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {
        "profile": {name: plain(getattr(profile, name)) for name in profile.__dataclass_fields__ if name != "weights"}
        | {"weights": vars(profile.weights)},
        "candidate": {name: plain(getattr(candidate, name)) for name in candidate.__dataclass_fields__},
    }
