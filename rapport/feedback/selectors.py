"""Reads of ratings; every one that serves a user starts from the user's restricted queryset.

``rating_summaries`` and ``manager_rating`` are the figures compensation pays rating bonuses from: for a period
(both ends included; a rating counts on the day the client gave it, in the site's time zone) they give per manager
the count ``n``, the plain mean and the smoothed rating ``(C·m + Σ) ÷ (C + n)`` as exact Decimals. They read the
prior ``C`` and ``m`` from the settings and nothing else, so the same period always gives the same figures.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth

from rapport.feedback.filtersets import RatingFilterSet
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.periods import Period
from rapport.feedback.querysets import managers_with_visible_ratings
from rapport.feedback.smoothing import RatingSummary, summarise
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager

# The orders of the ratings table: key → (label for the URL, ORDER BY). Ties: more ratings first, then by name.
_BY_NAME = ("user__first_name", "user__last_name", "id")
SUMMARY_SORTS = {
    "-smoothed": (F("smoothed_order").desc(), "-rating_count", *_BY_NAME),
    "smoothed": (F("smoothed_order").asc(), "-rating_count", *_BY_NAME),
    "-count": ("-rating_count", F("smoothed_order").desc(), *_BY_NAME),
    "count": ("rating_count", F("smoothed_order").asc(), *_BY_NAME),
    "-mean": (F("mean_order").desc(nulls_last=True), "-rating_count", *_BY_NAME),
    "mean": (F("mean_order").asc(nulls_last=True), "-rating_count", *_BY_NAME),
    "name": _BY_NAME,
    "-name": ("-user__first_name", "-user__last_name", "-id"),
}
DEFAULT_SORT = "-smoothed"


def prior() -> tuple[Decimal, Decimal]:
    """The prior weight ``C`` and prior mean ``m`` of the smoothed rating, from the settings."""
    weight = Decimal(str(settings.RAPPORT["RATING_PRIOR_WEIGHT"]))
    mean = Decimal(str(settings.RAPPORT["RATING_PRIOR_MEAN"]))
    return weight, mean


def _in_period(period: Period, prefix: str = "") -> Q:
    lower, upper = period.bounds()
    return Q(**{f"{prefix}created_at__gte": lower, f"{prefix}created_at__lt": upper})


def _period(start: datetime.date, end: datetime.date) -> Period:
    if start > end:
        raise ValueError("The period cannot end before it starts.")
    return Period(start, end)


def rating_summary_rows(
    *,
    user,
    period: Period,
    manager_type: str = "",
    manager_ids=None,
    sort: str = DEFAULT_SORT,
) -> QuerySet:
    """The managers whose ratings ``user`` sees, each annotated with ``rating_count`` and ``rating_total`` in
    ``period`` (one grouped query), ordered by ``sort`` (a key of ``SUMMARY_SORTS``). Dismissed managers without
    ratings in the period are left out unless asked for by id. ``summary_of(row)`` gives a row's exact figures;
    the annotations ``smoothed_order`` and ``mean_order`` are floats for ordering only."""
    weight, mean = prior()
    in_period = _in_period(period, "ratings__")
    rows = managers_with_visible_ratings(user).select_related("user")
    if manager_type:
        rows = rows.filter(manager_type=manager_type)
    rows = rows.annotate(
        rating_count=Count("ratings", filter=in_period),
        rating_total=Coalesce(Sum("ratings__stars", filter=in_period), 0),
    )
    if manager_ids is not None:
        rows = rows.filter(pk__in=list(manager_ids))
    else:
        rows = rows.filter(Q(rating_count__gt=0) | ~Q(employment_status=EmploymentStatus.DISMISSED))
    total, count = Cast(F("rating_total"), FloatField()), Cast(F("rating_count"), FloatField())
    rows = rows.annotate(
        smoothed_order=Case(
            When(rating_count=0, then=Value(float(mean))),
            default=(Value(float(weight * mean)) + total) / (Value(float(weight)) + count),
            output_field=FloatField(),
        ),
        mean_order=Case(When(rating_count=0, then=None), default=total / count, output_field=FloatField()),
    )
    return rows.order_by(*SUMMARY_SORTS.get(sort, SUMMARY_SORTS[DEFAULT_SORT]))


def summary_of(row: ClientManager) -> RatingSummary:
    """The exact figures of a row of ``rating_summary_rows``."""
    weight, mean = prior()
    return summarise(total=row.rating_total, count=row.rating_count, prior_weight=weight, prior_mean=mean)


def rating_summaries(*, user, start: datetime.date, end: datetime.date, manager_ids=None) -> dict[int, RatingSummary]:
    """Per manager id, the ratings ``user`` may see from ``start`` to ``end`` (both included) as a RatingSummary;
    managers without ratings have count 0 and the prior mean. With ``manager_ids`` only those managers (as far as
    ``user`` sees them), else every manager whose ratings ``user`` sees (dismissed ones only if rated in the
    period). One grouped query."""
    rows = rating_summary_rows(user=user, period=_period(start, end), manager_ids=manager_ids, sort="name")
    return {row.pk: summary_of(row) for row in rows}


def manager_rating(*, manager: ClientManager, start: datetime.date, end: datetime.date) -> RatingSummary:
    """One manager's ratings from ``start`` to ``end`` (both included). Not restricted to a viewer: the caller
    decides who may see it (compensation computes it for statements; the UI only for visible managers)."""
    figures = Rating.objects.filter(_in_period(_period(start, end)), manager=manager).aggregate(
        count=Count("id"), total=Coalesce(Sum("stars"), 0)
    )
    weight, mean = prior()
    return summarise(total=figures["total"], count=figures["count"], prior_weight=weight, prior_mean=mean)


def monthly_rating_summaries(
    *, user, start: datetime.date, end: datetime.date, manager_ids=None
) -> dict[int, dict[datetime.date, RatingSummary]]:
    """Per manager id and calendar month (its first day) from ``start`` to ``end``, the ratings ``user`` may see as
    a RatingSummary — the same figures ``rating_summaries`` gives for that month alone. Months without ratings are
    left out. One grouped query; months are cut in the site's time zone, as everywhere."""
    lower, upper = _period(start, end).bounds()
    ratings = Rating.objects.visible_to(user).filter(created_at__gte=lower, created_at__lt=upper)
    if manager_ids is not None:
        ratings = ratings.filter(manager_id__in=list(manager_ids))
    grouped = (
        ratings.annotate(month=TruncMonth("created_at"))
        .order_by()
        .values("manager_id", "month")
        .annotate(count=Count("id"), total=Sum("stars"))
    )
    weight, mean = prior()
    result: dict[int, dict[datetime.date, RatingSummary]] = {}
    for row in grouped:
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        result.setdefault(row["manager_id"], {})[month] = summarise(
            total=row["total"], count=row["count"], prior_weight=weight, prior_mean=mean
        )
    return result


