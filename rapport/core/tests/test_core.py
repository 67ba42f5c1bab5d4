"""The shared kernel: pagination without counting, phone normalisation, the API exception handler and the
environment helpers of ``config/env.py``."""

import math

import phonenumbers
import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.env import env_bool, env_int, env_list, env_str
from rapport.assignment.errors import AssignmentError
from rapport.clients.models import ClientGroup
from rapport.core.api import exception_handler
from rapport.core.errors import refuse
from rapport.core.pagination import MAX_PAGE, NoCountPagination, Page, paginate, parse_page_number
from rapport.core.phones import normalize_phone
from rapport.core.testing import make_group

# ---------------------------------------------------------------------------------------------------------------
# Pagination
# ---------------------------------------------------------------------------------------------------------------


def all_pages(rows, per_page: int) -> list[Page]:
    """Walk the pages from 1 while ``has_next`` says there is another."""
    pages = [paginate(rows, number=1, per_page=per_page)]
    while pages[-1].has_next:
        pages.append(paginate(rows, number=pages[-1].next_page_number, per_page=per_page))
    return pages


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.integers(), max_size=60), per_page=st.integers(min_value=1, max_value=12))
def test_walking_the_pages_returns_every_row_once_in_order(rows, per_page):
    # given any rows and page size / when the pages are walked while has_next holds
    pages = all_pages(rows, per_page)

    # then their concatenation is the rows, in order
    assert [row for page in pages for row in page.object_list] == rows
    # and there are exactly ceil(n / per_page) pages (at least one), numbered 1..k
    assert len(pages) == max(1, math.ceil(len(rows) / per_page))
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    # and every page but the last is full, and only the last says it has no next page
    assert all(len(page.object_list) == per_page for page in pages[:-1])
    assert [page.has_next for page in pages] == [True] * (len(pages) - 1) + [False]
    assert [page.has_previous for page in pages] == [False] + [True] * (len(pages) - 1)


@pytest.mark.django_db
def test_walking_a_queryset_returns_every_row_once_in_order():
    # given 23 client groups in name order
    for n in range(23):
        make_group(f"Group {n:02d}")
    queryset = ClientGroup.objects.order_by("name")
    expected = list(queryset.values_list("name", flat=True))

    @settings(max_examples=30, deadline=None)
    @given(per_page=st.integers(min_value=1, max_value=30))
    def check(per_page):
        # when the pages are walked
        pages = all_pages(queryset, per_page)

        # then the names come back once each, in order, in ceil(23 / per_page) pages
        assert [group.name for page in pages for group in page.object_list] == expected
        assert len(pages) == math.ceil(23 / per_page)

    check()


@pytest.mark.django_db
def test_paginate_does_not_count(django_assert_num_queries):
    # given 5 groups
    for n in range(5):
        make_group(f"Group {n}")

    # when page 2 of 2 rows is read / then one query fetches it, with no COUNT
    with django_assert_num_queries(1) as captured:
        page = paginate(ClientGroup.objects.order_by("name"), number=2, per_page=2)
    assert "COUNT" not in captured.captured_queries[0]["sql"].upper()
    assert ([g.name for g in page.object_list], page.has_next, page.has_previous) == (
        ["Group 2", "Group 3"],
        True,
        True,
    )


def test_a_page_past_the_end_is_empty():
    # given 3 rows / when page 5 of 2 is read / then it is empty with no next page
    page = paginate([1, 2, 3], number=5, per_page=2)
    assert (page.object_list, page.has_next, page.has_previous, page.previous_page_number) == ([], False, True, 4)


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("3", 3),
        (" 4 ", 4),
        ("0", 1),
        ("-7", 1),
        ("2.5", 1),
        ("abc", 1),
        (str(MAX_PAGE), MAX_PAGE),
        ("99999999999999999999", MAX_PAGE),
    ],
)
def test_parse_page_number(raw, number):
    # given a raw ?page= value / when parsed / then it is a page number within bounds
    assert parse_page_number(raw) == number


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "names", "next_link", "previous_link"),
    [
        (
            "?page=2&page_size=2",
            ["G2", "G3"],
            "http://testserver/api/v1/x/?page=3&page_size=2",
            "http://testserver/api/v1/x/?page_size=2",
        ),
        ("?page=3&page_size=2", ["G4"], None, "http://testserver/api/v1/x/?page=2&page_size=2"),
        ("?page_size=abc", ["G0", "G1", "G2", "G3", "G4"], None, None),
        ("?page_size=0", ["G0"], "http://testserver/api/v1/x/?page=2&page_size=0", None),
    ],
)
def test_api_pagination_links(query, names, next_link, previous_link):
    # given 5 groups
    for n in range(5):
        make_group(f"G{n}")
    request = Request(APIRequestFactory().get(f"/api/v1/x/{query}"))
    paginator = NoCountPagination()

    # when the API paginates them
    rows = paginator.paginate_queryset(ClientGroup.objects.order_by("name"), request)
    body = paginator.get_paginated_response([g.name for g in rows]).data

    # then the body has the page's rows and links to its neighbours, and no count
    assert body == {"next": next_link, "previous": previous_link, "results": names}


