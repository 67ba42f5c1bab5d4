"""Nothing of one manager's work appears in any answer to another: every URL of the site — pages, API, exports,
admin — opened with GET by the other manager (and by HR, who sees no clients at all), with the ids of the first
manager's objects filled in wherever a URL takes one.

Anna's private data carries the marker ``ANNASECRET`` (client names and e-mails, case subjects, interaction notes,
opportunity titles, rating comments, pay queries); Bence's own data is ordinary. Binary answers are searched too:
spreadsheets are unzipped; a PDF's text is not searchable (embedded fonts), so a PDF may only be one of Bence's own.
"""

import io
import zipfile

import pytest
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.compensation.models import Statement
from rapport.compensation.services import line_query_create
from rapport.compensation.tests.support import build_world
from rapport.core.testing import (
    make_assignment,
    make_case,
    make_client,
    make_interaction,
    make_opportunity,
    make_user,
)
from rapport.feedback.tests.factories import make_rating
from tests.test_get_changes_nothing import routes, seeded_ids, urls_of

pytestmark = pytest.mark.django_db

MARKER = "ANNASECRET"


@pytest.fixture
def world(management):
    """Anna (with five more clients, their cases, notes, deals, a rating and a pay query) and Bence."""
    pay = build_world(management)
    anna, bence = pay.anna, pay.bence
    for n in range(5):
        client = make_client(name=f"{MARKER} {n} Kft.", email=f"annasecret{n}@example.com")
        make_assignment(client, anna, actor=management)
        make_case(client, handler=anna, subject=f"{MARKER} case {n}")
        make_interaction(client, anna, summary=f"{MARKER} note {n}")
        make_opportunity(client, anna, title=f"{MARKER} deal {n}")
    make_rating(anna, 5, comment=f"{MARKER} praise", client=make_client(name=f"{MARKER} rater"))
    line_query_create(actor=anna.user, statement=pay.statement, kind="base", reference_month=None, comment=MARKER)
    mine = make_client(name="Bence's own Kft.")
    make_assignment(mine, bence, actor=management)
    make_case(mine, handler=bence, subject="Bence's own case")
    return pay


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX workbook: its shared strings and sheets
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return " ".join(workbook.read(name).decode("utf-8", "replace") for name in workbook.namelist())
    return content.decode("utf-8", "replace")


def walk(browser, world) -> tuple[int, list[str], list[str]]:
    """GET every URL; return (requests, URLs whose answer holds the marker, URLs that answered a PDF)."""
    ids = seeded_ids()
    tried, leaks, pdfs, skipped = 0, [], [], []
    for name, converters, defaults in routes(skipped):
        if name.startswith("admin:") or name in {"logout", "feedback:rate"}:
            continue  # the admin is staff-only (a manager is sent to its login); rating links are public by token
        for url in urls_of(name, converters, defaults, ids, token="no-token"):
            response = browser.get(url)
            tried += 1
            if response.status_code != 200:
                continue
            if response.get("Content-Type", "").startswith("application/pdf"):
                pdfs.append(url)
            elif MARKER in body_text(response):
                leaks.append(url)
    return tried, leaks, pdfs


def test_another_manager_sees_nothing_of_annas_work(world):
    browser = Browser(raise_request_exception=False)
    browser.force_login(world.bence.user)
    tried, leaks, pdfs = walk(browser, world)
    own_statement = Statement.objects.get(manager=world.bence)
    assert tried > 500
    assert leaks == []
    assert pdfs in ([], [f"/pay/statements/{own_statement.pk}/pdf/"])


def test_hr_sees_no_client_work(world):
    browser = Browser(raise_request_exception=False)
    browser.force_login(make_user(Role.HR, username="hr2"))
    tried, leaks, pdfs = walk(browser, world)
    assert tried > 500
    assert leaks == []
    assert all("/hr/" in url for url in pdfs)


def test_the_marker_is_found_where_it_may_be_seen(world):
    # the walk can find the marker: Anna herself and Management see it
    for user in (world.anna.user, world.management):
        browser = Browser()
        browser.force_login(user)
        assert MARKER in body_text(browser.get("/clients/"))
        assert MARKER in body_text(browser.get("/clients/export.xlsx"))


def test_payroll_sees_no_client_work_beyond_pay_and_ratings(world):
    # Payroll pays the rating bonus and answers pay queries, so it reads ratings (with their comments), statements
    # and queries — and nothing else of Anna's work: no client, case, note or deal.
    browser = Browser(raise_request_exception=False)
    browser.force_login(world.payroll)
    tried, leaks, pdfs = walk(browser, world)
    assert tried > 500
    allowed = ("/ratings/managers/", "/api/v1/ratings/", "/pay/statements/", "/api/v1/pay/queries/")
    assert [url for url in leaks if not url.startswith(allowed)] == []
    assert all(url.startswith("/pay/statements/") for url in pdfs)
