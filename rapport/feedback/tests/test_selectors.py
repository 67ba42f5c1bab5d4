"""Rating summaries: set-based, per period, smoothed with the settings' prior, restricted to what a user sees."""

import datetime
from decimal import Decimal

import pytest

from rapport.accounts.roles import Role
from rapport.core.testing import make_manager, make_user
from rapport.feedback import selectors
from rapport.feedback.periods import month_period
from rapport.feedback.smoothing import RatingSummary
from rapport.managers.choices import EmploymentStatus, ManagerType

pytestmark = pytest.mark.django_db

D = datetime.date
BUDAPEST = datetime.timezone(datetime.timedelta(hours=1))


def at(day: int, hour: int = 12, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=BUDAPEST)


@pytest.fixture
def rated():
    """Anna: 5, 5, 2 in March; Bence: 4 in March and 1 in February; Csilla: none; Dezső (dismissed): none."""
    from rapport.feedback.tests.factories import make_rating

    anna = make_manager(manager_type=ManagerType.ADVICE)
    bence = make_manager(manager_type=ManagerType.DECISION)
    csilla = make_manager(manager_type=ManagerType.ADVICE)
    dezso = make_manager(employment_status=EmploymentStatus.DISMISSED)
    for stars, day in [(5, 1), (5, 15), (2, 31)]:
        make_rating(anna, stars, at=at(day))
    make_rating(bence, 4, at=at(10))
    make_rating(bence, 1, at=at(28, month=2))
    return anna, bence, csilla, dezso


def test_rating_summaries_for_a_month(rated, management, django_assert_num_queries):
    anna, bence, csilla, _dezso = rated
    # when Management asks for March / then the user's roles and one grouped query; every manager but the
    # dismissed one without ratings
    with django_assert_num_queries(2):
        summaries = selectors.rating_summaries(user=management, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert summaries == {
        anna.pk: RatingSummary(count=3, total=12, mean=Decimal(4), smoothed=Decimal(4)),  # (20 + 12) ÷ 8
        bence.pk: RatingSummary(count=1, total=4, mean=Decimal(4), smoothed=Decimal(4)),  # (20 + 4) ÷ 6
        csilla.pk: RatingSummary(count=0, total=0, mean=None, smoothed=Decimal("4.0")),
    }


def test_period_edges_are_local_days(rated, management):
    anna, *_ = rated
    # the rating at 12:00 on 31 March is in a period ending on 31 March and not in one ending on 30 March
    assert selectors.rating_summaries(user=management, start=D(2026, 3, 31), end=D(2026, 3, 31))[anna.pk].count == 1
    assert selectors.rating_summaries(user=management, start=D(2026, 3, 2), end=D(2026, 3, 30))[anna.pk].count == 1


def test_prior_comes_from_the_settings(rated, management, settings):
    anna, *_ = rated
    settings.RAPPORT = {**settings.RAPPORT, "RATING_PRIOR_WEIGHT": 2, "RATING_PRIOR_MEAN": "3.0"}
    summary = selectors.manager_rating(manager=anna, start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert summary.smoothed == Decimal("3.6")  # (2·3 + 12) ÷ 5


def test_manager_ids_pick_managers_even_dismissed(rated, management):
    anna, _bence, _csilla, dezso = rated
    summaries = selectors.rating_summaries(
        user=management, start=D(2026, 2, 1), end=D(2026, 2, 28), manager_ids=[anna.pk, dezso.pk]
    )
    assert {pk: s.count for pk, s in summaries.items()} == {anna.pk: 0, dezso.pk: 0}


def test_a_manager_sees_only_their_own_summary(rated):
    anna, bence, *_ = rated
    summaries = selectors.rating_summaries(
        user=anna.user, start=D(2026, 3, 1), end=D(2026, 3, 31), manager_ids=[anna.pk, bence.pk]
    )
    assert list(summaries) == [anna.pk]


@pytest.mark.parametrize("role", [Role.HR, None])
def test_others_see_no_summaries(rated, role):
    user = make_user(role) if role else make_user()
    assert selectors.rating_summaries(user=user, start=D(2026, 1, 1), end=D(2026, 12, 31)) == {}


def test_payroll_sees_every_summary(rated, payroll):
    summaries = selectors.rating_summaries(user=payroll, start=D(2026, 2, 1), end=D(2026, 3, 31))
    assert sorted(s.count for s in summaries.values()) == [0, 2, 3]


def test_manager_rating_of_one_manager(rated):
    _anna, bence, *_ = rated
    assert selectors.manager_rating(manager=bence, start=D(2026, 2, 1), end=D(2026, 3, 31)) == RatingSummary(
        count=2, total=5, mean=Decimal("2.5"), smoothed=Decimal(25) / Decimal(7)
    )


def test_rows_sort_by_smoothed_then_count_and_filter_by_type(rated, management):
    anna, bence, csilla, _ = rated
    march = month_period(2026, 3)
    rows = selectors.rating_summary_rows(user=management, period=march)
    # Anna and Bence both 4.0 smoothed: more ratings first; Csilla has the prior 4.0 and no ratings
    assert [row.pk for row in rows] == [anna.pk, bence.pk, csilla.pk]
    advice = selectors.rating_summary_rows(
        user=management, period=march, manager_type=ManagerType.ADVICE, sort="-count"
    )
    assert [row.pk for row in advice] == [anna.pk, csilla.pk]
    february = selectors.rating_summary_rows(user=management, period=month_period(2026, 2), sort="smoothed")
    assert (february[0].pk, february[0].rating_count) == (bence.pk, 1)  # (20 + 1) ÷ 6 = 3.5


def test_a_period_ending_before_it_starts_is_refused(management):
    with pytest.raises(ValueError):
        selectors.rating_summaries(user=management, start=D(2026, 3, 2), end=D(2026, 3, 1))
