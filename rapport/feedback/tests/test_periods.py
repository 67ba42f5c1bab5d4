"""Rating periods (pure): months, ranges, the defaults and the refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from rapport.feedback.periods import Period, month_period, period_from

D = datetime.date


@pytest.mark.parametrize(
    ("year", "month", "start", "end"),
    [
        (2026, 2, D(2026, 2, 1), D(2026, 2, 28)),
        (2024, 2, D(2024, 2, 1), D(2024, 2, 29)),
        (2026, 12, D(2026, 12, 1), D(2026, 12, 31)),
    ],
)
def test_month_period(year, month, start, end):
    assert month_period(year, month) == Period(start, end)
    assert month_period(year, month).month == f"{year}-{month:02d}"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, Period(D(2026, 11, 1), D(2026, 11, 30))),  # nothing: the current month
        ({"month": "2026-03"}, Period(D(2026, 3, 1), D(2026, 3, 31))),
        ({"month": "2026-03", "start": D(2020, 1, 1)}, Period(D(2026, 3, 1), D(2026, 3, 31))),  # a month wins
        ({"start": D(2026, 1, 5), "end": D(2026, 2, 3)}, Period(D(2026, 1, 5), D(2026, 2, 3))),
        ({"start": D(2026, 10, 1)}, Period(D(2026, 10, 1), D(2026, 11, 27))),  # open end: up to today
    ],
)
def test_period_from(query, expected):
    assert period_from(today=D(2026, 11, 27), **query) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "March"}, "month"),
        ({"end": D(2026, 1, 1)}, "start"),
        ({"start": D(2026, 2, 1), "end": D(2026, 1, 1)}, "end"),
    ],
)
def test_period_from_refuses(query, field):
    with pytest.raises(ValidationError) as exc:
        period_from(today=D(2026, 11, 27), **query)
    assert list(exc.value.error_dict) == [field]
    assert exc.value.error_dict[field][0].code == "period_invalid"


def test_bounds_are_local_midnights_end_excluded():
    lower, upper = Period(D(2026, 3, 1), D(2026, 3, 31)).bounds()
    assert (lower.isoformat(), upper.isoformat()) == ("2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00")
