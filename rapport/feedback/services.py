"""Writes of ratings: asking a client for a rating, sending the link, taking the rating.

No survey fatigue and no gaming: one request per case however often it is reopened, at most one request per client
in ``RATING_MIN_DAYS_BETWEEN`` days across cases and interactions, and the rating belongs to the manager who did
the work (the one who resolved the case or logged the interaction), fixed when the request is made. A client whose
latest word on satisfaction surveys (``rapport.consent``) is a withdrawal is not asked, and is not sent a link.

A request is made inside the caller's transaction; its e-mail goes out after the commit (a background task). If
sending fails, the request stays unsent and ``manage.py ratings send-pending`` sends it later (within the link's
lifetime). Opening a link (GET) never uses it up, so mail scanners that follow links do no harm; only a submitted
rating does.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.cases.choices import CaseEventKind
from rapport.cases.models import CaseEvent
from rapport.clients.models import Client
from rapport.consent.choices import PurposeCode
from rapport.consent.selectors import has_withdrawn
from rapport.core.errors import refuse
from rapport.feedback.choices import LinkState, RequestSubject
from rapport.feedback.errors import RatingError
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.tokens import new_token, token_hash

logger = logging.getLogger(__name__)

COMMENT_MAX_LENGTH = Rating._meta.get_field("comment").max_length


def _setting(name: str):
    return settings.RAPPORT[name]


def message_language(code: str | None) -> str:
    """The supported language closest to ``code`` (a request's language), else the site's default."""
    try:
        return translation.get_supported_language_variant(code or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _recently_asked(client_id: int, now: datetime.datetime) -> bool:
    since = now - datetime.timedelta(days=_setting("RATING_MIN_DAYS_BETWEEN"))
    return RatingRequest.objects.filter(client_id=client_id, created_at__gt=since).exists()


def _may_ask(client, now: datetime.datetime, **subject) -> bool:
    """Whether the client may be asked about ``subject`` now. Locks the client's row so that two requests made
    at the same moment (a case and an interaction) cannot both pass the interval check."""
    if not client.email or has_withdrawn(client, PurposeCode.SATISFACTION_SURVEYS):
        return False
    Client.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True).first()
    return not RatingRequest.objects.filter(**subject).exists() and not _recently_asked(client.pk, now)


def _create(*, client, manager, now, **subject) -> RatingRequest | None:
    request = RatingRequest(
        client=client,
        manager=manager,
        email=client.email,
        language=message_language(client.message_language),
        created_at=now,
        **subject,
    )
    request.full_clean()
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        # A concurrent request for the same case or interaction won the race; one request is enough.
        return None
    transaction.on_commit(lambda: _enqueue(request.pk))
    return request


def _enqueue(request_id: int) -> None:
    from rapport.feedback.tasks import send_rating_request

    send_rating_request.enqueue(request_id)


@transaction.atomic
def rating_request_for_case(*, case, actor=None) -> RatingRequest | None:
    """Ask the client of a just-resolved ``case`` to rate the manager who resolved it; the e-mail goes out after
    the transaction commits. Returns None (and asks nothing) when the case was already the subject of a request
    (however often it was reopened), the client has no e-mail address, or the client was asked within the minimum
    interval."""
    now = timezone.now()
    client = case.client
    if case.resolved_by_id is None or not _may_ask(client, now, case=case):
        return None
    request = _create(client=client, manager=case.resolved_by, now=now, subject=RequestSubject.CASE, case=case)
    if request is not None:
        CaseEvent.objects.create(
            case=case, kind=CaseEventKind.RATING_REQUESTED, at=now, actor=actor, manager=case.resolved_by
        )
    return request


@transaction.atomic
def rating_request_for_interaction(*, interaction) -> RatingRequest | None:
    """Ask the client of ``interaction`` to rate the manager who had it (optional, chosen when logging it); same
    limits as for cases."""
    now = timezone.now()
    client = interaction.client
    if not _may_ask(client, now, interaction=interaction):
        return None
    return _create(
        client=client,
        manager=interaction.manager,
        now=now,
        subject=RequestSubject.INTERACTION,
        interaction=interaction,
    )


def rating_link(token: str) -> str:
    """The absolute address of the rating page for ``token``."""
    return _setting("BASE_URL").rstrip("/") + reverse("feedback:rate", args=[token])


@transaction.atomic
def rating_request_send(*, request: RatingRequest) -> str:
    """Make the request's one-time token, store its hash and expiry, and e-mail the link in the client's
    language. Sending again (a lost e-mail) makes a new token, so an earlier link stops working. If the e-mail
    cannot be sent, nothing is stored and the error is raised. Returns the link (for the caller's log only; it is
    not stored)."""
    request = (
        RatingRequest.objects.select_for_update(of=("self",))
        .select_related("manager__user", "case", "interaction")
        .get(pk=request.pk)
    )
    if request.used_at is not None:
        raise refuse(RatingError.LINK_USED, _("The client has already given this rating."))
    if has_withdrawn(request.client, PurposeCode.SATISFACTION_SURVEYS):
        raise refuse(RatingError.CONSENT_WITHDRAWN, _("The client has withdrawn consent to rating requests."))
    token = new_token()
    now = timezone.now()
    request.token_hash = token_hash(token)
    request.sent_at = now
    request.expires_at = now + datetime.timedelta(days=_setting("RATING_LINK_DAYS"))
    request.save(update_fields=["token_hash", "sent_at", "expires_at"])
    link = rating_link(token)
    with translation.override(message_language(request.language)):
        context = {"rating_request": request, "link": link, "manager": request.manager.name}
        subject = _("How did %(manager)s do? Rate your manager") % {"manager": request.manager.name}
        body = render_to_string("feedback/email/rating_request.txt", context)
    send_mail(subject, body, None, [request.email], fail_silently=False)
    return link


@dataclass
class SendReport:
    """What ``rating_requests_send_pending`` did: the requests sent (or that would be) and those that failed."""

    sent: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def rating_requests_pending(*, now: datetime.datetime | None = None):
    """Requests never sent, not used, and made recently enough that a link would still be worth sending."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=_setting("RATING_LINK_DAYS"))
    return RatingRequest.objects.filter(sent_at__isnull=True, used_at__isnull=True, created_at__gte=since).order_by(
        "created_at", "id"
    )


def rating_requests_send_pending(*, dry_run: bool = False) -> SendReport:
    """Send every pending request (see ``rating_requests_pending``), each on its own: a failed e-mail is logged and
    reported, and the others still go out. With ``dry_run`` nothing is sent; the report lists what would be."""
    report = SendReport()
    for request in rating_requests_pending():
        if dry_run:
            report.sent.append(request.pk)
            continue
        try:
            rating_request_send(request=request)
        except Exception as exc:  # one bad address or a mail server hiccup must not stop the others
            logger.exception("Rating request %s could not be sent", request.pk)
            report.failed.append((request.pk, str(exc) or exc.__class__.__name__))
        else:
            report.sent.append(request.pk)
    return report


@dataclass(frozen=True)
class Link:
    """What a token opens: its state and, when it names a request, the request."""

    state: LinkState
    request: RatingRequest | None = None


def link_lookup(token: str, *, for_update: bool = False) -> Link:
    """Resolve a token from a link: invalid (unknown or tampered), used, expired, or valid."""
    if not token or len(token) > 200:
        return Link(LinkState.INVALID)
    queryset = RatingRequest.objects.select_related("client", "manager__user", "case", "interaction")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    request = queryset.filter(token_hash=token_hash(token), sent_at__isnull=False).first()
    if request is None:
        return Link(LinkState.INVALID)
    if request.used_at is not None:
        return Link(LinkState.USED, request)
    if request.expires_at <= timezone.now():
        return Link(LinkState.EXPIRED, request)
    return Link(LinkState.VALID, request)


# The link state behind each refusal of ``rating_submit``, for pages that show the state rather than the error.
LINK_STATE_OF_ERROR = {
    RatingError.LINK_INVALID: LinkState.INVALID,
    RatingError.LINK_USED: LinkState.USED,
    RatingError.LINK_EXPIRED: LinkState.EXPIRED,
}


@transaction.atomic
def rating_submit(*, token: str, stars: int, comment: str = "") -> Rating:
    """Take the client's rating through a valid link; the link is used up at once. The rating belongs to the
    manager named on the request (who did the work), whoever handles the client now."""
    link = link_lookup(token, for_update=True)
    if link.state == LinkState.INVALID:
        raise refuse(RatingError.LINK_INVALID, _("This rating link is not valid."))
    if link.state == LinkState.USED:
        raise refuse(RatingError.LINK_USED, _("This rating link has already been used."))
    if link.state == LinkState.EXPIRED:
        raise refuse(RatingError.LINK_EXPIRED, _("This rating link has expired."))
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        raise refuse(RatingError.STARS_OUT_OF_RANGE, _("Choose from 1 to 5 stars."), field="stars")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise refuse(
            RatingError.COMMENT_TOO_LONG,
            _("Please keep the comment to at most %(limit)d characters.") % {"limit": COMMENT_MAX_LENGTH},
            field="comment",
        )
    request = link.request
    now = timezone.now()
    rating = Rating(
        request=request,
        client=request.client,
        manager=request.manager,
        stars=stars,
        comment=comment,
        created_at=now,
    )
    rating.full_clean(exclude=["request"])
    rating.save()
    request.used_at = now
    request.save(update_fields=["used_at"])
    if request.case_id:
        CaseEvent.objects.create(
            case=request.case, kind=CaseEventKind.RATED, at=now, manager=request.manager, data={"stars": stars}
        )
    return rating