def test_api_page_size_is_capped():
    # given / when a client asks for 10,000 rows per page
    paginator = NoCountPagination()
    paginator.paginate_queryset(list(range(3)), Request(APIRequestFactory().get("/?page_size=10000")))

    # then it gets at most 500
    assert paginator.per_page == 500


# ---------------------------------------------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("06 30 123 4567", None, "+36301234567"),
        ("1 234 5678", None, "+3612345678"),
        ("+36 1 234 5678", "GB", "+3612345678"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("", None, ""),
        (None, None, ""),
        ("  ", None, ""),
    ],
)
def test_normalize_phone(typed, region, stored):
    # given a number as typed / when normalised / then it is E.164 (or blank)
    assert normalize_phone(typed, region) == stored


def test_default_region_comes_from_the_settings(settings):
    # given a company in the United Kingdom
    settings.RAPPORT = {**settings.RAPPORT, "PHONE_REGION": "GB"}

    # when a national number is normalised / then it is read as British
    assert normalize_phone("020 7946 0958") == "+442079460958"


@pytest.mark.parametrize("typed", ["1234", "abc", "+", "+36", "06 30 123"])
def test_normalize_phone_refuses_impossible_numbers(typed):
    # given / when an impossible number is normalised
    with pytest.raises(ValidationError) as exc_info:
        normalize_phone(typed)

    # then it is refused with the phone code
    assert exc_info.value.code == "invalid_phone"


REGIONS = sorted(phonenumbers.SUPPORTED_REGIONS)
TYPES = [phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE]
FORMATS = [
    phonenumbers.PhoneNumberFormat.NATIONAL,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.E164,
]


@settings(max_examples=300, deadline=None)
@given(
    region=st.sampled_from(REGIONS),
    kind=st.sampled_from(TYPES),
    fmt=st.sampled_from(FORMATS),
    other_region=st.sampled_from(REGIONS),
)
def test_normalised_phone_is_a_fixpoint_in_every_region(region, kind, fmt, other_region):
    # given a valid number of ``region`` written in any usual format
    example = phonenumbers.example_number_for_type(region, kind)
    if example is None or not phonenumbers.is_valid_number(example):
        return
    typed = phonenumbers.format_number(example, fmt)

    # when it is normalised with its own region as default
    stored = normalize_phone(typed, region)

    # then the result is that number in E.164, and normalising it again, with any default region, keeps it
    assert stored == phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    assert normalize_phone(stored) == stored
    assert normalize_phone(stored, other_region) == stored


@settings(max_examples=300, deadline=None)
@given(typed=st.one_of(st.text(max_size=40), st.from_regex(r"\A\+?[0-9 ()/.-]{0,25}\Z")))
def test_normalize_phone_either_refuses_with_its_code_or_returns_a_fixpoint(typed):
    # given any text / when it is normalised
    try:
        stored = normalize_phone(typed)
    except ValidationError as exc:
        # then it is refused with the phone code (never another error) ...
        assert exc.code == "invalid_phone"
        return
    # ... or the result is blank or an E.164 number that normalises to itself
    assert stored == "" or (stored.startswith("+") and stored[1:].isdigit() and len(stored) <= 16)
    assert normalize_phone(stored) == stored


# ---------------------------------------------------------------------------------------------------------------
# API exception handler
# ---------------------------------------------------------------------------------------------------------------


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


@pytest.mark.parametrize(
    ("exc", "body"),
    [
        pytest.param(
            ValidationError({"phone": [ValidationError("Enter a valid phone number.", code="invalid_phone")]}),
            {"phone": [{"message": "Enter a valid phone number.", "code": "invalid_phone"}]},
            id="field-error",
        ),
        pytest.param(
            refuse(AssignmentError.CAPACITY_EXCEEDED, "Anna is at full capacity.", field="manager"),
            {"manager": [{"message": "Anna is at full capacity.", "code": "capacity_exceeded"}]},
            id="service-refusal-on-a-field",
        ),
        pytest.param(
            refuse(AssignmentError.NOT_ASSIGNED, "Alfa Kft. has no personal manager."),
            {"non_field_errors": [{"message": "Alfa Kft. has no personal manager.", "code": "not_assigned"}]},
            id="service-refusal-without-field",
        ),
        pytest.param(
            ValidationError({"__all__": [ValidationError("Duplicate.", code="duplicate_registration_number")]}),
            {"non_field_errors": [{"message": "Duplicate.", "code": "duplicate_registration_number"}]},
            id="model-non-field-error",
        ),
        pytest.param(
            ValidationError("Capacity %(n)d reached.", code="capacity_exceeded", params={"n": 3}),
            {"non_field_errors": [{"message": "Capacity 3 reached.", "code": "capacity_exceeded"}]},
            id="message-with-params",
        ),
        pytest.param(
            ValidationError("Something is wrong."),
            {"non_field_errors": [{"message": "Something is wrong.", "code": "invalid"}]},
            id="no-code",
        ),
        pytest.param(
            ValidationError(
                {
                    "email": [ValidationError("Enter a valid e-mail.", code="invalid")],
                    "registration_number": [
                        ValidationError("Required.", code="registration_number_required"),
                        ValidationError("Too long.", code="max_length"),
                    ],
                }
            ),
            {
                "email": [{"message": "Enter a valid e-mail.", "code": "invalid"}],
                "registration_number": [
                    {"message": "Required.", "code": "registration_number_required"},
                    {"message": "Too long.", "code": "max_length"},
                ],
            },
            id="several-fields",
        ),
        pytest.param(
            ValidationError([ValidationError("First.", code="a"), ValidationError("Second.", code="b")]),
            {"non_field_errors": [{"message": "First.", "code": "a"}, {"message": "Second.", "code": "b"}]},
            id="error-list",
        ),
    ],
)
def test_django_validation_error_becomes_a_400_with_messages_and_codes(exc, body):
    # given a Django ValidationError raised by a service or a model / when the API handles it
    status, data = handle(exc)

    # then it answers 400 with {field: [{message, code}]}
    assert (status, data) == (400, body)


