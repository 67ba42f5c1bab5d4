"""Requirement profiles, positions with their vacancy text, candidates, assessments and fit evaluations."""

from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist, ValidationError

from rapport.core.testing import make_group, make_user
from rapport.hiring.choices import CandidateStatus
from rapport.hiring.explain import fit_line_sentence
from rapport.hiring.models import Candidate, FitEvaluation, Position, RequirementProfile
from rapport.hiring.recruiting import (
    assessment_save,
    candidate_evaluate,
    candidate_save,
    candidate_set_status,
    position_save,
    profile_save,
)
from rapport.hiring.selectors import ranking, score_table
from rapport.hiring.tests.support import make_assessment, make_candidate, make_hr, make_position, make_profile

pytestmark = pytest.mark.django_db
D = Decimal

PROTECTED = [
    "age",
    "birth_date",
    "date_of_birth",
    "sex",
    "gender",
    "nationality",
    "religion",
    "marital_status",
    "photo",
]


@pytest.mark.parametrize(("level", "minimum", "full"), [("junior", 1, 1), ("middle", 3, 5), ("senior", 5, 8)])
def test_a_new_profile_takes_the_experience_rules_of_its_level(level, minimum, full):
    profile = profile_save(actor=make_hr(), data={"name": f"P {level}", "level": level})
    assert (profile.min_experience_years, profile.full_experience_years) == (D(minimum), D(full))
    assert (profile.weight_experience, profile.weight_education, profile.weight_knowledge) == (20, 10, 35)
    assert (profile.weight_qualities, profile.weight_client_base, profile.total_weight) == (25, 10, 100)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"knowledge": {"legislation": 6}}, "knowledge"),
        ({"knowledge": {"astrology": 3}}, "knowledge"),
        ({"qualities": {"teamwork": 11}}, "qualities"),
        ({"essential_areas": ["marketing"]}, "essential_areas"),
        ({"accepted_fields": ["economics"], "preferred_field": "law"}, "preferred_field"),
        ({"min_experience_years": D(5), "full_experience_years": D(3)}, "full_experience_years"),
    ],
)
def test_invalid_profiles_are_refused(data, field):
    with pytest.raises(ValidationError) as refusal:
        profile_save(actor=make_hr(), data={"name": "Bad", "level": "middle", **data})
    assert field in refusal.value.message_dict
    assert RequirementProfile.objects.count() == 0


def test_profile_maps_are_kept_in_the_listed_order_without_zeros():
    profile = profile_save(
        actor=make_hr(),
        data={
            "name": "Ordered",
            "level": "middle",
            "knowledge": {"information": "2", "legislation": 3, "marketing": 0},
            "qualities": {"teamwork": 2, "commitment": 1},
            "essential_areas": ["legislation"],
        },
    )
    assert list(profile.knowledge.items()) == [("legislation", 3), ("information", 2)]
    assert list(profile.qualities.items()) == [("commitment", 1), ("teamwork", 2)]


def test_a_vacancy_text_with_an_age_limit_is_refused_with_the_reason():
    hr = make_hr()
    data = {"title": "Partnership manager", "manager_type": "partnership", "level": "middle"}
    with pytest.raises(ValidationError) as refusal:
        position_save(actor=hr, data={**data, "ad_text": "Candidates under 35 with 3 years of experience."})
    message = refusal.value.message_dict["ad_text"][0]
    assert "«under 35»" in message and "2000/78/EC" in message
    assert refusal.value.error_dict["ad_text"][0].code == "discriminatory_text"
    assert Position.objects.count() == 0


def test_a_vacancy_text_with_indirect_wording_is_saved_once_reviewed_and_the_review_is_kept():
    hr = make_hr()
    data = {"title": "Advice manager", "manager_type": "advice", "level": "junior", "ad_text": "Young team."}
    with pytest.raises(ValidationError) as refusal:
        position_save(actor=hr, data=data)
    assert refusal.value.error_dict["ad_text"][0].code == "text_needs_review"
    position = position_save(actor=hr, data=data, confirm_wording=True)
    assert (position.ad_reviewed_by, position.ad_reviewed_at is not None) == (hr, True)
    # a clean text later clears the review
    position = position_save(actor=hr, position=position, data={"ad_text": "A friendly team."})
    assert (position.ad_reviewed_by, position.ad_reviewed_at) == (None, None)


