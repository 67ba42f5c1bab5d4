"""Security headers on every HTML page; HSTS and secure cookies in production; the deploy check is clean."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client as Browser
from django.test import override_settings

from rapport.accounts.roles import Role
from rapport.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_SECRET = "deploy-check-only-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH"
POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
}


def assert_security_headers(response):
    assert set(response["Content-Security-Policy"].split("; ")) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/login/", "/admin/login/", "/no-such-page/"])
def test_anonymous_pages_carry_the_headers(path):
    response = Browser().get(path)
    assert response["Content-Type"].startswith("text/html")
    assert_security_headers(response)


def test_signed_in_pages_carry_the_headers_and_no_inline_script():
    browser = Browser()
    browser.force_login(make_user(Role.MANAGEMENT))
    for path in ["/clients/", "/pipeline/", "/cases/", "/managers/"]:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)
        html = response.content.decode()
        # every script is a file; htmx is told not to inject styles or evaluate code
        assert html.count("<script") == html.count("<script src=")
        assert " style=" not in html
        assert '"includeIndicatorStyles": false' in html


def test_api_docs_run_under_the_policy():
    browser = Browser()
    browser.force_login(make_user(Role.MANAGEMENT))
    page = browser.get("/api/docs/")
    assert_security_headers(page)
    html = page.content.decode()
    assert "<style" not in html
    assert html.count("<script") == html.count("<script src=")
    script = browser.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


@pytest.fixture
def production(monkeypatch):
    """The production settings module's values, read with a valid secret key."""
    monkeypatch.setenv("SECRET_KEY", DEPLOY_SECRET)
    return runpy.run_path(str(ROOT / "config" / "settings" / "production.py"))


def test_production_sends_hsts_and_secure_cookies(production):
    assert production["DEBUG"] is False
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
    ]
    make_user(Role.MANAGEMENT, username="person")
    with override_settings(**{name: production[name] for name in names}):
        browser = Browser()
        response = browser.post("/login/", {"username": "person", "password": PASSWORD}, secure=True)
        assert response.status_code == 302
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response.cookies["sessionid"]["secure"] is True
        assert response.cookies["sessionid"]["httponly"] is True
        # and plain HTTP is sent to HTTPS
        assert browser.get("/login/").status_code == 301


def test_deploy_check_is_clean_with_production_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": DEPLOY_SECRET}
    env["ALLOWED_HOSTS"] = "example.com"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
