"""The client's rating page: no login, the client's language, private headers, clear pages for bad links."""

import datetime

import pytest
from django.test import Client as Browser
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from rapport.cases.choices import Channel
from rapport.core.testing import make_client, make_interaction, make_manager, make_user
from rapport.feedback import services
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.tests.factories import make_resolved_case, make_sent_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(mailoutbox):
    """A request about Anna Kovács's resolved case "Late delivery", sent to a Hungarian client."""
    anna = make_manager(user=make_user(first_name="Anna", last_name="Kovács"))
    case = make_resolved_case(make_client(email="c@example.com", language="hu"), anna, subject="Late delivery")
    return make_sent_request(case=case)


def tr(language: str, text: str) -> str:
    """``text`` as the catalog of ``language`` has it (HTML-escaped as templates print it)."""
    with translation.override(language):
        return escape(gettext(text))


def url(token: str) -> str:
    return f"/ratings/rate/{token}/"


def assert_private(response, *, form: bool = False):
    """Never cached or indexed; the link never goes to another site as a referrer. The form page allows
    same-origin referrers, else browsers send ``Origin: null`` with its POST and the CSRF check refuses it."""
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == ("same-origin" if form else "no-referrer")


def test_a_valid_link_shows_what_is_rated_without_login(sent):
    # given a sent request / when the client opens the link in a fresh browser
    _request, token = sent
    response = Browser().get(url(token))
    # then the page shows the case and the manager, in the client's language, with the star form
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="hu">' in html
    assert response["Content-Language"] == "hu"
    assert "Late delivery" in html and "Anna Kovács" in html
    for n in range(1, 6):
        assert f'<input type="radio" id="stars-{n}" name="stars" value="{n}" required>' in html
        assert f'<label class="star-option" for="stars-{n}">' in html
    assert '<textarea name="comment"' in html
    assert html.count('type="submit"') == 1
    assert "<legend>" in html and "csrfmiddlewaretoken" in html
    assert_private(response, form=True)
    # and opening it did not use it up
    assert services.link_lookup(token).state == "valid"


def test_an_interaction_link_shows_the_channel_and_date(mailoutbox):
    interaction = make_interaction(
        make_client(email="c@example.com", language="en"),
        make_manager(),
        channel=Channel.MEETING,
        occurred_at=datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC),
    )
    _request, token = make_sent_request(interaction=interaction)
    html = Browser().get(url(token)).content.decode()
    assert "Meeting on March 4, 2026" in html


def test_posting_stores_the_rating_and_thanks_in_the_clients_language(sent):
    # given an open rating page (CSRF is checked: the page set the cookie)
    request, token = sent
    browser = Browser(enforce_csrf_checks=True)
    browser.get(url(token))
    csrf = browser.cookies["csrftoken"].value
    # when the client picks 4 stars and comments
    response = browser.post(url(token), {"stars": "4", "comment": "Kedves volt.", "csrfmiddlewaretoken": csrf})
    # then the rating is stored for the request's manager and the thank-you page answers in Hungarian
    assert response.status_code == 200
    assert list(Rating.objects.values_list("stars", "comment", "manager", "request")) == [
        (4, "Kedves volt.", request.manager_id, request.pk)
    ]
    html = response.content.decode()
    assert '<html lang="hu">' in html and f"<h1>{tr('hu', 'Thank you')}</h1>" in html
    assert_private(response)


def test_posting_without_csrf_is_refused(sent):
    _request, token = sent
    response = Browser(enforce_csrf_checks=True).post(url(token), {"stars": "5"})
    assert response.status_code == 403
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("stars", ["0", "6", "x", "", None])
def test_a_bad_star_value_re_renders_with_an_error_and_stores_nothing(sent, stars):
    _request, token = sent
    data = {"comment": "Hm"} if stars is None else {"stars": stars, "comment": "Hm"}
    response = Browser().post(url(token), data)
    assert response.status_code == 200
    html = response.content.decode()
    error = tr("hu", "Choose from 1 to 5 stars.")
    assert f'<p class="error" id="stars-error" role="alert">{error}</p>' in html
    assert '<fieldset class="stars has-error" aria-describedby="stars-error">' in html
    assert "\nHm</textarea>" in html  # the comment is kept
    assert Rating.objects.count() == 0
    assert services.link_lookup(token).state == "valid"


def test_a_used_link_shows_the_used_page_with_410_and_stores_nothing_more(sent):
    # given a link already used
    _request, token = sent
    Browser().post(url(token), {"stars": "5"})
    # when it is opened or posted again
    opened = Browser().get(url(token))
    posted = Browser().post(url(token), {"stars": "1"})
    # then both answer 410 with the explanation, in the request's language
    for response in (opened, posted):
        assert response.status_code == 410
        html = response.content.decode()
        assert tr("hu", "Link already used") in html and '<html lang="hu">' in html
        assert_private(response)
    assert list(Rating.objects.values_list("stars", flat=True)) == [5]


def test_an_expired_link_shows_the_expired_page_with_410(sent):
    # given a Hungarian client's link that expired on 1 March 2026
    request, token = sent
    RatingRequest.objects.filter(pk=request.pk).update(
        expires_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )
    # when it is opened or posted / then 410 and the expiry written the Hungarian way
    for response in (Browser().get(url(token)), Browser().post(url(token), {"stars": "3"})):
        assert response.status_code == 410
        html = response.content.decode()
        assert tr("hu", "This link has expired") in html
        with translation.override("hu"):
            assert escape(gettext("Valid until: %(until)s") % {"until": "2026. március 1."}) in html
        assert_private(response)
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("token", ["not-a-token", "A" * 43, "x" * 300])
def test_an_unknown_link_shows_the_invalid_page_with_404_in_the_browsers_language(sent, token):
    response = Browser().get(url(token), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    html = response.content.decode()
    assert tr("ru", "This link is not valid") in html and '<html lang="ru">' in html
    assert_private(response)


def test_a_tampered_link_is_invalid(sent):
    _request, token = sent
    tampered = token[:10] + ("a" if token[10] != "a" else "b") + token[11:]
    response = Browser().post(url(tampered), {"stars": "5"})
    assert response.status_code == 404
    assert Rating.objects.count() == 0


def test_a_link_used_between_opening_and_sending_shows_the_used_page(sent, monkeypatch):
    # given the page was opened, then the rating came in through another tab
    _request, token = sent
    real_lookup = services.link_lookup
    services.rating_submit(token=token, stars=2)
    calls = iter([services.Link("valid", services.link_lookup(token).request)])
    monkeypatch.setattr(services, "link_lookup", lambda t, **kw: next(calls, None) or real_lookup(t, **kw))
    # when this tab sends its rating / then the used page, and still one rating
    response = Browser().post(url(token), {"stars": "5"})
    assert response.status_code == 410
    assert list(Rating.objects.values_list("stars", flat=True)) == [2]


def test_other_methods_are_not_allowed(sent):
    _request, token = sent
    assert Browser().put(url(token)).status_code == 405
