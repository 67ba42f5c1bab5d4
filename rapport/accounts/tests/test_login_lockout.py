"""Brute-force protection: failures counted per (username, address), a cool-off, 429 on the form, admin and API;
every attempt is logged without the password."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client as Browser
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.models import UserSession
from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-guess"
LIMIT = settings.AXES_FAILURE_LIMIT


def form_login(password, *, username="victim", address="203.0.113.5", path="/login/"):
    return Browser().post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def api_login(password, *, username="victim", address="203.0.113.5"):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address, format="json"
    )


@pytest.fixture
def victim(db):
    return make_user(Role.MANAGEMENT, username="victim")


def test_the_limit_and_cool_off_are_settings():
    assert LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_login_form_locks_out_after_the_limit_with_429(victim):
    # given LIMIT - 1 failures / then each answers the form again
    for _ in range(LIMIT - 1):
        assert form_login(WRONG).status_code == 200
    # when the limit is reached / then 429 with a translated page and a Retry-After
    response = form_login(WRONG)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert response["Retry-After"] == "900"
    # and even the right password is refused during the cool-off
    assert form_login(PASSWORD).status_code == 429
    assert not UserSession.objects.exists()


def test_another_address_is_not_locked_out(victim):
    # given an attacker locked out at their address
    for _ in range(LIMIT):
        form_login(WRONG, address="198.51.100.66")
    assert form_login(PASSWORD, address="198.51.100.66").status_code == 429
    # when the person logs in from their own address / then it works
    response = form_login(PASSWORD, address="203.0.113.5")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_lockout_ends_after_the_cool_off(victim):
    # given a lockout whose failures are older than the cool-off
    for _ in range(LIMIT):
        form_login(WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    # when the right password is given / then the login succeeds
    assert form_login(PASSWORD).status_code == 302


def test_failures_during_a_lockout_do_not_extend_it(victim):
    # given a lockout
    for _ in range(LIMIT):
        form_login(WRONG)
    locked_at = AccessAttempt.objects.get().attempt_time
    # when the attacker keeps trying / then they are refused, and the lockout still ends when it would have
    for _ in range(3):
        assert form_login(WRONG).status_code == 429
    attempt = AccessAttempt.objects.get()
    assert (attempt.attempt_time, attempt.failures_since_start) == (locked_at, LIMIT)


def test_success_resets_the_count(victim):
    for _ in range(LIMIT - 1):
        form_login(WRONG)
    assert form_login(PASSWORD).status_code == 302
    # then LIMIT - 1 new failures do not lock out
    for _ in range(LIMIT - 1):
        assert form_login(WRONG).status_code == 200


def test_admin_login_is_covered(victim):
    for _ in range(LIMIT - 1):
        assert form_login(WRONG, path="/admin/login/").status_code == 200
    assert form_login(WRONG, path="/admin/login/").status_code == 429


def test_api_token_endpoint_is_covered_and_answers_json(victim):
    for _ in range(LIMIT - 1):
        assert api_login(WRONG).status_code == 400
    response = api_login(WRONG)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert api_login(PASSWORD).status_code == 429


def test_failures_count_across_the_form_and_the_api(victim):
    for _ in range(LIMIT - 1):
        form_login(WRONG)
    assert api_login(WRONG).status_code == 429


def test_every_attempt_is_logged_without_the_password(victim, caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    # when one failure and one success happen
    form_login(WRONG)
    form_login(PASSWORD)
    # then both are logged with the username and address, and no password appears anywhere
    messages = [record.getMessage() for record in caplog.records if record.name == "rapport.security"]
    assert messages[0] == "login failed: username=victim address=203.0.113.5 path=/login/"
    assert messages[1] == f"login succeeded: user={victim.pk} username=victim address=203.0.113.5 path=/login/"
    assert all(WRONG not in m and PASSWORD not in m for m in caplog.messages)


def test_lockout_and_refused_answer_are_logged(victim, caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    for _ in range(LIMIT):
        form_login(WRONG)
    messages = [record.getMessage() for record in caplog.records if record.name == "rapport.security"]
    assert "login locked out: username=victim address=203.0.113.5 path=/login/" in messages
    assert "access denied: status=429 user=- address=203.0.113.5 method=POST path=/login/" in messages
    assert all(WRONG not in m for m in caplog.messages)


def test_api_login_is_logged(victim, caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    api_login(PASSWORD)
    assert (
        f"login succeeded: user={victim.pk} username=victim address=203.0.113.5 path=/api/v1/auth/token/"
        in caplog.messages
    )
