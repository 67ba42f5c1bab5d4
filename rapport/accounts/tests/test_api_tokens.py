"""API tokens: stored as a digest, with an expiry, revocable one by one or all at once, in the OpenAPI schema."""

import datetime
import hashlib

import pytest
from django.conf import settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return make_user(Role.MANAGEMENT, username="person")


def obtain() -> dict:
    response = APIClient().post("/api/v1/auth/token/", {"username": "person", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def api(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_stored_only_as_a_digest_and_expires(person):
    # when a token is obtained
    before = timezone.now()
    body = obtain()
    # then the database holds its SHA-512 digest, never the token itself, and an expiry TOKEN_TTL away
    stored = AuthToken.objects.get(user=person)
    assert stored.digest == hashlib.sha512(body["token"].encode()).hexdigest()
    assert body["token"] not in {stored.digest, stored.token_key}
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert ttl == datetime.timedelta(hours=10)
    assert before + ttl <= stored.expiry <= timezone.now() + ttl
    assert set(body) == {"token", "expiry"}
    assert api(body["token"]).get("/api/v1/clients/").status_code == 200


def test_wrong_password_gets_no_token(person):
    response = APIClient().post("/api/v1/auth/token/", {"username": "person", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_an_expired_token_is_refused(person):
    token = obtain()["token"]
    AuthToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert api(token).get("/api/v1/clients/").status_code in (401, 403)


def test_revoke_ends_only_this_token(person):
    first, second = obtain()["token"], obtain()["token"]
    assert api(first).post("/api/v1/auth/token/revoke/").status_code == 204
    assert api(first).get("/api/v1/clients/").status_code in (401, 403)
    assert api(second).get("/api/v1/clients/").status_code == 200


def test_revoke_all_ends_every_token_of_the_caller(person):
    other = make_user(Role.MANAGEMENT, username="other")
    AuthToken.objects.create(user=other)
    first, second = obtain()["token"], obtain()["token"]
    assert api(first).post("/api/v1/auth/token/revoke-all/").status_code == 204
    assert api(second).get("/api/v1/clients/").status_code in (401, 403)
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["other"]


def test_revoking_needs_a_token(person):
    assert APIClient().post("/api/v1/auth/token/revoke-all/").status_code in (401, 403)


def test_schema_documents_the_token_endpoints():
    response = APIClient().get("/api/schema/", {"format": "json"})
    paths = response.json()["paths"]
    assert set(paths["/api/v1/auth/token/"]) == {"post"}
    assert "/api/v1/auth/token/revoke/" in paths
    assert "/api/v1/auth/token/revoke-all/" in paths
    assert "knoxApiToken" in response.json()["components"]["securitySchemes"]