def rated_manager_get(*, user, pk) -> ClientManager:
    """A manager whose ratings ``user`` sees (``ClientManager.DoesNotExist`` otherwise)."""
    return managers_with_visible_ratings(user).select_related("user").get(pk=pk)


def rating_list(*, user, filters: dict | None = None, request=None) -> QuerySet:
    """The ratings ``user`` may see, filtered by ``filters`` (the keys of ``RatingFilterSet``), newest first, with
    what was rated. A filter with an invalid value is left out; the others apply."""
    queryset = Rating.objects.visible_to(user).select_related(
        "manager__user", "client", "request__case", "request__interaction"
    )
    filterset = RatingFilterSet(data=filters or {}, queryset=queryset, request=request or _FakeRequest(user))
    return filterset.qs.order_by("-created_at", "-id")


def manager_ratings(*, user, manager: ClientManager, period: Period) -> QuerySet:
    """The ratings of ``manager`` in ``period`` that ``user`` may see, newest first, with what was rated."""
    return (
        Rating.objects.visible_to(user)
        .filter(_in_period(period), manager=manager)
        .select_related("client", "request__case", "request__interaction")
        .order_by("-created_at", "-id")
    )


def rating_request_list(*, user) -> QuerySet:
    """The rating requests ``user`` may see, newest first."""
    return (
        RatingRequest.objects.visible_to(user).select_related("client", "manager__user").order_by("-created_at", "-id")
    )


class _FakeRequest:
    """django-filter asks the request for the user when it builds choice querysets."""

    def __init__(self, user):
        self.user = user
