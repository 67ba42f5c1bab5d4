"""The client list API never counts the table: a page reads one row more than it shows to know if another follows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.core.testing import make_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [{}, {"page": 2, "page_size": 2}, {"status": "active", "q": "Kft"}, {"page": 50}],
    ids=["first_page", "second_page", "filtered", "past_the_end"],
)
def test_client_list_api_issues_no_count_query(management, params):
    # given five clients
    for n in range(5):
        make_client(name=f"Client {n} Kft.")
    api = APIClient()
    api.force_authenticate(management)
    # when a page of the list is read
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/clients/", params)
    # then it answers without a COUNT query, and without a count in the body
    assert response.status_code == 200
    assert [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()] == []
    assert "count" not in response.json()


def test_next_links_seek_through_the_whole_list_in_order(management):
    # given seven clients, three of them with the same name
    names = ["Béta Kft.", "Alfa Kft.", "Gamma Kft.", "Alfa Kft.", "Delta Kft.", "Alfa Kft.", "Epszilon Kft."]
    clients = [make_client(name=name) for name in names]
    expected = [c.pk for c in sorted(clients, key=lambda c: (c.name, c.pk))]
    api = APIClient()
    api.force_authenticate(management)
    # when following the next links, two rows a page
    seen, url, sqls = [], "/api/v1/clients/?page_size=2", []
    while url:
        with CaptureQueriesContext(connection) as captured:
            body = api.get(url).json()
        sqls += [q["sql"] for q in captured.captured_queries]
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    # then every client comes once, in name and id order, and no page skipped rows with OFFSET
    assert seen == expected
    assert [sql for sql in sqls if "OFFSET" in sql.upper()] == []


def test_a_cursor_page_numbers_itself_and_links_back_by_page(management):
    for n in range(5):
        make_client(name=f"Client {n} Kft.")
    api = APIClient()
    api.force_authenticate(management)
    first = api.get("/api/v1/clients/", {"page_size": 2}).json()
    # when reading the next page through its link
    second = api.get(first["next"]).json()
    # then it carries the page number, and previous leads to page 1 without a cursor
    assert "page=2" in first["next"] and "cursor=" in first["next"]
    assert "page=3" in second["next"] and "cursor=" in second["next"]
    assert "cursor" not in second["previous"] and "page=" not in second["previous"]


@pytest.mark.parametrize(
    "cursor", ["garbage", "WzEsMl0", "", "IiI", "WyJhIiwgLTFd", "WyJhXHUwMDAwIiwgMV0", "WyJcdWQ4MDAiLCAxXQ"]
)
def test_an_unreadable_cursor_is_ignored(management, cursor):
    # given three clients
    for n in range(3):
        make_client(name=f"Client {n} Kft.")
    api = APIClient()
    api.force_authenticate(management)
    # when the cursor is not one of ours ([1, 2], "", ["a", -1], a NUL or a lone surrogate in the name)
    response = api.get("/api/v1/clients/", {"cursor": cursor})
    # then the first page answers
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["Client 0 Kft.", "Client 1 Kft.", "Client 2 Kft."]
