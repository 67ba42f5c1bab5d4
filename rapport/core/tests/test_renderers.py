"""The orjson renderer writes the bytes DRF's ``JSONRenderer`` writes."""

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from rapport.core.renderers import FastJSONRenderer, with_fast_json

BUDAPEST = datetime.timezone(datetime.timedelta(hours=2))

VALUES = {
    "page": {
        "next": "http://testserver/api/v1/clients/?cursor=WyJBIiwgMV0&page=2",
        "previous": None,
        "results": [
            {"id": 1, "name": "Árvíztűrő Kft.", "is_vip": True, "vip_terms": "Net 60,\u2028line\u2029end", "x": None},
            {"id": 2, "name": 'Quote " back\\slash </script> \x01 \x7f', "group": 2**63 - 1},
        ],
    },
    "dates_and_times": [
        datetime.datetime(2025, 7, 1, 9, 30, 5, 123456, tzinfo=datetime.UTC),
        datetime.datetime(2025, 7, 1, 9, 30, 5, tzinfo=BUDAPEST),
        datetime.datetime(2025, 7, 1, 9, 30),
        datetime.date(2024, 2, 29),
        datetime.time(8, 15, 0, 250000),
        datetime.timedelta(hours=1, seconds=3),
    ],
    "other_types": [
        decimal.Decimal("1234.50"),
        gettext_lazy("Client"),
        ErrorDetail("This field is required.", code="required"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        ("a", 1),
        ReturnDict({"b": [1, 2]}, serializer=None),
        ReturnList([{"c": True}], serializer=None),
        "",
        [],
        {},
    ],
    "beyond_64_bits": {"big": 2**70},
    "integer_keys": {1: "one", 2: "two"},
    "nothing": None,
}


@pytest.mark.parametrize("name", list(VALUES))
@pytest.mark.parametrize("accepted", [None, "application/json", "application/json; indent=4"])
def test_the_bytes_are_those_of_jsonrenderer(name, accepted):
    # given a value an API answer may hold / when both renderers write it / then the bytes are equal
    data = VALUES[name]
    assert FastJSONRenderer().render(data, accepted) == JSONRenderer().render(data, accepted)


def test_only_the_json_renderer_is_replaced():
    assert with_fast_json([JSONRenderer, BrowsableAPIRenderer]) == [FastJSONRenderer, BrowsableAPIRenderer]
    assert with_fast_json([BrowsableAPIRenderer]) == [BrowsableAPIRenderer]
