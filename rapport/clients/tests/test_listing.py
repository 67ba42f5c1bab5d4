"""The client list's lean path (``clients.api.listing``) answers byte for byte what ``ClientSerializer`` answers, for
every role, page and filter, so the two cannot drift apart."""

import datetime
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient, APIRequestFactory

from rapport.accounts.roles import Role
from rapport.clients.api import listing
from rapport.clients.api.serializers import ClientSerializer
from rapport.clients.choices import ClientKind, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.clients.selectors import client_list
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db

ROLE_SETS = {
    "admin": (Role.ADMIN,),
    "management": (Role.MANAGEMENT,),
    "client_manager": (Role.CLIENT_MANAGER,),
    "hr": (Role.HR,),
    "payroll": (Role.PAYROLL,),
    "management_and_manager": (Role.MANAGEMENT, Role.CLIENT_MANAGER),
    "no_role": (),
}
PARAMS = [{}, {"page_size": 2}, {"q": "kft"}, {"is_vip": "true"}, {"group": "", "status": "active"}]
UTC = datetime.UTC


@pytest.fixture
def registry(management):
    """Clients with every field of the representation set in some and empty in others: a VIP with special terms
    and a group, determined motivation, an acquisition and a current manager; an individual with nothing set; times
    in summer and winter (other offsets in Budapest) and one with microseconds."""
    group = make_group(name="Industry")
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna"), vip_qualified=True)
    vip = make_client(
        name="Árvíztűrő Kft.",
        group=group,
        is_vip=True,
        vip_since=datetime.date(2023, 2, 28),
        vip_terms="Net 60,\u2028a dedicated line",
        motivation=Motivation.PARTNERSHIP,
        motivation_determined_by=management,
        motivation_determined_at=datetime.datetime(2025, 7, 1, 9, 30, 5, 123456, tzinfo=UTC),
        motivation_note='Says "yes" </script>',
        acquired_by=anna,
        acquired_on=datetime.date(2024, 12, 31),
        email="info@arviz.example",
        country="HU",
    )
    make_assignment(vip, anna, actor=management)
    person = make_client(name="Kovács Éva", kind=ClientKind.INDIVIDUAL, registration_number="")
    others = [make_client(name=f"Beta {n} Kft.") for n in range(3)]
    make_assignment(others[0], anna, actor=management)
    Client.objects.filter(pk=person.pk).update(created_at=datetime.datetime(2025, 1, 15, 23, 59, 59, tzinfo=UTC))
    Client.objects.filter(pk=others[1].pk).update(updated_at=datetime.datetime(2025, 8, 1, 0, 0, tzinfo=UTC))
    return anna


def _user(name: str, anna):
    roles = ROLE_SETS[name]
    return anna.user if roles == (Role.CLIENT_MANAGER,) else make_user(*roles, username=f"reader-{name}")


def _get(user, params: dict) -> tuple[int, bytes]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/clients/", params, HTTP_ACCEPT="application/json")
    return response.status_code, response.content


@pytest.mark.parametrize("zone", ["Europe/Budapest", "UTC"])
@pytest.mark.parametrize("params", PARAMS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "first")
@pytest.mark.parametrize("role", list(ROLE_SETS))
def test_the_lean_list_answers_what_the_serializer_answers(registry, monkeypatch, role, params, zone):
    # given a reader of each role set
    user = _user(role, registry)
    with timezone.override(zone):
        # when the list is read through the lean path and through the serializer
        lean = _get(user, params)
        next_url = json.loads(lean[1]).get("next")
        lean_next = _get(user, {**params, **_query(next_url)}) if next_url else None
        with monkeypatch.context() as patch:
            patch.setattr(listing, "row_plan", lambda *args, **kwargs: None)
            through_serializer = _get(user, params)
            serializer_next = _get(user, {**params, **_query(next_url)}) if next_url else None
    # then the answers are the same bytes, on the page and on the page its next link leads to
    assert lean[0] == 200
    assert lean == through_serializer
    assert lean_next == serializer_next


def _query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


@pytest.mark.parametrize("role", list(ROLE_SETS))
def test_the_plan_of_every_role_shapes_every_client_as_the_serializer_does(registry, management, role):
    # given every client, read as model instances and as the rows of the plan of a reader of each role set (HR,
    # Payroll and users without a role see no client through the API, but their plan is pinned all the same)
    user = _user(role, registry)
    request = APIRequestFactory().get("/api/v1/clients/")
    request.user = user
    plan = listing.row_plan(ClientSerializer, request=request)
    queryset = client_list(user=management).select_related(None)
    # when both shape them
    lean = plan.shape(list(queryset.values_list(*plan.columns)))
    expected = ClientSerializer(list(queryset), many=True, context={"request": request}).data
    # then the results are equal, key order included
    assert len(lean) == Client.objects.count() == 5
    assert [list(row.items()) for row in lean] == [list(row.items()) for row in expected]


def test_a_field_the_plan_cannot_copy_sends_the_list_through_the_serializer(management):
    # given a serializer with a method field
    class WithMethod(ClientSerializer):
        label = serializers.SerializerMethodField()

        class Meta(ClientSerializer.Meta):
            fields = [*ClientSerializer.Meta.fields, "label"]

        def get_label(self, client) -> str:
            return client.name.upper()

    request = APIRequestFactory().get("/api/v1/clients/")
    request.user = management
    # when its plan is asked for / then there is none (the list keeps the serializer path)
    assert listing.row_plan(WithMethod, request=request) is None
    assert listing.row_plan(ClientSerializer, request=request) is not None


def test_a_column_the_raw_read_does_not_know_is_read_through_django():
    # given a plan over a JSON column (its driver value is text on SQLite), selected in another order than planned
    group = make_group(name="Retail", manager_types=["advice", "decision"])
    plan = listing.RowPlan(names=("types", "id"), columns=("manager_types", "id"), dates=(), datetimes=())
    rows = ClientGroup.objects.filter(pk=group.pk).values_list("id", "manager_types")
    # when the plan reads them / then the values are Django's, each under its own key
    assert plan.read(rows) == [{"types": ["advice", "decision"], "id": group.pk}]


def test_the_raw_read_takes_the_columns_in_the_plan_s_order(management):
    # given a plan whose columns the query selects in another order
    client = make_client(name="Order Kft.", is_vip=True)
    plan = listing.RowPlan(names=("vip", "name", "id"), columns=("is_vip", "name", "id"), dates=(), datetimes=())
    rows = Client.objects.filter(pk=client.pk).values_list("id", "name", "is_vip")
    # when the plan reads them / then each key has its own column's value
    assert plan.read(rows) == [{"vip": True, "name": "Order Kft.", "id": client.pk}]
