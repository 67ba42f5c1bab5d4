"""The client list's compiled path (``clients.api.listing.compiled_response``, ``core.compiled``): every shape it
takes answers the bytes the serializer answers, errors included; a reader who does not see every client never
takes it, so no cached shape carries one reader's scope to another."""

import datetime
import json
import random
import zoneinfo

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.utils.urls import remove_query_param, replace_query_param

from rapport.accounts.roles import Role
from rapport.clients.api import listing
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client
from rapport.core.compiled import compile_shape
from rapport.core.pagination import SeekPagination, encode_cursor
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def registry(management):
    """Twelve clients in two groups, of every status, some VIP, names with LIKE's special characters, and two
    client managers with clients of their own."""
    retail, industry = make_group(name="Retail"), make_group(name="Industry")
    statuses = list(ClientStatus.values)
    names = ["Alfa 100% Kft.", "Alfa_Beta Kft.", "Back\\slash Zrt.", "Gamma Kft.", "gamma kft. 2", "Delta Bt."]
    clients = []
    for n in range(12):
        clients.append(
            make_client(
                name=f"{names[n % len(names)]} {n // len(names)}",
                group=(retail, industry, None)[n % 3],
                status=statuses[n % len(statuses)],
                is_vip=n % 4 == 0,
                vip_since=datetime.date(2024, 5, 1) if n % 4 == 0 else None,
                vip_terms="Net 60" if n % 4 == 0 else "",
                motivation=Motivation.values[n % len(Motivation.values)],
                kind=ClientKind.INDIVIDUAL if n % 5 == 0 else ClientKind.LEGAL_ENTITY,
                registration_number="" if n % 5 == 0 else f"01-09-{n:06d}",
            )
        )
    Client.objects.filter(pk=clients[1].pk).update(
        created_at=datetime.datetime(2025, 3, 30, 0, 59, 59, tzinfo=UTC),  # an hour before Budapest's clocks change
        updated_at=datetime.datetime(2025, 10, 26, 1, 0, 0, 5, tzinfo=UTC),  # the hour they change back
    )
    anna = make_manager(user=make_user(Role.CLIENT_MANAGER, username="anna"))
    bence = make_manager(user=make_user(Role.CLIENT_MANAGER, username="bence"))
    for client in clients[:3]:
        make_assignment(client, anna, actor=management)
    for client in clients[3:5]:
        make_assignment(client, bence, actor=management)
    return {"retail": retail, "industry": industry, "anna": anna, "bence": bence, "clients": clients}


def _get(user, params) -> tuple[int, bytes]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/clients/", params, HTTP_ACCEPT="application/json")
    return response.status_code, response.content


def _through_serializer(monkeypatch, user, params) -> tuple[int, bytes]:
    with monkeypatch.context() as patch:
        patch.setattr(listing, "row_plan", lambda *args, **kwargs: None)
        return _get(user, params)


def _compiled_calls(monkeypatch) -> list:
    """Record what each call of ``compiled_response`` answered (``None`` when it left the request to the ORM)."""
    answered = []
    original = listing.compiled_response

    def spy(view, request, plan):
        response = original(view, request, plan)
        answered.append(response is not None)
        return response

    monkeypatch.setattr(listing, "compiled_response", spy)
    return answered


def _params(registry) -> list[dict]:
    retail, industry = registry["retail"].pk, registry["industry"].pk
    return [
        {},
        {"page_size": "2"},
        {"page_size": "5", "page": "2"},
        {"status": "prospect"},
        {"group": str(retail), "status": "active"},
        {"group": str(industry)},
        {"is_vip": "true"},
        {"is_vip": "false", "kind": "individual"},
        {"motivation": Motivation.values[1], "page_size": "1"},
        {"q": "alfa"},
        {"q": "  100%  "},
        {"q": "_"},
        {"q": "back\\"},
        {"q": "01-09-000002"},
        {"q": "gamma", "group": str(retail), "status": "former", "kind": "legal_entity", "is_vip": "false"},
    ]


@pytest.mark.parametrize("zone", ["Europe/Budapest", "UTC", "America/St_Johns"])
@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN])
def test_every_compiled_shape_answers_what_the_serializer_answers(registry, monkeypatch, role, zone):
    # given a reader who sees every client, and requests of many shapes
    user = make_user(role)
    answered = _compiled_calls(monkeypatch)
    with timezone.override(zone):
        for params in _params(registry):
            # when each page and the pages its next links lead to are read twice (the second time from the cache
            # of shapes) and through the serializer
            page = 0
            while params is not None and page < 20:
                first, again = _get(user, params), _get(user, params)
                expected = _through_serializer(monkeypatch, user, params)
                # then the answers are the same bytes
                assert first == again == expected, params
                assert first[0] == 200
                next_url = json.loads(first[1])["next"]
                params = dict(APIRequestFactory().get(next_url).GET.items()) if next_url else None
                page += 1
    # and the compiled path answered the pages with rows
    # (all but the empty pages of a group filter, which the filter's validation answers: 2 pages, read twice)
    assert answered.count(False) == 4
    assert answered.count(True) == 42


