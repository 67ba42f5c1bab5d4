"""The fit score engine (pure, no database): exact points and scores, explanations, knock-outs, ranking."""

from decimal import Decimal

import pytest

from rapport.hiring.engine.fit import CandidateFacts, ProfileFacts, Weights, _split, fit, rank

D = Decimal
SOFTWARE = 7

MIDDLE_PARTNERSHIP = ProfileFacts(
    min_experience=D(3),
    full_experience=D(5),
    min_education_rank=1,
    min_education="secondary_professional",
    accepted_fields=frozenset(),
    preferred_field="economics",
    knowledge={"legislation": 3, "offering": 4, "business_plans": 3, "communication": 4},
    essential=frozenset({"communication"}),
    qualities={"communication": 3, "stress_resistance": 2, "negotiation": 3, "teamwork": 2},
    client_base_groups=frozenset({SOFTWARE}),
    client_base_target=20,
    weights=Weights(experience=20, education=10, knowledge=35, qualities=25, client_base=10),
)

ANNA = CandidateFacts(
    years=D(4),
    education_rank=2,
    education_level="higher_professional",
    education_field="law",
    knowledge={"communication": D("4.5"), "offering": D("3.5"), "business_plans": D(3)},
    qualities={"communication": D("4.5"), "negotiation": D(4), "stress_resistance": D("3.5"), "teamwork": D(5)},
    interviewers=2,
    client_base_size=12,
    client_base_group=SOFTWARE,
)


def lines_of(result):
    return [(line.part, line.item, line.code, line.points, line.max_points, line.knockout) for line in result.lines]


def test_the_documented_example_scores_73_4_with_every_line_explained():
    # given the middle partnership profile of docs/hr.md and Anna as the two interviewers saw her
    # when her fit is computed
    result = fit(MIDDLE_PARTNERSHIP, ANNA)

    # then every part earns exactly what the formula says, line by line
    assert lines_of(result) == [
        ("experience", "", "experience_partial", D("16.00"), D(20), False),
        ("education", "", "education_not_preferred", D("5.00"), D(10), False),
        ("knowledge", "legislation", "knowledge_not_assessed", D(0), D("8.75"), False),
        ("knowledge", "offering", "knowledge_partial", D("7.66"), D("8.75"), False),
        ("knowledge", "business_plans", "knowledge_met", D("8.75"), D("8.75"), False),
        ("knowledge", "communication", "knowledge_met", D("8.75"), D("8.75"), False),
        ("qualities", "communication", "quality_scored", D("6.75"), D("7.50"), False),
        ("qualities", "stress_resistance", "quality_scored", D("3.50"), D("5.00"), False),
        ("qualities", "negotiation", "quality_scored", D("6.00"), D("7.50"), False),
        ("qualities", "teamwork", "quality_scored", D("5.00"), D("5.00"), False),
        ("client_base", "", "client_base_partial", D("6.00"), D(10), False),
    ]
    assert (result.points, result.max_points, result.score) == (D("73.41"), D(100), D("73.4"))
    # and she is not knocked out, but one required area was never assessed
    assert (result.knocked_out, result.complete) == (False, False)
    assert [line.item for line in result.unassessed] == ["legislation"]
    assert result.lines[3].params == {"required": "4", "essential": "", "level": "3.5"}
    assert result.part_points("qualities") == (D("21.25"), D("25.00"))


def test_knock_outs_are_listed_and_still_scored():
    # given Béla: two years, general secondary education, and an essential area below its level
    bela = CandidateFacts(
        years=D(2),
        education_rank=0,
        education_level="general",
        education_field="economics",
        knowledge={"communication": D(3)},
        qualities={},
        client_base_size=0,
    )
    # when his fit is computed
    result = fit(MIDDLE_PARTNERSHIP, bela)
    # then three knock-outs are named, each with what was required
    assert [(line.code, line.params) for line in result.knockouts] == [
        ("experience_below_minimum", {"years": "2", "minimum": "3", "full": "5"}),
        (
            "education_below_minimum",
            {
                "level": "general",
                "minimum": "secondary_professional",
                "field": "economics",
                "preferred": "economics",
                "accepted": "",
            },
        ),
        ("knowledge_essential_missing", {"required": "4", "essential": "1", "level": "3"}),
    ]
    # and the points he did earn still count (6.56 for the essential area at 3 of 4), nothing else
    assert (result.points, result.score, result.knocked_out) == (D("6.56"), D("6.6"), True)


def test_a_field_of_education_outside_the_accepted_ones_is_a_knock_out():
    profile = ProfileFacts(
        min_experience=D(1),
        full_experience=D(1),
        min_education_rank=1,
        min_education="secondary_professional",
        accepted_fields=frozenset({"economics", "psychology"}),
        weights=Weights(experience=50, education=50, knowledge=0, qualities=0, client_base=0),
    )
    engineer = CandidateFacts(
        years=D(1), education_rank=2, education_level="higher_professional", education_field="engineering"
    )
    result = fit(profile, engineer)
    assert lines_of(result) == [
        ("experience", "", "experience_full", D(50), D(50), False),
        ("education", "", "education_field_not_accepted", D(0), D(50), True),
    ]
    assert (result.score, result.knocked_out, result.complete) == (D("50.0"), True, True)


