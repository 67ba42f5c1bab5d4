"""The panels insight adds to a manager's workspace ("My work"): portfolio against capacity, open opportunities by
stage, ratings, and the current month's pay so far. Each shows the signed-in manager's own figures only."""

from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.compensation.selectors import my_month_estimate
from rapport.feedback import selectors as rating_selectors
from rapport.feedback.smoothing import summarise
from rapport.insight.filters import add_months, month_end, month_start
from rapport.pipeline.choices import OPEN_STAGES, Stage
from rapport.pipeline.models import Opportunity


def portfolio(request, manager) -> dict | None:
    """My clients against my capacity (personal-mode managers)."""
    if not manager.is_personal:
        return None
    counts = Assignment.objects.visible_to(request.user).filter(manager=manager, end_date__isnull=True)
    counts = counts.aggregate(clients=Count("id"), vip=Count("id", filter=Q(client__is_vip=True)))
    capacity = manager.capacity or 0
    utilisation = Decimal(counts["clients"]) / Decimal(capacity) if capacity else None
    return {
        "template": "insight/myday/_portfolio.html",
        "clients": counts["clients"],
        "vip": counts["vip"],
        "capacity": capacity,
        "utilisation": utilisation,
        "link": reverse("clients:list") + f"?manager={manager.pk}",
    }


def opportunities(request, manager) -> dict | None:
    """My open opportunities per stage."""
    counts = dict(
        Opportunity.objects.visible_to(request.user)
        .filter(manager=manager, stage__in=OPEN_STAGES)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    board = reverse("pipeline:board")
    return {
        "template": "insight/myday/_opportunities.html",
        "stages": [(Stage(stage).label, counts.get(stage, 0)) for stage in OPEN_STAGES],
        "total": sum(counts.values()),
        "link": board,
    }


def ratings(request, manager) -> dict | None:
    """My smoothed rating this month and over the last three months."""
    today = timezone.localdate()
    this_month = month_start(today)
    first = add_months(this_month, -2)
    monthly = rating_selectors.monthly_rating_summaries(
        user=request.user, start=first, end=month_end(this_month), manager_ids=[manager.pk]
    ).get(manager.pk, {})
    # the three months together from the months' sums: the same figures as one summary of the whole range
    count, total = sum(s.count for s in monthly.values()), sum(s.total for s in monthly.values())
    weight, mean = rating_selectors.prior()
    whole = summarise(total=total, count=count, prior_weight=weight, prior_mean=mean) if count else None
    months = [(add_months(first, n), monthly.get(add_months(first, n))) for n in range(3)]
    return {
        "template": "insight/myday/_ratings.html",
        "months": months,
        "whole": whole,
        "link": reverse("feedback:mine"),
    }


def pay(request, manager) -> dict | None:
    """My current month's statement so far (computed now, nothing saved); none without a plan."""
    estimate = my_month_estimate(user=request.user, manager=manager, month=timezone.localdate())
    if estimate is None:
        return None
    return {"template": "insight/myday/_pay.html", "estimate": estimate, "link": reverse("compensation:my_pay")}


PANELS = (portfolio, opportunities, ratings, pay)
