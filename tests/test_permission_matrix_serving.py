"""Every role against the pipeline, cases and ratings: who gets what, denied writes change nothing, and nothing of
one manager's work appears in another's answers."""

import pytest
from django.test import Client as Browser
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.cases.models import Case, CaseEvent
from rapport.clients.choices import ClientStatus
from rapport.core.testing import (
    make_assignment,
    make_case,
    make_client,
    make_interaction,
    make_manager,
    make_opportunity,
    make_user,
)
from rapport.feedback.models import Rating, RatingRequest
from rapport.pipeline.models import Opportunity, StageChange

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "management", "owner", "other_manager", "hr", "payroll"]

# role → status of: board, opportunity page, move (POST), funnel, case list, case page, acknowledge (POST),
# ratings table, my ratings, API opportunity, API case, API acknowledge
EXPECTED = {
    "anonymous": (302, 302, 302, 302, 302, 302, 302, 302, 302, 403, 403, 403),
    "admin": (200, 200, 302, 200, 200, 200, 400, 200, 403, 200, 200, 200),
    "management": (200, 200, 302, 200, 200, 200, 400, 200, 403, 200, 200, 200),
    "owner": (200, 200, 302, 403, 200, 200, 400, 403, 200, 200, 200, 200),
    "other_manager": (200, 404, 404, 403, 200, 404, 404, 403, 200, 404, 404, 404),
    "hr": (403, 404, 404, 403, 403, 404, 404, 403, 403, 404, 404, 403),
    "payroll": (403, 404, 404, 403, 403, 404, 404, 200, 403, 404, 404, 403),
}


@pytest.fixture
def world():
    owner, other = make_manager(), make_manager()
    client = make_client(name="Secret Kft.", email="secret@example.hu")
    make_assignment(client, owner)
    prospect = make_client(name="Hidden Prospect Kft.", status=ClientStatus.PROSPECT)
    opportunity = make_opportunity(prospect, owner, title="Secret deal")
    case = make_case(client, owner, subject="Secret problem")
    make_interaction(client, owner, summary="Secret talk")
    request = RatingRequest.objects.create(
        client=client,
        manager=owner,
        subject="case",
        case=case,
        email=client.email,
        language="en",
        created_at=case.opened_at,
    )
    Rating.objects.create(
        request=request, client=client, manager=owner, stars=5, comment="Secret praise", created_at=case.opened_at
    )
    users = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN, is_staff=True),
        "management": make_user(Role.MANAGEMENT),
        "owner": owner.user,
        "other_manager": other.user,
        "hr": make_user(Role.HR),
        "payroll": make_user(Role.PAYROLL),
    }
    return opportunity, case, users


def _clients(user):
    browser, api = Browser(), APIClient()
    if user is not None:
        browser.force_login(user)
        api.force_authenticate(user)
    return browser, api


def _state():
    return (
        list(Opportunity.objects.values_list("pk", "stage")),
        StageChange.objects.count(),
        list(Case.objects.values_list("pk", "status", "problem_statement")),
        CaseEvent.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world, role):
    opportunity, case, users = world
    browser, api = _clients(users[role])
    before = _state()

    # when each page and endpoint is called (writes are refused or, for those allowed, checked below)
    got = (
        browser.get("/pipeline/").status_code,
        browser.get(f"/pipeline/{opportunity.pk}/").status_code,
        browser.post(f"/pipeline/{opportunity.pk}/move/", {"to_stage": "offer"}).status_code,
        browser.get("/pipeline/funnel/").status_code,
        browser.get("/cases/").status_code,
        browser.get(f"/cases/{case.pk}/").status_code,
        browser.post(f"/cases/{case.pk}/acknowledge/", {"problem_statement": ""}).status_code,
        browser.get("/ratings/").status_code,
        browser.get("/ratings/mine/").status_code,
        api.get(f"/api/v1/opportunities/{opportunity.pk}/").status_code,
        api.get(f"/api/v1/cases/{case.pk}/").status_code,
        api.post(f"/api/v1/cases/{case.pk}/acknowledge/", {"problem_statement": ""}, format="json").status_code
        if role in ("anonymous", "other_manager", "hr", "payroll")
        else api.get(f"/api/v1/cases/{case.pk}/events/").status_code,
    )

    # then each answers as the role allows, and nothing changed: the move (new → offer skips stages) and the
    # acknowledgement without a problem statement are refused even for those who may act
    assert got == EXPECTED[role], got
    assert _state() == before


@pytest.mark.parametrize("role", ROLES)
def test_answers_never_leak_another_managers_work(world, role):
    _opportunity, _case, users = world
    browser, api = _clients(users[role])
    sees = role in {"admin", "management", "owner"}
    for url, secret in (
        ("/pipeline/", b"Secret deal"),
        ("/cases/", b"Secret problem"),
        ("/cases/interactions/", b"Secret talk"),
        ("/ratings/mine/", b"Secret praise"),
    ):
        page = browser.get(url)
        if page.status_code == 200 and url != "/ratings/mine/":
            assert (secret in page.content) is sees, url
        if url == "/ratings/mine/" and page.status_code == 200:
            assert (secret in page.content) is (role == "owner")
    for url, key, secret in (
        ("/api/v1/opportunities/", "title", "Secret deal"),
        ("/api/v1/cases/", "subject", "Secret problem"),
        ("/api/v1/ratings/", "comment", "Secret praise"),
    ):
        answer = api.get(url)
        rows = answer.json().get("results", []) if answer.status_code == 200 else []
        expected = sees or (url == "/api/v1/ratings/" and role == "payroll")
        assert (secret in [row.get(key) for row in rows]) is expected, url