@pytest.mark.parametrize(
    "params",
    [
        {"group": "999999"},  # no such group: 400 from the filter's validation
        {"group": "007"},
        {"group": " 1"},
        {"group": "abc"},
        {"status": "sleeping"},
        {"is_vip": "maybe"},
        {"is_vip": "1"},
        {"q": ""},
        {"q": "   "},
        {"q": "a\x00b"},
        {"status": ["active", "former"]},
        {"manager_type": "advice"},
        {"unknown": "1"},
        {"page": "abc", "page_size": "0"},
        {"cursor": "not-a-cursor"},
        {"motivation_match": "true"},
    ],
    ids=repr,
)
def test_any_other_request_answers_what_the_serializer_answers(registry, management, monkeypatch, params):
    # given a request the compiled path does not take, or one it takes with an odd value
    # when it is read as it comes and through the serializer / then the answers are the same (errors included)
    assert _get(management, params) == _through_serializer(monkeypatch, management, params)


def test_a_group_that_has_no_clients_on_the_page_is_validated(registry, management, monkeypatch):
    # given a shape compiled with an existing group
    assert _get(management, {"group": str(registry["retail"].pk)})[0] == 200
    empty = make_group(name="Empty")
    # when the same shape asks for a group without clients, and for a group that does not exist
    # then the first answers an empty page, the second the filter's error, as the serializer path does
    assert _get(management, {"group": str(empty.pk)}) == _through_serializer(
        monkeypatch, management, {"group": str(empty.pk)}
    )
    missing = {"group": str(empty.pk + 1000)}
    status, content = _get(management, missing)
    assert status == 400
    assert (status, content) == _through_serializer(monkeypatch, management, missing)


def test_a_cached_shape_never_answers_another_reader(registry, management, monkeypatch):
    # given the shapes of the first page and of a status filter compiled for Management
    answered = _compiled_calls(monkeypatch)
    everyone = json.loads(_get(management, {})[1])["results"]
    assert len(everyone) == 12
    _get(management, {"status": "active"})
    assert answered == [True, True]
    anna, bence = registry["anna"].user, registry["bence"].user
    clients = registry["clients"]
    # when two client managers, a reader who is also Management, and HR read the same shapes
    answers = {
        name: [json.loads(_get(user, params)[1]).get("results") for params in ({}, {"status": "active"})]
        for name, user in [
            ("anna", anna),
            ("bence", bence),
            ("both", make_user(Role.MANAGEMENT, Role.CLIENT_MANAGER)),
            ("hr", make_user(Role.HR)),
        ]
    }
    # then each manager sees their own clients only (by the ORM path), the Management reader sees everyone
    assert [row["id"] for row in answers["anna"][0]] == sorted(
        (c.pk for c in clients[:3]), key=lambda pk: (Client.objects.get(pk=pk).name, pk)
    )
    assert {row["id"] for row in answers["bence"][0]} == {c.pk for c in clients[3:5]}
    assert {row["id"] for row in answers["anna"][1]} == {c.pk for c in clients[:3] if c.status == "active"}
    assert {row["id"] for row in answers["bence"][1]} == {c.pk for c in clients[3:5] if c.status == "active"}
    assert answers["both"][0] == everyone
    assert answers["hr"] == [[], []]  # HR sees no clients
    assert answered == [True, True, *[False] * 4, True, True, False, False]


def test_the_page_of_a_filter_with_a_group_is_one_query(registry, management, django_assert_num_queries):
    # given a shape compiled for a group filter
    api = APIClient()
    api.force_authenticate(management)
    assert api.get("/api/v1/clients/", {"group": registry["retail"].pk, "status": "active"}).status_code == 200
    # when another page of it is read / then it is the page alone (the reader's roles are known from the first):
    # the page's rows prove the group exists, so the filter's form does not look it up
    with django_assert_num_queries(1):
        response = api.get("/api/v1/clients/", {"group": registry["industry"].pk, "status": "active"})
    assert response.status_code == 200


def test_a_shape_whose_parameter_no_source_explains_is_not_compiled(registry):
    # given two querysets that differ by a value the sources do not name (a reader's id)
    anna, bence = registry["anna"], registry["bence"]
    mine = Client.objects.filter(Q(status="active") & Q(assignments__manager=anna))
    theirs = Client.objects.filter(Q(status="former") & Q(assignments__manager=bence))
    # when they are compiled as one shape / then there is none
    assert compile_shape(mine, theirs, real_sources={"status": "active"}, twin_sources={"status": "former"}) is None
    # and with the reader named as a source, there is one, its parameters the request's values
    compiled, _compiler = compile_shape(
        mine,
        theirs,
        real_sources={"status": "active", "manager": anna.pk},
        twin_sources={"status": "former", "manager": bence.pk},
    )
    assert compiled.params({"status": "prospect", "manager": 7}) == ["prospect", 7]


