"""Sessions: a new key at login, an idle limit and an absolute limit, a register of each user's sessions."""

import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as Browser

from rapport.accounts import sessions
from rapport.accounts.models import UserSession
from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return make_user(Role.MANAGEMENT, username="person")


def logged_in(person) -> Browser:
    browser = Browser()
    assert browser.post("/login/", {"username": "person", "password": PASSWORD}).status_code == 302
    return browser


def age_session(browser: Browser, *, login_ago: float, seen_ago: float) -> None:
    session = browser.session
    now = time.time()
    session[sessions.LOGIN_AT] = now - login_ago
    session[sessions.SEEN_AT] = now - seen_ago
    session.save()


def test_limits_are_settings():
    assert settings.RAPPORT["SESSION_IDLE_MINUTES"] == 30
    assert settings.RAPPORT["SESSION_MAX_HOURS"] == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def test_login_gives_a_new_session_key(person):
    # given a visitor with a session before logging in
    browser = Browser()
    browser.get("/login/")
    session = browser.session
    session["before"] = "login"
    session.save()
    before = session.session_key
    # when they log in / then the session has a new key and the old one is gone
    browser.post("/login/", {"username": "person", "password": PASSWORD})
    after = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert list(UserSession.objects.values_list("user_id", "session_key")) == [(person.pk, after)]


def test_an_active_session_goes_on(person):
    browser = logged_in(person)
    age_session(browser, login_ago=7 * 3600, seen_ago=29 * 60)
    assert browser.get("/clients/").status_code == 200


def test_an_idle_session_ends(person):
    # given a session last used 31 minutes ago
    browser = logged_in(person)
    age_session(browser, login_ago=3600, seen_ago=31 * 60)
    # when a page is opened / then the login page is asked for, and the session is gone for good
    response = browser.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/clients/"
    assert browser.get("/clients/").status_code == 302
    assert not UserSession.objects.exists()


def test_an_htmx_request_of_an_ended_session_loads_the_login_page_whole(person):
    browser = logged_in(person)
    age_session(browser, login_ago=3600, seen_ago=31 * 60)
    response = browser.get("/clients/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/"


def test_a_session_ends_after_the_absolute_limit_however_busy(person):
    browser = logged_in(person)
    age_session(browser, login_ago=8 * 3600 + 60, seen_ago=10)
    assert browser.get("/clients/").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(person):
    browser = logged_in(person)
    age_session(browser, login_ago=100, seen_ago=10)
    seen = browser.session[sessions.SEEN_AT]
    browser.get("/clients/")
    assert browser.session[sessions.SEEN_AT] == seen
    # given the last write over a minute ago / then this request is noted
    age_session(browser, login_ago=100, seen_ago=120)
    browser.get("/clients/")
    assert browser.session[sessions.SEEN_AT] >= int(time.time()) - 5


def test_a_password_change_keeps_the_register_in_step(person):
    # given a signed-in administrator / when they change their password (Django gives the session a new key)
    person.is_staff = True
    person.save()
    browser = logged_in(person)
    old_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    new_password = "a brand new passphrase"
    response = browser.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    # then the register names the new key, and the person is still signed in
    new_key = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [new_key]
    assert response.status_code == 302
    assert browser.get("/clients/").status_code == 200


def test_logout_forgets_the_session(person):
    browser = logged_in(person)
    assert UserSession.objects.count() == 1
    browser.post("/logout/")
    assert not UserSession.objects.exists()


def test_logout_is_post_only(person):
    browser = logged_in(person)
    assert browser.get("/logout/").status_code == 405
    assert browser.get("/clients/").status_code == 200
