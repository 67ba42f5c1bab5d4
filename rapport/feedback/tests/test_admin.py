"""The admin shows ratings and requests read-only, and never a token's hash."""

import pytest
from django.test import Client as Browser

from rapport.feedback import services
from rapport.feedback.tests.factories import make_sent_request

pytestmark = pytest.mark.django_db


def test_admin_pages_are_read_only_without_token_hashes(admin_user, mailoutbox):
    request, token = make_sent_request()
    rating = services.rating_submit(token=token, stars=4, comment="Fine")
    browser = Browser()
    browser.force_login(admin_user)
    pages = [
        "/admin/feedback/ratingrequest/",
        f"/admin/feedback/ratingrequest/{request.pk}/change/",
        f"/admin/feedback/ratingrequest/{request.pk}/history/",
        "/admin/feedback/rating/",
        f"/admin/feedback/rating/{rating.pk}/change/",
        f"/admin/feedback/rating/{rating.pk}/history/",
    ]
    for url in pages:
        response = browser.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert request.token_hash not in html and token not in html and "token hash" not in html.lower(), url
    assert browser.get("/admin/feedback/rating/add/").status_code == 403
    assert browser.post(f"/admin/feedback/rating/{rating.pk}/delete/").status_code == 403