@pytest.mark.parametrize("name", PROTECTED)
def test_no_protected_characteristic_exists_on_candidates_or_can_be_stored(name):
    with pytest.raises(FieldDoesNotExist):
        Candidate._meta.get_field(name)
    with pytest.raises(ValueError, match="Unknown candidate fields"):
        candidate_save(actor=make_hr(), data={"first_name": "A", "last_name": "B", name: "x"})
    assert Candidate.objects.count() == 0


def test_a_candidate_is_saved_normalised_and_consent_gets_its_date():
    hr = make_hr()
    candidate = candidate_save(
        actor=hr,
        data={
            "first_name": " Anna ",
            "last_name": "Kiss",
            "email": " Anna@Example.org ",
            "phone": "06 30 123 4567",
            "consent_to_keep": True,
        },
    )
    assert (candidate.first_name, candidate.email, candidate.phone) == ("Anna", "anna@example.org", "+36301234567")
    assert candidate.consent_on is not None and candidate.created_by == hr
    assert candidate.history.count() == 1


def test_assessments_are_averaged_item_by_item_and_the_first_moves_the_candidate_to_interviewing():
    hr, second = make_hr(), make_user()
    candidate = make_candidate(hr)
    assessment_save(
        actor=hr,
        candidate=candidate,
        interviewer=hr,
        assessed_on="2026-01-10",
        knowledge={"communication": 4, "offering": 3},
        qualities={"teamwork": 5},
    )
    assessment_save(
        actor=hr,
        candidate=candidate,
        interviewer=second,
        assessed_on="2026-01-11",
        knowledge={"communication": 5},
        qualities={"teamwork": 4, "courtesy": 3},
    )
    table = score_table(candidate)
    assert [(r.item, r.scores, r.average) for r in table.knowledge] == [
        ("offering", [3, None], D(3)),
        ("communication", [4, 5], D("4.5")),
    ]
    assert [(r.item, r.scores, r.average) for r in table.qualities] == [
        ("courtesy", [None, 3], D(3)),
        ("teamwork", [5, 4], D("4.5")),
    ]
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.INTERVIEWING
    # an interviewer's second assessment replaces their first
    assessment_save(
        actor=hr,
        candidate=candidate,
        interviewer=second,
        assessed_on="2026-01-12",
        knowledge={"communication": 3},
        qualities={},
    )
    assert [(r.item, r.average) for r in score_table(candidate).knowledge] == [
        ("offering", D(3)),
        ("communication", D("3.5")),
    ]


def test_scores_outside_1_to_5_are_refused():
    hr = make_hr()
    candidate = make_candidate(hr)
    with pytest.raises(ValidationError) as refusal:
        assessment_save(
            actor=hr,
            candidate=candidate,
            interviewer=hr,
            assessed_on="2026-01-10",
            knowledge={"marketing": 6},
            qualities={},
        )
    assert "knowledge" in refusal.value.message_dict
    assert candidate.assessments.count() == 0


def documented_profile(group):
    return make_profile(
        name="Partnership manager, middle",
        preferred_field="economics",
        knowledge={"legislation": 3, "offering": 4, "business_plans": 3, "communication": 4},
        essential_areas=["communication"],
        qualities={"communication": 3, "stress_resistance": 2, "negotiation": 3, "teamwork": 2},
        client_base_groups=[group],
    )


