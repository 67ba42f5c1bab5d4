"""The fit score of a candidate against a requirement profile: pure computation over frozen facts.

Five parts, each worth its weight in points (the profile's weights; 20/10/35/25/10 by default):

- **experience**: ``weight × min(years, full) ÷ full``; fewer years than the minimum is a knock-out;
- **education**: the minimum level and an accepted field earn half the weight, the preferred field (or any
  accepted field when none is preferred) the whole; a lower level or a field not accepted is a knock-out;
- **knowledge**: the weight shared equally by the required areas, each earning ``min(level, required) ÷
  required`` of its share (the level is the interviewers' average); an essential area below its level is a
  knock-out;
- **personal qualities**: the weight shared by the qualities in proportion to their weights, each earning
  ``score ÷ 5`` of its share (the interviewers' average);
- **own client base**: ``weight × min(clients, target) ÷ target`` when the base is in one of the company's fields.

A part's weight is shared among its lines in whole cents that add up exactly; every line's points are rounded
half-up to 0.01; the score is ``100 × Σ points ÷ Σ weights`` rounded half-up to 0.1, where a part the profile
gives nothing to measure (no knowledge area or no quality listed) is left out of the weights. An item nobody
assessed earns nothing and marks the evaluation incomplete (never a knock-out). Lines carry a code and
parameters; ``explain.py`` turns them into sentences in the reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
MAX_SCORE = Decimal(5)

EXPERIENCE = "experience"
EDUCATION = "education"
KNOWLEDGE = "knowledge"
QUALITIES = "qualities"
CLIENT_BASE = "client_base"
PARTS = (EXPERIENCE, EDUCATION, KNOWLEDGE, QUALITIES, CLIENT_BASE)


@dataclass(frozen=True)
class Weights:
    experience: int = 20
    education: int = 10
    knowledge: int = 35
    qualities: int = 25
    client_base: int = 10

    @property
    def total(self) -> int:
        return self.experience + self.education + self.knowledge + self.qualities + self.client_base


@dataclass(frozen=True)
class ProfileFacts:
    """What the profile asks. Education levels are ranks (0 general, 1 secondary professional, 2 higher)."""

    min_experience: Decimal
    full_experience: Decimal
    min_education_rank: int
    min_education: str
    accepted_fields: frozenset[str] = frozenset()
    preferred_field: str = ""
    knowledge: Mapping[str, int] = field(default_factory=dict)
    essential: frozenset[str] = frozenset()
    qualities: Mapping[str, int] = field(default_factory=dict)
    client_base_groups: frozenset[int] = frozenset()
    client_base_target: int = 20
    weights: Weights = Weights()


@dataclass(frozen=True)
class CandidateFacts:
    """What is known of the candidate: knowledge levels and quality scores are the interviewers' averages
    (items nobody scored are absent); ``client_base_size`` counts only clients the company does not have yet."""

    years: Decimal
    education_rank: int
    education_level: str
    education_field: str = ""
    knowledge: Mapping[str, Decimal] = field(default_factory=dict)
    qualities: Mapping[str, Decimal] = field(default_factory=dict)
    interviewers: int = 0
    client_base_size: int = 0
    client_base_group: int | None = None


@dataclass(frozen=True)
class FitLine:
    """One line of the explanation: which part and item, what happened (``code`` with ``params``), the points
    earned of the most possible, and whether it knocks the candidate out."""

    part: str
    item: str
    code: str
    points: Decimal
    max_points: Decimal
    params: Mapping[str, str] = field(default_factory=dict)
    knockout: bool = False
    assessed: bool = True

    def as_dict(self) -> dict:
        return {
            "part": self.part,
            "item": self.item,
            "code": self.code,
            "points": str(self.points),
            "max_points": str(self.max_points),
            "params": dict(self.params),
            "knockout": self.knockout,
            "assessed": self.assessed,
        }


@dataclass(frozen=True)
class FitResult:
    score: Decimal
    points: Decimal
    max_points: Decimal
    lines: tuple[FitLine, ...]

    @property
    def knockouts(self) -> tuple[FitLine, ...]:
        return tuple(line for line in self.lines if line.knockout)

    @property
    def knocked_out(self) -> bool:
        return any(line.knockout for line in self.lines)

    @property
    def unassessed(self) -> tuple[FitLine, ...]:
        return tuple(line for line in self.lines if not line.assessed)

    @property
    def complete(self) -> bool:
        return all(line.assessed for line in self.lines)

    def part_points(self, part: str) -> tuple[Decimal, Decimal]:
        lines = [line for line in self.lines if line.part == part]
        return sum((line.points for line in lines), Decimal(0)), sum((line.max_points for line in lines), Decimal(0))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _split(total: int, weights: list[int]) -> list[Decimal]:
    """``total`` points shared in proportion to ``weights``, in cents that add up to ``total`` exactly (largest
    remainders get the odd cents; ties go to the earlier item)."""
    whole = sum(weights)
    cents = Decimal(total) * 100
    exact = [cents * weight / whole for weight in weights]
    shares = [value.to_integral_value(rounding=ROUND_FLOOR) for value in exact]
    leftover = int(cents - sum(shares))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:leftover]:
        shares[i] += 1
    return [share / 100 for share in shares]


def _text(value: Decimal) -> str:
    """A decimal for an explanation: at most one decimal place, no trailing zero (4.50 → "4.5", 3.0 → "3")."""
    value = value.quantize(TENTH, rounding=ROUND_HALF_UP)
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


def _experience(profile: ProfileFacts, candidate: CandidateFacts) -> FitLine:
    weight = Decimal(profile.weights.experience)
    params = {
        "years": _text(candidate.years),
        "minimum": _text(profile.min_experience),
        "full": _text(profile.full_experience),
    }
    if candidate.years < profile.min_experience:
        return FitLine(EXPERIENCE, "", "experience_below_minimum", Decimal(0), weight, params, knockout=True)
    if profile.full_experience <= 0 or candidate.years >= profile.full_experience:
        return FitLine(EXPERIENCE, "", "experience_full", weight, weight, params)
    points = _cents(weight * candidate.years / profile.full_experience)
    return FitLine(EXPERIENCE, "", "experience_partial", points, weight, params)


def _education(profile: ProfileFacts, candidate: CandidateFacts) -> FitLine:
    weight = Decimal(profile.weights.education)
    params = {
        "level": candidate.education_level,
        "minimum": profile.min_education,
        "field": candidate.education_field,
        "preferred": profile.preferred_field,
        "accepted": ",".join(sorted(profile.accepted_fields)),
    }
    if candidate.education_rank < profile.min_education_rank:
        return FitLine(EDUCATION, "", "education_below_minimum", Decimal(0), weight, params, knockout=True)
    if profile.accepted_fields and candidate.education_field not in profile.accepted_fields:
        return FitLine(EDUCATION, "", "education_field_not_accepted", Decimal(0), weight, params, knockout=True)
    if not profile.preferred_field or candidate.education_field == profile.preferred_field:
        code = "education_preferred" if profile.preferred_field else "education_met"
        return FitLine(EDUCATION, "", code, weight, weight, params)
    return FitLine(EDUCATION, "", "education_not_preferred", _cents(weight / 2), weight, params)


def _knowledge(profile: ProfileFacts, candidate: CandidateFacts) -> list[FitLine]:
    required = {area: level for area, level in profile.knowledge.items() if level > 0}
    if not required or not profile.weights.knowledge:
        return []
    shares = _split(profile.weights.knowledge, [1] * len(required))
    lines = []
    for (area, level), share in zip(required.items(), shares, strict=True):
        essential = area in profile.essential
        params = {"required": str(level), "essential": "1" if essential else ""}
        assessed = candidate.knowledge.get(area)
        if assessed is None:
            lines.append(FitLine(KNOWLEDGE, area, "knowledge_not_assessed", Decimal(0), share, params, assessed=False))
            continue
        params["level"] = _text(assessed)
        if assessed >= level:
            lines.append(FitLine(KNOWLEDGE, area, "knowledge_met", share, share, params))
            continue
        points = _cents(share * assessed / level)
        code = "knowledge_essential_missing" if essential else "knowledge_partial"
        lines.append(FitLine(KNOWLEDGE, area, code, points, share, params, knockout=essential))
    return lines


def _qualities(profile: ProfileFacts, candidate: CandidateFacts) -> list[FitLine]:
    weighted = {quality: weight for quality, weight in profile.qualities.items() if weight > 0}
    if not weighted or not profile.weights.qualities:
        return []
    shares = _split(profile.weights.qualities, list(weighted.values()))
    lines = []
    for (quality, weight), share in zip(weighted.items(), shares, strict=True):
        params = {"weight": str(weight)}
        score = candidate.qualities.get(quality)
        if score is None:
            lines.append(FitLine(QUALITIES, quality, "quality_not_assessed", Decimal(0), share, params, assessed=False))
            continue
        params["score"] = _text(score)
        lines.append(FitLine(QUALITIES, quality, "quality_scored", _cents(share * score / MAX_SCORE), share, params))
    return lines


def _client_base(profile: ProfileFacts, candidate: CandidateFacts) -> list[FitLine]:
    weight = Decimal(profile.weights.client_base)
    if not weight:
        return []
    params = {"clients": str(candidate.client_base_size), "target": str(profile.client_base_target)}
    if candidate.client_base_size <= 0:
        return [FitLine(CLIENT_BASE, "", "client_base_none", Decimal(0), weight, params)]
    if profile.client_base_groups and candidate.client_base_group not in profile.client_base_groups:
        return [FitLine(CLIENT_BASE, "", "client_base_other_field", Decimal(0), weight, params)]
    counted = min(candidate.client_base_size, profile.client_base_target)
    points = _cents(weight * counted / profile.client_base_target)
    code = "client_base_full" if counted == profile.client_base_target else "client_base_partial"
    return [FitLine(CLIENT_BASE, "", code, points, weight, params)]


def fit(profile: ProfileFacts, candidate: CandidateFacts) -> FitResult:
    """The explained fit of ``candidate`` against ``profile``."""
    lines = [
        _experience(profile, candidate),
        _education(profile, candidate),
        *_knowledge(profile, candidate),
        *_qualities(profile, candidate),
        *_client_base(profile, candidate),
    ]
    lines = [line for line in lines if line.max_points > 0 or line.knockout]
    points = sum((line.points for line in lines), Decimal(0))
    # A part with nothing to measure (no knowledge area or quality listed) is left out of the maximum too.
    possible = sum((line.max_points for line in lines), Decimal(0))
    score = (points * 100 / possible).quantize(TENTH, rounding=ROUND_HALF_UP) if possible else Decimal("0.0")
    return FitResult(score=score, points=points, max_points=possible, lines=tuple(lines))


def rank(results: Mapping[int, FitResult]) -> list[int]:
    """Candidate ids best first: those without a knock-out by score, then the knocked-out by score; ties by id."""
    return sorted(results, key=lambda pk: (results[pk].knocked_out, -results[pk].score, pk))
