"""Pages of ratings: the client's public rating page, the ratings table and a manager's ratings.

The rating page needs no login: the link's token is the client's only credential. It speaks the language of the
rating request (the browser's language when the link names no request), is never cached, never sends the link to
another site as a referrer, and answers unknown links with 404 and used or expired ones with 410, each with a page
that says why. Opening it never uses the link up; only a submitted rating does.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from rapport.accounts import roles
from rapport.core.forms import add_service_errors
from rapport.core.htmx import htmx_partial
from rapport.core.pagination import page_from_request
from rapport.feedback import selectors, services
from rapport.feedback.choices import LinkState
from rapport.feedback.forms import STAR_MEANINGS, PeriodForm, RatingForm, RatingTableForm
from rapport.feedback.periods import current_month
from rapport.feedback.querysets import sees_all_ratings
from rapport.managers.models import ClientManager

LINK_STATUS = {LinkState.INVALID: 404, LinkState.USED: 410, LinkState.EXPIRED: 410}


def _private(view):
    """Keep a page holding a one-time link out of caches, referrers and search engines."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


# The page with the rating form keeps the link from other sites too, but not from this one: under "no-referrer"
# browsers send "Origin: null" with the form's POST (and no Referer), which Django's CSRF check rightly refuses.
# The page loads nothing from elsewhere and links nowhere, so the link still never leaves the site.
FORM_REFERRER_POLICY = "same-origin"


def _star_options(form: RatingForm) -> list[dict]:
    chosen = str(form["stars"].value() or "")
    return [
        {"value": n, "meaning": meaning, "glyphs": "★" * n + "☆" * (5 - n), "checked": chosen == str(n)}
        for n, meaning in STAR_MEANINGS.items()
    ]


def _closed(request, link: services.Link):
    """The page of a link that cannot be used, with the status that says why."""
    context = {"state": link.state, "rating_request": link.request, "states": LinkState}
    return render(request, "feedback/rate_closed.html", context, status=LINK_STATUS[link.state])


def _rate(request, token: str, link: services.Link):
    if link.state != LinkState.VALID:
        return _closed(request, link)
    form = RatingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            rating = services.rating_submit(token=token, **form.cleaned_data)
        except ValidationError as exc:
            state = services.LINK_STATE_OF_ERROR.get(getattr(exc, "code", None))
            if state is not None:  # used or expired between the page and the click
                return _closed(request, services.link_lookup(token))
            add_service_errors(form, exc)
        else:
            return render(request, "feedback/rate_thanks.html", {"rating": rating, "rating_request": link.request})
    context = {"form": form, "rating_request": link.request, "star_options": _star_options(form)}
    response = render(request, "feedback/rate.html", context)
    response["Referrer-Policy"] = FORM_REFERRER_POLICY
    return response


@require_http_methods(["GET", "POST"])
@_private
def rate(request, token):
    """The client's rating page behind a one-time link: GET shows it, POST takes the rating."""
    link = services.link_lookup(token)
    language = services.message_language(link.request.language) if link.request else translation.get_language()
    with translation.override(language):
        response = _rate(request, token, link)
    response["Content-Language"] = language
    return response


@login_required
@require_GET
def rating_table(request):
    """Management's ratings table: per manager the count, the plain mean and the smoothed rating for a month or a
    range of days; filter by manager type; ordered by the smoothed rating unless told otherwise."""
    if not sees_all_ratings(request.user):
        raise PermissionDenied
    form = RatingTableForm(request.GET)
    period = form.period() or current_month()
    rows = selectors.rating_summary_rows(
        user=request.user,
        period=period,
        manager_type=form.cleaned_data.get("manager_type", ""),
        sort=form.sort_key(),
    )
    context = {"form": form, "period": period, **page_from_request(request, rows)}
    for row in context["page"].object_list:
        row.summary = selectors.summary_of(row)
    context["prior_weight"], context["prior_mean"] = selectors.prior()
    context["sort_links"] = _sort_links(form.sort_key())
    context["sort_query"] = _query(request, drop=("sort", "page"))
    context["period_query"] = _query(request, keep=("month", "start", "end"))
    template = htmx_partial(request, "feedback/rating_table.html", "feedback/_rating_table_results.html")
    return render(request, template, context)


# Sortable columns of the ratings table and the order a first click gives.
SORT_COLUMNS = {"name": "name", "count": "-count", "mean": "-mean", "smoothed": "-smoothed"}


def _sort_links(sort: str) -> dict:
    """Per column: the order its header link asks for (the first order, or the reverse of the current one) and
    the column's current direction for ``aria-sort``."""
    links = {}
    for column, first in SORT_COLUMNS.items():
        reverse = first[1:] if first.startswith("-") else f"-{first}"
        state = None
        if sort in (first, reverse):
            state = "descending" if sort.startswith("-") else "ascending"
        links[column] = {"sort": reverse if sort == first else first, "state": state}
    return links


def _query(request, *, drop=(), keep=None) -> str:
    """The request's query string without ``drop`` (or with only ``keep``), for links that change one thing."""
    query = request.GET.copy()
    for name in list(query):
        if name in drop or (keep is not None and name not in keep):
            query.pop(name)
    return query.urlencode()


def _ratings_page(request, manager: ClientManager, *, mine: bool):
    form = PeriodForm(request.GET)
    period = form.period() or current_month()
    ratings = selectors.manager_ratings(user=request.user, manager=manager, period=period)
    context = {
        "form": form,
        "manager": manager,
        "mine": mine,
        "period": period,
        "summary": selectors.manager_rating(manager=manager, start=period.start, end=period.end),
        **page_from_request(request, ratings),
    }
    context["prior_weight"], context["prior_mean"] = selectors.prior()
    template = htmx_partial(request, "feedback/manager_ratings.html", "feedback/_manager_rating_results.html")
    return render(request, template, context)


@login_required
@require_GET
def my_ratings(request):
    """A client manager's own ratings in a period: each with stars, comment, date and what was rated, and their
    smoothed rating with the count."""
    manager = ClientManager.objects.filter(user_id=request.user.pk).select_related("user").first()
    if manager is None or not roles.is_client_manager(request.user):
        raise PermissionDenied
    return _ratings_page(request, manager, mine=True)


@login_required
@require_GET
def manager_ratings(request, pk):
    """One manager's ratings, for those who see them (Management and Payroll; a manager only their own)."""
    try:
        manager = selectors.rated_manager_get(user=request.user, pk=pk)
    except ClientManager.DoesNotExist as exc:
        raise Http404 from exc
    return _ratings_page(request, manager, mine=manager.user_id == request.user.pk)
