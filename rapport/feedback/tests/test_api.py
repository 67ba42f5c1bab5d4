"""The ratings API: read-only, restricted, filtered; summaries per period; requests for Management, no hashes."""

import datetime

import pytest
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.testing import make_client, make_manager, make_user
from rapport.feedback.models import Rating
from rapport.feedback.tests.factories import make_rating, make_request, make_resolved_case, make_sent_request

pytestmark = pytest.mark.django_db

BUDAPEST = datetime.timezone(datetime.timedelta(hours=1))


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world():
    anna, bence = make_manager(), make_manager()
    march = datetime.datetime(2026, 3, 10, 12, tzinfo=BUDAPEST)
    a5 = make_rating(anna, 5, at=march, comment="Great", client=make_client(name="Alfa Kft.", email="a@e.hu"))
    a2 = make_rating(anna, 2, at=march + datetime.timedelta(days=20))
    b4 = make_rating(bence, 4, at=march - datetime.timedelta(days=30))
    return anna, bence, a5, a2, b4


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_management_lists_ratings_newest_first_with_what_was_rated(world, management):
    anna, _bence, a5, a2, b4 = world
    response = api(management).get("/api/v1/ratings/")
    assert response.status_code == 200
    assert ids(response) == [a2.pk, a5.pk, b4.pk]
    row = api(management).get(f"/api/v1/ratings/{a5.pk}/").json()
    interaction = a5.request.interaction
    assert row == {
        "id": a5.pk,
        "manager": anna.pk,
        "manager_name": anna.name,
        "client": a5.client_id,
        "client_name": "Alfa Kft.",
        "subject": "interaction",
        "case": None,
        "case_subject": None,
        "interaction": interaction.pk,
        "interaction_channel": "call",
        "interaction_at": "2026-03-09T12:00:00+01:00",
        "stars": 5,
        "comment": "Great",
        "created_at": "2026-03-10T12:00:00+01:00",
    }


def test_a_case_rating_names_the_case(mailoutbox, management):
    from rapport.feedback import services

    case = make_resolved_case(subject="Broken pump")
    _request, token = make_sent_request(case=case)
    rating = services.rating_submit(token=token, stars=3)
    row = api(management).get(f"/api/v1/ratings/{rating.pk}/").json()
    assert (row["subject"], row["case"], row["case_subject"], row["interaction"]) == (
        "case",
        case.pk,
        "Broken pump",
        None,
    )


def test_filters_manager_dates_and_stars(world, management):
    anna, _bence, a5, a2, b4 = world
    client = api(management)
    assert ids(client.get("/api/v1/ratings/", {"manager": anna.pk})) == [a2.pk, a5.pk]
    assert ids(client.get("/api/v1/ratings/", {"start": "2026-03-01", "end": "2026-03-30"})) == [a2.pk, a5.pk]
    assert ids(client.get("/api/v1/ratings/", {"end": "2026-03-10"})) == [a5.pk, b4.pk]
    assert ids(client.get("/api/v1/ratings/", {"start": "2026-03-11"})) == [a2.pk]
    assert ids(client.get("/api/v1/ratings/", {"stars": 4})) == [b4.pk]
    assert ids(client.get("/api/v1/ratings/", {"subject": "case"})) == []
    assert client.get("/api/v1/ratings/", {"stars": 9}).status_code == 400
    assert client.get("/api/v1/ratings/", {"start": "March"}).status_code == 400


def test_a_manager_reads_only_their_own_ratings(world):
    anna, bence, a5, a2, b4 = world
    client = api(anna.user)
    assert ids(client.get("/api/v1/ratings/")) == [a2.pk, a5.pk]
    assert client.get(f"/api/v1/ratings/{b4.pk}/").status_code == 404
    # filtering by another manager is not a way in
    assert client.get("/api/v1/ratings/", {"manager": bence.pk}).status_code == 400


@pytest.mark.parametrize("role", [Role.HR, None])
def test_others_read_no_ratings(world, role):
    _anna, _bence, a5, _a2, _b4 = world
    user = make_user(role) if role else make_user()
    assert ids(api(user).get("/api/v1/ratings/")) == []
    assert api(user).get(f"/api/v1/ratings/{a5.pk}/").status_code == 404
    assert api().get("/api/v1/ratings/").status_code == 403


