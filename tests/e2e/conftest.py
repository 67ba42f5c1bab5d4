"""Playwright driving Debian's Chromium against pytest-django's live server."""

import importlib
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the test itself are still
# synchronous, so Django's async-safety guard is lifted for these tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _roles(request):
    """Transactional tests empty the tables after they run; give each one the role groups the migration made."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    roles_migration = importlib.import_module("rapport.accounts.migrations.0002_roles")
    roles_migration.create_roles(apps, None)
    importlib.import_module("rapport.accounts.migrations.0003_roles_winning_serving").add_permissions(apps, None)
    importlib.import_module("rapport.accounts.migrations.0004_roles_hr").add_permissions(apps, None)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page; any Content Security Policy violation on it fails the test (see docs/security.md)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []

    def note_violation(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", note_violation)
    yield page
    context.close()
    assert not violations, violations


def login(page, base_url: str, username: str, password: str) -> None:
    """Log in through the login form."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def logout(page) -> None:
    page.click("text=Log out")
    page.wait_for_url("**/login/")
