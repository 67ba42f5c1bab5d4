"""Factories of the rating tests: resolved cases, rating requests (sent or not) and ratings, written directly."""

import datetime

from django.utils import timezone

from rapport.cases.choices import CaseStatus
from rapport.core.testing import make_case, make_client, make_interaction, make_manager
from rapport.feedback import services
from rapport.feedback.choices import RequestSubject
from rapport.feedback.models import Rating, RatingRequest


def make_resolved_case(client=None, manager=None, **fields):
    """A case resolved by ``manager`` (its handler unless told otherwise)."""
    client = client or make_client(email="client@example.com")
    manager = manager or make_manager()
    now = timezone.now()
    fields.setdefault("handler", manager)
    fields.setdefault("status", CaseStatus.RESOLVED)
    fields.setdefault("acknowledged_at", now - datetime.timedelta(hours=3))
    fields.setdefault("problem_statement", "The invoice total is wrong.")
    fields.setdefault("resolution", "Corrected invoice sent.")
    fields.setdefault("resolved_at", now)
    fields.setdefault("resolved_by", manager)
    return make_case(client, **fields)


def make_request(*, case=None, interaction=None, created_at=None, **fields) -> RatingRequest:
    """A rating request about ``case`` (a fresh resolved case unless an interaction is given), not sent."""
    if case is None and interaction is None:
        case = make_resolved_case()
    about = case or interaction
    fields.setdefault("client", about.client)
    fields.setdefault("manager", case.resolved_by if case else interaction.manager)
    fields.setdefault("email", about.client.email or "client@example.com")
    fields.setdefault("language", about.client.message_language)
    subject = RequestSubject.CASE if case else RequestSubject.INTERACTION
    return RatingRequest.objects.create(
        subject=subject, case=case, interaction=interaction, created_at=created_at or timezone.now(), **fields
    )


def token_of(link: str) -> str:
    """The token at the end of a rating link."""
    return link.rstrip("/").rsplit("/", 1)[-1]


def make_sent_request(**fields) -> tuple[RatingRequest, str]:
    """A rating request sent by e-mail; returns it (fresh from the database) and its token."""
    request = make_request(**fields)
    link = services.rating_request_send(request=request)
    request.refresh_from_db()
    return request, token_of(link)


def make_rating(manager, stars: int, *, at=None, comment: str = "", client=None) -> Rating:
    """A rating of ``manager`` given at ``at`` (now unless told), through a used request about an interaction."""
    at = at or timezone.now()
    client = client or make_client(email="rater@example.com")
    interaction = make_interaction(client, manager, occurred_at=at - datetime.timedelta(days=1))
    request = make_request(interaction=interaction, created_at=at - datetime.timedelta(hours=1))
    request.used_at = at
    request.sent_at = at - datetime.timedelta(hours=1)
    request.expires_at = at + datetime.timedelta(days=30)
    request.token_hash = f"{request.pk:064x}"
    request.save()
    return Rating.objects.create(
        request=request, client=client, manager=manager, stars=stars, comment=comment, created_at=at
    )
