"""Link security: unguessable, stored only as a hash, one use, expiry, and a re-sent link replaces the old one."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from rapport.feedback import services
from rapport.feedback.choices import LinkState
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.tests.factories import make_request, make_sent_request, token_of
from rapport.feedback.tokens import token_hash

pytestmark = pytest.mark.django_db


def test_token_has_at_least_128_random_bits_and_only_its_hash_is_stored(mailoutbox):
    # given a rating request / when its e-mail is sent
    request, token = make_sent_request()
    # then the token carries 256 bits (43 URL-safe characters of 6 bits each), two tokens never repeat
    assert len(token) >= 22  # 22 characters of 6 bits = 132 bits at least
    assert len(token) == 43
    assert token != make_sent_request()[1]
    # and the stored row holds the token's SHA-256, never the token itself
    assert request.token_hash == token_hash(token)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_ratingrequest WHERE id = %s", [request.pk])
        row = cursor.fetchone()
    assert all(token not in str(value) for value in row)
    # and the e-mail holds the whole link
    assert f"/ratings/rate/{token}/" in mailoutbox[0].body


def test_unknown_and_tampered_tokens_are_invalid(mailoutbox):
    # given a sent request
    _request, token = make_sent_request()
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    # when looking up an unknown, a tampered, an empty or an absurdly long token / then each is invalid
    for bad in ["x" * 43, tampered, "", "a" * 500, token.upper() if token.upper() != token else token.lower()]:
        assert services.link_lookup(bad).state == LinkState.INVALID
    assert services.link_lookup(token).state == LinkState.VALID


def test_a_link_works_once(mailoutbox):
    # given a sent request / when the client rates through it
    request, token = make_sent_request()
    rating = services.rating_submit(token=token, stars=4, comment="  Quick and kind.  ")
    # then the rating is stored, trimmed, and the link is used
    assert (rating.stars, rating.comment) == (4, "Quick and kind.")
    assert services.link_lookup(token).state == LinkState.USED
    # when the link is used again / then it is refused and no second rating is stored
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(token=token, stars=1)
    assert exc.value.code == "link_used"
    assert list(Rating.objects.values_list("stars", flat=True)) == [4]
    request.refresh_from_db()
    assert request.used_at == rating.created_at


def test_an_expired_link_cannot_be_used(mailoutbox):
    # given a link sent 31 days ago (the links live 30)
    request, token = make_sent_request()
    RatingRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    # when / then
    assert services.link_lookup(token).state == LinkState.EXPIRED
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(token=token, stars=5)
    assert exc.value.code == "link_expired"
    assert Rating.objects.count() == 0


def test_link_expires_after_the_configured_days(mailoutbox, settings):
    settings.RAPPORT = {**settings.RAPPORT, "RATING_LINK_DAYS": 7}
    request, _token = make_sent_request()
    assert request.expires_at - request.sent_at == datetime.timedelta(days=7)


def test_resending_makes_the_old_link_invalid(mailoutbox):
    # given a sent request / when it is sent again (the e-mail was lost)
    request, old = make_sent_request()
    new = token_of(services.rating_request_send(request=request))
    # then only the new link works
    assert old != new
    assert services.link_lookup(old).state == LinkState.INVALID
    assert services.link_lookup(new).state == LinkState.VALID
    assert len(mailoutbox) == 2


def test_a_used_request_is_not_sent_again(mailoutbox):
    request, token = make_sent_request()
    services.rating_submit(token=token, stars=3)
    with pytest.raises(ValidationError) as exc:
        services.rating_request_send(request=request)
    assert exc.value.code == "link_used"
    assert len(mailoutbox) == 1


def test_an_unsent_request_has_no_working_link():
    # given a request whose e-mail never went out / then no token finds it
    request = make_request()
    assert request.token_hash is None
    assert services.link_lookup("").state == LinkState.INVALID


@pytest.mark.parametrize("stars", [0, 6, -1, "4", 4.0, True, None])
def test_stars_outside_1_to_5_are_refused_and_the_link_stays_valid(mailoutbox, stars):
    _request, token = make_sent_request()
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(token=token, stars=stars)
    assert exc.value.error_dict["stars"][0].code == "stars_out_of_range"
    assert Rating.objects.count() == 0
    assert services.link_lookup(token).state == LinkState.VALID


def test_an_overlong_comment_is_refused(mailoutbox):
    _request, token = make_sent_request()
    with pytest.raises(ValidationError) as exc:
        services.rating_submit(token=token, stars=5, comment="x" * 2001)
    assert exc.value.error_dict["comment"][0].code == "comment_too_long"
    assert Rating.objects.count() == 0
