"""Rating periods: a calendar month or a range of days, both ends included.

A rating counts in the period in which the client gave it (``Rating.created_at``), read in the site's time zone,
so a month's ratings are the same whoever asks and whenever. The UI, the API and compensation share these rules.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.feedback.errors import RatingError

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included."""

    start: datetime.date
    end: datetime.date

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes: from the start of ``start`` to (not including) the day after ``end``."""
        zone = timezone.get_default_timezone()
        lower = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        upper = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
        return lower, upper

    @property
    def month(self) -> str | None:
        """``YYYY-MM`` when the period is exactly one calendar month, else None."""
        if self.start.day == 1 and self.end == month_period(self.start.year, self.start.month).end:
            return f"{self.start:%Y-%m}"
        return None


def month_period(year: int, month: int) -> Period:
    """The calendar month ``year``-``month``."""
    start = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return Period(start, following - datetime.timedelta(days=1))


def current_month(today: datetime.date | None = None) -> Period:
    """The month of ``today`` (the site's today unless given)."""
    today = today or timezone.localdate()
    return month_period(today.year, today.month)


def parse_month(value: str) -> Period:
    """``YYYY-MM`` as a Period; refuses anything else."""
    match = MONTH_PATTERN.match(value.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise refuse(RatingError.PERIOD_INVALID, _("Give the month as YYYY-MM."), field="month")
    return month_period(int(match.group(1)), int(match.group(2)))


def period_from(
    *,
    month: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Period:
    """The period a filter asks for: a month wins; else a range (an open end runs to today); nothing at all is the
    current month. Refuses an end without a start and a start after the end."""
    today = today or timezone.localdate()
    if month:
        return parse_month(month)
    if start is None and end is None:
        return current_month(today)
    if start is None:
        raise refuse(RatingError.PERIOD_INVALID, _("Give the first day of the period too."), field="start")
    end = end or max(today, start)
    if start > end:
        raise refuse(RatingError.PERIOD_INVALID, _("The period cannot end before it starts."), field="end")
    return Period(start, end)