def test_a_shape_whose_sql_depends_on_a_value_is_not_compiled():
    # given the same filter with values that compile to other SQL (an empty IN list has no SQL at all)
    real = Client.objects.filter(pk__in=[1, 2])
    twin = Client.objects.filter(pk__in=[3])
    # when they are compiled as one shape / then there is none
    assert compile_shape(real, twin, real_sources={"ids": (1, 2)}, twin_sources={"ids": (3,)}) is None


def test_a_search_parameter_is_the_like_pattern_of_the_request_s_text():
    # given a search compiled with one text and its twin
    real = Client.objects.filter(name__icontains="ab")
    twin = Client.objects.filter(name__icontains="~twin~")
    compiled, _compiler = compile_shape(real, twin, real_sources={"q": "ab"}, twin_sources={"q": "~twin~"})
    # when the parameters of another text are made / then it is escaped as Django escapes it
    expected = Client.objects.filter(name__icontains="5%_\\").query.get_compiler("default").as_sql()[1]
    assert compiled.params({"q": "5%_\\"}) == list(expected)
    assert compiled.sql == real.query.get_compiler("default").as_sql()[0]


@pytest.mark.parametrize(
    "zone", ["Europe/Budapest", "UTC", "Asia/Kathmandu", "Australia/Lord_Howe", "America/Sao_Paulo"]
)
def test_times_written_per_hour_are_the_times_written_one_by_one(zone):
    # given UTC times over two centuries, naive and aware, and every minute around this year's clock changes
    rng = random.Random(zone)
    rows = [
        datetime.datetime(1900, 1, 1) + datetime.timedelta(seconds=rng.randrange(200 * 365 * 86400))
        for _ in range(20_000)
    ]
    for change in (datetime.datetime(2025, 3, 30), datetime.datetime(2025, 10, 26), datetime.datetime(2025, 4, 6)):
        rows += [change + datetime.timedelta(minutes=minute, microseconds=minute) for minute in range(24 * 60)]
    rows += [row.replace(tzinfo=UTC) for row in rows[:5000]]
    rows += [datetime.datetime.max.replace(tzinfo=UTC) - datetime.timedelta(hours=30)]
    times = listing._UtcTimes(zoneinfo.ZoneInfo(zone))
    # when each is written through the hour's offset and as the serializer writes it / then the texts are equal
    for row in rows:
        assert times(row) == listing._iso_datetime(row, stored_in=UTC, zone=zoneinfo.ZoneInfo(zone)), row


@pytest.mark.parametrize(
    "query",
    ["", "page=3", "cursor=abc&page=2&q=a+b", "q=%C3%A1rv%C3%ADz&z=1&a=&a=2", "b=1&page=x&cursor=", "q=a%26b&flag"],
)
@pytest.mark.parametrize("number", [1, 2, 7])
def test_links_are_those_drf_s_query_helpers_write(query, number):
    # given a request with a query string, and a paginator that answered it
    paginator = SeekPagination()
    paginator.request = APIRequestFactory().get(f"/api/v1/clients/?{query}")
    url = paginator.request.build_absolute_uri()
    cursor = encode_cursor("Név & co", 5)
    # when it writes the link of page ``number``, with and without a cursor
    link, with_cursor = paginator._link(number), paginator._link(number, cursor)
    # then it is what removing and replacing the parameters one by one writes
    expected = remove_query_param(url, "cursor")
    expected = remove_query_param(expected, "page") if number == 1 else replace_query_param(expected, "page", number)
    assert link == expected
    assert with_cursor == replace_query_param(expected, "cursor", cursor)


def test_the_shape_cache_runs_the_sql_django_writes(registry, management):
    # given the compiled shape of a filtered first page
    api = APIClient()
    api.force_authenticate(management)
    api.get("/api/v1/clients/", {"status": "active", "page_size": "3"})
    shapes = [shape for key, shape in listing._shapes.items() if key[2] == ("status",) and key[5] == 3 and shape]
    # then its SQL is the ORM's for that page, its parameters the request's
    from rapport.clients.selectors import client_list

    plan_columns = next(key[1].columns for key in listing._shapes if key[2] == ("status",))
    queryset = client_list(user=management).select_related(None).filter(status="active")
    sql, params = queryset.values_list(*plan_columns)[:4].query.get_compiler(connection.alias).as_sql()
    assert shapes[-1].query.sql == sql
    assert shapes[-1].query.params({"status": "active"}) == list(params)
