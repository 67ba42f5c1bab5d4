"""The idle filter backend answers what django-filter's own backend answers, building only the named filters."""

import datetime

import pytest
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from rapport.accounts.roles import Role
from rapport.clients.api.views import ClientViewSet
from rapport.clients.choices import ClientKind, Motivation
from rapport.core.filter_backends import IdleFilterBackend
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db

QUERIES = [
    {},
    {"page": "2", "cursor": "x"},
    {"q": "kft"},
    {"q": "  "},
    {"status": "active", "is_vip": "true"},
    {"group": "GROUP"},
    {"group": "GROUP", "status": "prospect"},
    {"manager": "MANAGER", "motivation": "advice"},
    {"manager_type": "partnership"},
    {"unassigned": "true", "kind": "individual"},
    {"motivation_match": "false"},
    {"manager_vip_qualified": "true"},
    {"acquired_from": "2024-01-01", "acquired_to": "2024-12-31"},
    {"acquired_by": "MANAGER"},
    {"status": "nonsense"},
    {"group": "999999"},
    {"acquired_by": "0", "acquired_from": "yesterday"},
]


@pytest.fixture
def world(management):
    """Three clients across groups, kinds, statuses, motivations and managers; the ids to fill into queries."""
    group = make_group(name="Industry")
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER), vip_qualified=True)
    vip = make_client(
        name="Alfa Kft.",
        group=group,
        is_vip=True,
        motivation=Motivation.PARTNERSHIP,
        acquired_by=anna,
        acquired_on=datetime.date(2024, 5, 1),
    )
    make_assignment(vip, anna, actor=management)
    make_client(name="Béta Kft.", group=group, status="prospect", motivation=Motivation.ADVICE)
    make_client(name="Kovács Éva", kind=ClientKind.INDIVIDUAL, registration_number="")
    return {"GROUP": str(group.pk), "MANAGER": str(anna.pk)}


def _filter(backend, user, query: dict):
    request = Request(APIRequestFactory().get("/api/v1/clients/", query))
    request.user = user
    view = ClientViewSet(request=request, action="list", format_kwarg=None, args=(), kwargs={})
    try:
        return sorted(backend().filter_queryset(request, view.get_queryset(), view).values_list("pk", flat=True))
    except ValidationError as error:
        return error.detail


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()) or "none")
def test_the_named_filters_answer_what_all_filters_answer(world, management, query):
    # given a query string with ids of the world filled in
    query = {key: world.get(value, value) for key, value in query.items()}
    # when the idle backend and django-filter's backend filter the client list
    # then they keep the same clients, or refuse the same values with the same errors
    assert _filter(IdleFilterBackend, management, query) == _filter(DjangoFilterBackend, management, query)
