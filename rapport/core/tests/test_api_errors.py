"""What the API answers to input it cannot use, and how the schema documents it (found by the schema fuzzer)."""

import pytest
from django.test import Client as Browser
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.filters import MAX_ID
from rapport.core.testing import make_user

pytestmark = pytest.mark.django_db


def api(role=Role.MANAGEMENT) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role))
    return client


def test_an_unknown_url_under_api_answers_json_404():
    response = api().get("/api/v1/clients/0.85/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_url_elsewhere_answers_the_sites_404_page():
    browser = Browser()
    browser.force_login(make_user(Role.MANAGEMENT))

    response = browser.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/assignments/?client={MAX_ID + 1}", "client"),
        ("/api/v1/assignments/?client=3.4e%2B38", "client"),
        ("/api/v1/stage-changes/?opportunity=1.5", "opportunity"),
        ("/api/v1/pay/statements/?period=0", "period"),
        ("/api/v1/hr/trainings/?year=70070639444294660", "year"),
        ("/api/v1/rating-summaries/?manager=1&manager=-46128969257841262592", "manager"),
    ],
)
def test_an_id_or_year_filter_out_of_range_answers_400(url, field):
    response = api(Role.ADMIN).get(url)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_largest_id_is_a_valid_filter():
    response = api().get(f"/api/v1/assignments/?client={MAX_ID}")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_date_time_filter_takes_any_offset_python_takes():
    # PostgreSQL refuses offsets beyond ±15:59; the filter compares in UTC.
    response = api().get("/api/v1/stage-changes/?before=0632-09-19T16%3A14%3A10-16%3A00")

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_date_time_before_the_first_moment_answers_400():
    response = api().get("/api/v1/stage-changes/?after=0001-01-01T00%3A00%3A00%2B01%3A00")

    assert response.status_code == 400
    assert response.json()["after"][0]["code"] == "invalid"


def test_the_schema_documents_the_error_answers_once():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    detail = schema["paths"]["/api/v1/clients/{id}/"]["patch"]["responses"]

    assert components["Error"]["required"] == ["detail"]
    assert set(detail) == {"200", "400", "403", "404", "409", "415"}
    assert detail["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert detail["400"]["content"]["application/json"]["schema"] == {
        "anyOf": [{"$ref": "#/components/schemas/ValidationError"}, {"$ref": "#/components/schemas/Error"}]
    }
    assert set(schema["paths"]["/api/v1/auth/token/revoke/"]["post"]["responses"]) >= {"401"}


def test_a_blank_optional_email_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert schema["components"]["schemas"]["Client"]["properties"]["email"]["anyOf"] == [
        {"format": "email"},
        {"maxLength": 0},
    ]