def test_an_evaluation_is_kept_with_its_inputs_and_explains_itself():
    # given the documented profile and Anna as two interviewers scored her
    hr, second = make_hr(), make_user()
    software = make_group("Software")
    profile = documented_profile(software)
    anna = make_candidate(
        hr,
        first_name="Anna",
        years_of_experience=D(4),
        education_level="higher_professional",
        education_field="law",
        client_base_size=12,
        client_base_group=software,
        position=make_position(profile),
    )
    make_assessment(
        anna,
        hr,
        knowledge={"communication": 4, "offering": 3, "business_plans": 3},
        qualities={"communication": 5, "negotiation": 4, "stress_resistance": 3, "teamwork": 5},
    )
    make_assessment(
        anna,
        second,
        knowledge={"communication": 5, "offering": 4},
        qualities={"communication": 4, "stress_resistance": 4},
    )
    # when HR evaluates her against her position's profile
    evaluation = candidate_evaluate(actor=hr, candidate=anna)
    # then the stored figure is the documented one, with its lines and the facts it came from
    record = FitEvaluation.objects.get()
    assert (record.score, record.points, record.max_points, record.knocked_out, record.complete) == (
        D("73.4"),
        D("73.41"),
        D("100.00"),
        False,
        False,
    )
    assert record.profile == profile and evaluation.record == record
    assert record.inputs["candidate"]["knowledge"] == {"communication": "4.5", "offering": "3.5", "business_plans": "3"}
    assert record.inputs["profile"]["weights"] == {
        "experience": 20,
        "education": 10,
        "knowledge": 35,
        "qualities": 25,
        "client_base": 10,
    }
    sentences = [fit_line_sentence(line) for line in record.lines]
    assert sentences[0] == "4 years of experience of the 5 that earn full credit."
    assert sentences[1] == (
        "Higher professional education in Law: accepted, but not the preferred field (Economics), so half."
    )
    assert sentences[2] == "Basics of current legislation (required 3) has not been assessed by any interviewer."
    assert sentences[3] == (
        "Range, classification, characteristics and purpose of the goods and services: assessed 3.5 of the required 4."
    )
    assert sentences[-1] == "Brings 12 clients new to the company in its field, of the 20 that earn full credit."


def test_evaluating_without_a_profile_is_refused():
    hr = make_hr()
    with pytest.raises(ValidationError) as refusal:
        candidate_evaluate(actor=hr, candidate=make_candidate(hr))
    assert refusal.value.error_dict["profile"][0].code == "no_profile"
    assert FitEvaluation.objects.count() == 0


def test_candidates_of_a_position_are_ranked_knock_outs_last():
    hr = make_hr()
    profile = make_profile(knowledge={"communication": 4}, essential_areas=["communication"])
    position = make_position(profile)
    strong = make_candidate(hr, position=position, years_of_experience=D(5))
    make_assessment(strong, hr, knowledge={"communication": 5})
    weaker = make_candidate(hr, position=position, years_of_experience=D(3))
    make_assessment(weaker, hr, knowledge={"communication": 4})
    knocked = make_candidate(hr, position=position, years_of_experience=D(9))
    make_assessment(knocked, hr, knowledge={"communication": 2})
    closed = make_candidate(hr, position=position, status=CandidateStatus.REJECTED)
    other_position = make_candidate(hr, position=make_position(profile))

    rows = ranking(user=hr, profile=profile, position=position)

    assert [(r.place, r.candidate, r.result.knocked_out) for r in rows] == [
        (1, strong, False),
        (2, weaker, False),
        (3, knocked, True),
    ]
    # no quality is listed, so the maximum is 75 (experience 20, education 10, knowledge 35, client base 10)
    assert [(r.result.points, r.result.max_points, r.result.score) for r in rows] == [
        (D("65.00"), D(75), D("86.7")),
        (D("57.00"), D(75), D("76.0")),
        (D("47.50"), D(75), D("63.3")),
    ]
    assert closed not in [r.candidate for r in rows] and other_position not in [r.candidate for r in rows]


def test_a_rejected_candidate_can_be_reopened_but_hiring_is_its_own_step():
    hr = make_hr()
    candidate = make_candidate(hr)
    candidate_set_status(actor=hr, candidate=candidate, status=CandidateStatus.REJECTED, note="Not now")
    candidate_set_status(actor=hr, candidate=candidate, status=CandidateStatus.INTERVIEWING)
    with pytest.raises(ValidationError):
        candidate_set_status(actor=hr, candidate=candidate, status=CandidateStatus.HIRED)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.notes) == (CandidateStatus.INTERVIEWING, "Not now")
