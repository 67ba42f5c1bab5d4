"""The smoothed rating (pure): exact values, the prior with no ratings, and the bounds it always keeps."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.feedback.smoothing import shown, smoothed_rating, summarise


@pytest.mark.parametrize(
    ("ratings", "weight", "mean", "smoothed"),
    [
        ([5, 5, 2], 5, "4.0", Decimal("4")),  # (5·4 + 12) ÷ (5 + 3) = 32 ÷ 8
        ([], 5, "4.0", Decimal("4.0")),  # no ratings: the prior mean
        ([5], 5, "4.0", Decimal("25") / Decimal("6")),  # one 5 moves a newcomer only a little
        ([1, 1, 1, 1, 1], 5, "4.0", Decimal("2.5")),  # (20 + 5) ÷ 10
        ([3, 4], 0, "4.0", Decimal("3.5")),  # no prior weight: the plain mean
        ([], 0, "3.5", Decimal("3.5")),  # no weight, no ratings: still the prior mean, never a division by 0
        ([5] * 95, 5, "4.0", Decimal("4.95")),  # (20 + 475) ÷ 100
    ],
)
def test_smoothed_rating_exact_values(ratings, weight, mean, smoothed):
    # given ratings and a prior / when smoothed / then the exact value
    result = smoothed_rating(total=sum(ratings), count=len(ratings), prior_weight=weight, prior_mean=Decimal(mean))
    assert result == smoothed


def test_summary_has_count_mean_and_smoothed():
    summary = summarise(total=12, count=3, prior_weight=5, prior_mean=Decimal("4.0"))
    assert (summary.count, summary.total, summary.mean, summary.smoothed) == (3, 12, Decimal(4), Decimal(4))
    empty = summarise(total=0, count=0, prior_weight=5, prior_mean=Decimal("4.0"))
    assert (empty.count, empty.mean, empty.smoothed, empty.mean_shown) == (0, None, Decimal("4.0"), None)


def test_shown_rounds_half_up_to_two_decimals():
    assert shown(Decimal("25") / Decimal("6")) == Decimal("4.17")
    assert shown(Decimal("4.125")) == Decimal("4.13")
    assert shown(None) is None


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        smoothed_rating(total=-1, count=1, prior_weight=5, prior_mean=Decimal(4))
    with pytest.raises(ValueError):
        smoothed_rating(total=1, count=1, prior_weight=-5, prior_mean=Decimal(4))


@given(
    ratings=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200),
    weight=st.integers(min_value=0, max_value=50),
    mean=st.decimals(min_value=1, max_value=5, places=2),
)
def test_smoothed_lies_between_prior_mean_and_plain_mean(ratings, weight, mean):
    # given any ratings and any prior / when smoothed
    plain = Decimal(sum(ratings)) / len(ratings)
    smoothed = smoothed_rating(total=sum(ratings), count=len(ratings), prior_weight=weight, prior_mean=mean)
    # then it lies between the prior mean and the plain mean (both included)
    assert min(mean, plain) <= smoothed <= max(mean, plain)


@given(
    ratings=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=50),
    extra=st.integers(min_value=1, max_value=5),
)
def test_one_more_rating_moves_the_smoothed_value_towards_it(ratings, extra):
    before = smoothed_rating(total=sum(ratings), count=len(ratings), prior_weight=5, prior_mean=Decimal(4))
    after = smoothed_rating(total=sum(ratings) + extra, count=len(ratings) + 1, prior_weight=5, prior_mean=Decimal(4))
    assert min(before, Decimal(extra)) <= after <= max(before, Decimal(extra))
