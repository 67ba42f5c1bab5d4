"""API plumbing shared by every app: the exception handler that turns service errors into 400s with codes."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views.defaults import page_not_found
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from rapport.core.concurrency import StaleVersion
from rapport.core.conditional import stale_response


def _django_errors(exc: DjangoValidationError) -> dict:
    """Django's ValidationError as ``{field: [{"message", "code"}]}`` (non-field errors under the DRF key)."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(non_field, exc.error_list)]
    result = {}
    for field, errors in items:
        key = non_field if field in (None, "__all__") else field
        result[key] = [
            {"message": str(message), "code": error.code or "invalid", **_details(error)}
            for error in errors
            for message in error.messages
        ]
    return result


# Machine-readable details a service refusal may carry (see ``rapport.core.errors.refuse``), e.g. the existing
# client a duplicate matches; other params of Django's own errors are not exposed.
_DETAIL_KEYS = ("client_id", "client_ids")


def _details(error: DjangoValidationError) -> dict:
    params = error.params or {}
    details = {key: params[key] for key in _DETAIL_KEYS if key in params}
    return {"details": details} if details else {}


def exception_handler(exc, context):
    """Answer validation errors with 400 and ``{field: [{"message", "code"}]}``, a stale write with 409 and what
    changed (``rapport.core.conditional``); never a 500 for bad input."""
    if isinstance(exc, StaleVersion):
        return stale_response(exc)
    if isinstance(exc, DjangoValidationError):
        return Response(_django_errors(exc), status=400)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.ValidationError):
        return Response(exc.get_full_details(), status=400)
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """The site's 404 page, or for a URL under /api/ that matches no route, the API's ``{"detail": …}``."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)
