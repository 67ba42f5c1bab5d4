"""Error pages: a failing view answers 500 with the site's page and never a traceback."""

import pytest
from django.test import Client as Browser
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from rapport.accounts.roles import Role
from rapport.core.testing import make_user

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "database password is hunter2"


def boom(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [path("boom/", boom), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_an_exception_answers_500_without_a_traceback(settings):
    settings.DEBUG = False
    browser = Browser(raise_request_exception=False)
    browser.force_login(make_user(Role.MANAGEMENT))
    response = browser.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    for leak in ("Traceback", "RuntimeError", SECRET_DETAIL, "boom", "SECRET_KEY"):
        assert leak not in html


def test_404_and_403_pages_are_the_sites_own():
    browser = Browser()
    browser.force_login(make_user(Role.CLIENT_MANAGER))
    missing = browser.get("/clients/999999/")
    assert missing.status_code == 404
    assert "Not found" in missing.content.decode()
    denied = browser.get("/admin/")  # not staff: the admin sends them to its login
    assert denied.status_code == 302


def test_a_permission_denied_page_is_the_sites_own():
    browser = Browser()
    browser.force_login(make_user())
    response = browser.get("/pay/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert "Traceback" not in response.content.decode()
