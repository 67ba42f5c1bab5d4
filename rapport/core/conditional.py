"""Conditional writes of the API (see ``rapport.core.concurrency``): a detail answers its version as ``ETag``; a
PUT or PATCH with ``If-Match`` is refused with 409 and what changed when the record has changed since. Without
``If-Match`` a write is not checked."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.core.concurrency import StaleVersion, etag_of
from rapport.core.serializers import StrictSerializer

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of the version the change is based on. If the record has changed since, nothing is written and "
        "the answer is 409 with what changed. Without it the write is not checked."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 201],
    description="The record's version; send it back as If-Match to change the record only if it is unchanged.",
)


class StaleChangeSerializer(StrictSerializer):
    field = serializers.CharField(help_text="The field's name.")
    yours = serializers.JSONField(required=False, help_text="The value you sent, if you sent the field.")
    current = serializers.JSONField(allow_null=True, help_text="The value now (related records by id).")
    changed_by = serializers.CharField(allow_null=True, help_text="Who changed it last, if known.")
    changed_at = serializers.DateTimeField(allow_null=True, help_text="When it was changed last, if known.")


class StaleVersionSerializer(StrictSerializer):
    code = serializers.CharField(help_text="Always ``stale_version``.")
    detail = serializers.CharField()
    changes = StaleChangeSerializer(many=True)
    version = serializers.CharField(allow_null=True, help_text="The current version (also the answer's ETag).")


STALE_RESPONSE = OpenApiResponse(
    StaleVersionSerializer,
    description="The record changed after the version in If-Match; nothing was written. Lists what changed.",
)


def versioned_update(serializer_class):
    """The schema of a PUT or PATCH that takes ``If-Match``: the record and its ETag, or 409 when stale."""
    return extend_schema(parameters=[IF_MATCH, ETAG], responses={200: serializer_class, 409: STALE_RESPONSE})


def versioned_retrieve():
    """The schema of a detail that answers its version as ``ETag``."""
    return extend_schema(parameters=[ETAG])


def if_match(request: Request) -> list[str] | None:
    """The versions named by the request's ``If-Match`` (entity tags, weak or strong, without quotes); None
    without the header or for ``*`` (any version)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    tags = []
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.append(tag.strip('"'))
    return tags


def with_etag(response: Response, instance) -> Response:
    """``response`` with ``instance``'s version as its ETag."""
    etag = etag_of(instance)
    if etag is not None:
        response["ETag"] = etag
    return response


def stale_response(exc: StaleVersion) -> Response:
    """The 409 answer to a stale write: ``{code, detail, changes, version}``, the current version as ETag."""
    response = Response(StaleVersionSerializer(exc.as_data()).data, status=409)  # times as everywhere in the API
    if exc.version is not None:
        response["ETag"] = f'"{exc.version}"'
    return response
