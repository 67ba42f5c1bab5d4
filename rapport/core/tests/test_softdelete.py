"""The restore window of soft-deleted rows (``rapport.core.softdelete``)."""

import datetime

import pytest

from rapport.core.softdelete import days_left, purge_cutoff, restore_deadline

DELETED_AT = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("after", "left"),
    [
        (datetime.timedelta(0), 15),
        (SECOND, 15),
        (DAY, 14),
        (DAY + SECOND, 14),
        (14 * DAY, 1),
        (15 * DAY - SECOND, 1),
        (15 * DAY, 0),
        (20 * DAY, 0),
    ],
)
def test_days_left_count_a_started_day(after, left):
    assert days_left(DELETED_AT, DELETED_AT + after) == left


def test_the_window_follows_the_setting(settings):
    settings.RAPPORT = {**settings.RAPPORT, "RESTORE_DAYS": 3}
    assert restore_deadline(DELETED_AT) == DELETED_AT + 3 * DAY
    assert purge_cutoff(DELETED_AT + 3 * DAY) == DELETED_AT
    assert days_left(DELETED_AT, DELETED_AT) == 3
