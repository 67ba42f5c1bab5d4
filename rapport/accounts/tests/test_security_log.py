"""Every denied request is logged to ``rapport.security``: status, user id, address, method, path; no secrets."""

import logging

import pytest
from django.test import Client as Browser
from knox.models import AuthToken
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.testing import make_user

pytestmark = pytest.mark.django_db


def security_messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "rapport.security"]


def test_a_denied_page_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    user = make_user()
    browser = Browser()
    browser.force_login(user)
    caplog.clear()
    assert browser.get("/pay/", REMOTE_ADDR="192.0.2.7").status_code == 403
    assert security_messages(caplog) == [
        f"access denied: status=403 user={user.pk} address=192.0.2.7 method=GET path=/pay/"
    ]


def test_a_denied_api_call_is_logged_with_the_token_user(caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    manager = make_user(Role.CLIENT_MANAGER)
    _, token = AuthToken.objects.create(user=manager)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.post("/api/v1/client-groups/", {"name": "Mine"}, format="json")
    assert response.status_code == 403
    assert security_messages(caplog) == [
        f"access denied: status=403 user={manager.pk} address=127.0.0.1 method=POST path=/api/v1/client-groups/"
    ]
    assert token not in " ".join(caplog.messages)


def test_an_anonymous_api_call_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    APIClient().get("/api/v1/clients/?secret=1")
    assert security_messages(caplog) == [
        "access denied: status=403 user=- address=127.0.0.1 method=GET path=/api/v1/clients/"
    ]


def test_a_csrf_refusal_is_logged(caplog):
    caplog.set_level(logging.INFO, logger="rapport.security")
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(make_user(Role.MANAGEMENT))
    caplog.clear()
    assert browser.post("/clients/new/", {"name": "X"}).status_code == 403
    assert security_messages(caplog)[0].startswith("access denied: status=403 user=")


def test_a_rating_link_token_is_not_logged(caplog):
    from django.test import RequestFactory
    from django.urls import resolve

    from rapport.accounts.security import loggable_path

    request = RequestFactory().get("/ratings/rate/s3cr3t-token/")
    request.resolver_match = resolve(request.path)
    assert loggable_path(request) == "/ratings/rate/<str:token>/"