@pytest.mark.parametrize(
    ("years", "code", "points"),
    [
        ("0", "experience_below_minimum", "0"),
        ("2.9", "experience_below_minimum", "0"),
        ("3", "experience_partial", "12.00"),
        ("3.5", "experience_partial", "14.00"),
        ("4.9", "experience_partial", "19.60"),
        ("5", "experience_full", "20"),
        ("25", "experience_full", "20"),
    ],
)
def test_experience_counts_up_to_the_full_credit_and_never_against_more(years, code, points):
    result = fit(
        MIDDLE_PARTNERSHIP, CandidateFacts(years=D(years), education_rank=2, education_level="higher_professional")
    )
    line = result.lines[0]
    assert (line.code, line.points) == (code, D(points))


@pytest.mark.parametrize(
    ("size", "group", "code", "points"),
    [
        (0, SOFTWARE, "client_base_none", "0"),
        (12, 3, "client_base_other_field", "0"),
        (12, None, "client_base_other_field", "0"),
        (1, SOFTWARE, "client_base_partial", "0.50"),
        (20, SOFTWARE, "client_base_full", "10.00"),
        (300, SOFTWARE, "client_base_full", "10.00"),
    ],
)
def test_own_client_base_counts_in_the_company_fields_up_to_the_target(size, group, code, points):
    candidate = CandidateFacts(
        years=D(5),
        education_rank=2,
        education_level="higher_professional",
        client_base_size=size,
        client_base_group=group,
    )
    line = fit(MIDDLE_PARTNERSHIP, candidate).lines[-1]
    assert (line.part, line.code, line.points) == ("client_base", code, D(points))


def test_a_profile_without_fields_counts_a_client_base_in_any_field():
    profile = ProfileFacts(
        min_experience=D(0),
        full_experience=D(0),
        min_education_rank=0,
        min_education="general",
        weights=Weights(experience=0, education=0, knowledge=0, qualities=0, client_base=10),
    )
    candidate = CandidateFacts(years=D(0), education_rank=0, education_level="general", client_base_size=5)
    result = fit(profile, candidate)
    assert lines_of(result) == [("client_base", "", "client_base_partial", D("2.50"), D(10), False)]
    assert result.score == D("25.0")


def test_a_perfect_candidate_scores_exactly_100_even_when_shares_do_not_divide_evenly():
    profile = ProfileFacts(
        min_experience=D(1),
        full_experience=D(1),
        min_education_rank=0,
        min_education="general",
        knowledge={"legislation": 5, "marketing": 5, "etiquette": 5},
        qualities={"commitment": 1, "courtesy": 1, "teamwork": 1},
        weights=Weights(experience=0, education=0, knowledge=35, qualities=25, client_base=0),
    )
    top = CandidateFacts(
        years=D(1),
        education_rank=0,
        education_level="general",
        knowledge={"legislation": D(5), "marketing": D(5), "etiquette": D(5)},
        qualities={"commitment": D(5), "courtesy": D(5), "teamwork": D(5)},
    )
    result = fit(profile, top)
    assert [line.max_points for line in result.lines] == [
        D("11.67"),
        D("11.67"),
        D("11.66"),
        D("8.34"),
        D("8.33"),
        D("8.33"),
    ]
    assert (result.points, result.score) == (D("60.00"), D("100.0"))


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [
        (35, [1, 1, 1], ["11.67", "11.67", "11.66"]),
        (25, [3, 2, 3, 2], ["7.5", "5", "7.5", "5"]),
        (10, [1, 1, 1, 1, 1, 1], ["1.67", "1.67", "1.67", "1.67", "1.66", "1.66"]),
        (1, [2, 1], ["0.67", "0.33"]),
    ],
)
def test_shares_are_whole_cents_that_add_up_to_the_weight(total, weights, shares):
    assert _split(total, weights) == [D(share) for share in shares]
    assert sum(_split(total, weights)) == total


def test_ranking_puts_knock_outs_last_then_orders_by_score_then_id():
    def result(score, knocked_out):
        from rapport.hiring.engine.fit import FitLine, FitResult

        line = FitLine("experience", "", "x", D(0), D(1), knockout=knocked_out)
        return FitResult(score=D(score), points=D(0), max_points=D(1), lines=(line,))

    results = {
        1: result("80", True),
        2: result("60", False),
        3: result("75", False),
        4: result("75", False),
        5: result("90", True),
    }
    assert rank(results) == [3, 4, 2, 5, 1]