def test_ratings_are_read_only(world, management):
    _anna, _bence, a5, _a2, _b4 = world
    client = api(management)
    assert client.post("/api/v1/ratings/", {"stars": 5}, format="json").status_code == 405
    assert client.patch(f"/api/v1/ratings/{a5.pk}/", {"stars": 1}, format="json").status_code == 405
    assert client.delete(f"/api/v1/ratings/{a5.pk}/").status_code == 405
    assert Rating.objects.get(pk=a5.pk).stars == 5


def test_summaries_for_a_month(world, management):
    anna, bence, *_ = world
    response = api(management).get("/api/v1/rating-summaries/", {"month": "2026-03"})
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "manager": bence.pk,  # no ratings in March: the prior 4.00 beats Anna's (20 + 7) ÷ 7 = 3.86
            "manager_name": bence.name,
            "manager_type": "partnership",
            "start": "2026-03-01",
            "end": "2026-03-31",
            "count": 0,
            "total": 0,
            "mean": None,
            "smoothed": "4.00",
        },
        {
            "manager": anna.pk,
            "manager_name": anna.name,
            "manager_type": "partnership",
            "start": "2026-03-01",
            "end": "2026-03-31",
            "count": 2,
            "total": 7,
            "mean": "3.50",
            "smoothed": "3.86",
        },
    ]


def test_summaries_for_a_range_and_chosen_managers(world, management):
    anna, bence, *_ = world
    client = api(management)
    rows = client.get("/api/v1/rating-summaries/", {"start": "2026-02-01", "end": "2026-03-31"}).json()["results"]
    assert [(r["manager"], r["count"], r["smoothed"]) for r in rows] == [(bence.pk, 1, "4.00"), (anna.pk, 2, "3.86")]
    only = client.get(f"/api/v1/rating-summaries/?month=2026-02&manager={anna.pk}").json()["results"]
    assert [(r["manager"], r["count"]) for r in only] == [(anna.pk, 0)]


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ({"month": "2026-13"}, "month", "period_invalid"),
        ({"month": "soon"}, "month", "invalid"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "end", "period_invalid"),
        ({"end": "2026-03-01"}, "start", "period_invalid"),
        ({"sort": "salary"}, "sort", "invalid_choice"),
    ],
)
def test_summaries_refuse_a_bad_period_with_a_code(management, query, field, code):
    response = api(management).get("/api/v1/rating-summaries/", query)
    assert response.status_code == 400
    assert response.json()[field][0]["code"] == code


def test_a_manager_gets_only_their_own_summary(world):
    anna, bence, *_ = world
    rows = api(anna.user).get(f"/api/v1/rating-summaries/?month=2026-03&manager={bence.pk}").json()["results"]
    assert rows == []
    assert [r["manager"] for r in api(anna.user).get("/api/v1/rating-summaries/").json()["results"]] == [anna.pk]


def test_management_reads_rating_requests_without_any_token_or_hash(mailoutbox, management):
    request, token = make_sent_request()
    unsent = make_request()
    response = api(management).get("/api/v1/rating-requests/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["id"], r["status"]) for r in rows] == [(unsent.pk, "pending"), (request.pk, "sent")]
    text = response.content.decode()
    assert token not in text and request.token_hash not in text and "token" not in text
    detail = api(management).get(f"/api/v1/rating-requests/{request.pk}/").json()
    assert set(detail) == {
        "id",
        "client",
        "client_name",
        "manager",
        "manager_name",
        "subject",
        "case",
        "interaction",
        "language",
        "status",
        "created_at",
        "sent_at",
        "expires_at",
        "used_at",
    }


@pytest.mark.parametrize("role", [Role.CLIENT_MANAGER, Role.HR, Role.PAYROLL])
def test_only_management_reads_rating_requests(role):
    make_request()
    assert api(make_user(role)).get("/api/v1/rating-requests/").status_code == 403


def test_rating_list_queries_do_not_grow(management, django_assert_num_queries):
    manager = make_manager()
    for stars in (1, 2, 3):
        make_rating(manager, stars)
    client = api(management)
    client.get("/api/v1/ratings/")
    # the page: ratings joined with manager, client, request, case and interaction (roles are known by now)
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/ratings/").json()["results"]) == 3
    for stars in (4, 5, 5, 5):
        make_rating(manager, stars)
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/ratings/").json()["results"]) == 7