def test_drf_validation_error_keeps_its_codes():
    # given a serializer's error / when handled
    exc = serializers.ValidationError({"name": [ErrorDetail("This field is required.", code="required")]})

    # then it answers 400 in the same shape as a service refusal
    assert handle(exc) == (400, {"name": [{"message": "This field is required.", "code": "required"}]})


def test_permission_denied_becomes_403_with_its_message():
    # given / when a service's PermissionDenied is handled / then the API answers 403 with the reason
    assert handle(PermissionDenied("Only Management may assign clients.")) == (
        403,
        {"detail": "Only Management may assign clients."},
    )


def test_bare_permission_denied_becomes_403_with_the_default_message():
    assert handle(PermissionDenied()) == (403, {"detail": "You do not have permission to perform this action."})


def test_http404_becomes_404():
    # given / when an out-of-scope object's 404 is handled / then it is a plain 404
    assert handle(Http404("Client matching query does not exist.")) == (404, {"detail": "Not found."})


def test_other_exceptions_are_left_to_the_framework():
    # given / when a programming error is handled / then the handler does not hide it as a 4xx
    assert exception_handler(ValueError("bug"), {}) is None


# ---------------------------------------------------------------------------------------------------------------
# Environment helpers
# ---------------------------------------------------------------------------------------------------------------

VAR = "RAPPORT_TEST_VARIABLE"


def test_env_str_reads_the_variable(monkeypatch):
    # given the variable is set / when read / then its value is returned as is, default ignored
    monkeypatch.setenv(VAR, " value ")
    assert env_str(VAR, default="default") == " value "


def test_env_str_falls_back_to_the_default(monkeypatch):
    # given the variable is unset / when read with a default / then the default is returned
    monkeypatch.delenv(VAR, raising=False)
    assert env_str(VAR, default="sqlite:///db.sqlite3") == "sqlite:///db.sqlite3"
    assert env_str(VAR, default="") == ""


def test_env_str_without_default_requires_the_variable(monkeypatch):
    # given the variable is unset / when read without default / then configuration is reported as incomplete
    monkeypatch.delenv(VAR, raising=False)
    with pytest.raises(ImproperlyConfigured, match=f"Set the environment variable {VAR}."):
        env_str(VAR)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1", True),
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool(monkeypatch, raw, value):
    # given a yes/no variable / when read / then it is a bool, whatever the default
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, default=not value) is value


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_default(monkeypatch, default):
    monkeypatch.delenv(VAR, raising=False)
    assert env_bool(VAR, default=default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "truee"])
def test_env_bool_refuses_other_values(monkeypatch, raw):
    # given a variable that is not yes/no / when read / then configuration is refused, not guessed
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be true or false"):
        env_bool(VAR)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("example.com", ["example.com"]),
        ("example.com, www.example.com ,,", ["example.com", "www.example.com"]),
        ("", []),
        (" , ", []),
    ],
)
def test_env_list(monkeypatch, raw, value):
    # given a comma-separated variable / when read / then blanks are dropped and items trimmed
    monkeypatch.setenv(VAR, raw)
    assert env_list(VAR, default=["default"]) == value


def test_env_list_default_is_a_copy(monkeypatch):
    # given the variable is unset and a default list
    monkeypatch.delenv(VAR, raising=False)
    default = ["localhost"]

    # when read and the result changed
    value = env_list(VAR, default=default)
    value.append("evil.example")

    # then the default is untouched
    assert (default, env_list(VAR)) == (["localhost"], [])


@pytest.mark.parametrize(("raw", "value"), [("42", 42), (" 7 ", 7), ("-1", -1), ("", 5)])
def test_env_int(monkeypatch, raw, value):
    # given a whole-number variable (blank means default) / when read / then it is an int
    monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 5) == value


def test_env_int_default(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert env_int(VAR, 600) == 600


@pytest.mark.parametrize("raw", ["ten", "1.5"])
def test_env_int_refuses_other_values(monkeypatch, raw):
    # given a variable that is not a whole number / when read / then configuration is refused
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must be a whole number"):
        env_int(VAR, 5)
