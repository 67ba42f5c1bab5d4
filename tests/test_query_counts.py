"""List pages and endpoints run a fixed number of queries, however many rows the page shows."""

import pytest
from django.test import Client as Browser
from rest_framework.test import APIClient

from rapport.core.testing import make_assignment, make_client, make_group, make_manager

pytestmark = pytest.mark.django_db


def _populate(rows: int):
    group = make_group("Retail")
    managers = [make_manager(groups=[group]) for _ in range(3)]
    for n in range(rows):
        client = make_client(name=f"Client {n:03d} Kft.", group=group)
        make_assignment(client, managers[n % 3], actor=managers[0].user)
    return managers


@pytest.mark.parametrize("rows", [3, 25])
def test_client_list_page_queries_do_not_grow(management, django_assert_num_queries, rows):
    # given a number of assigned clients
    _populate(rows)
    browser = Browser()
    browser.force_login(management)
    # when the list page renders / then: session, user, roles, page, current managers, filter choices (2)
    with django_assert_num_queries(7):
        assert browser.get("/clients/").status_code == 200


@pytest.mark.parametrize("rows", [3, 25])
def test_client_api_list_queries_do_not_grow(management, django_assert_num_queries, rows):
    _populate(rows)
    api = APIClient()
    api.force_authenticate(management)
    # roles and the page
    with django_assert_num_queries(2):
        assert len(api.get("/api/v1/clients/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 25])
def test_manager_list_queries_do_not_grow(management, django_assert_num_queries, rows):
    _populate(rows)
    browser = Browser()
    browser.force_login(management)
    # session, user, roles, page
    with django_assert_num_queries(4):
        assert browser.get("/managers/").status_code == 200
