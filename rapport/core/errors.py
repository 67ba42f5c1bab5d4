"""Errors raised by services.

A service refuses bad input with Django's ``ValidationError`` carrying a code from an error-code enum and a
translated message; the UI shows the message, the API returns message and code. Permission refusals raise
Django's ``PermissionDenied``.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError


def refuse(code: StrEnum, message: str, *, field: str | None = None, **params) -> ValidationError:
    """Build the ValidationError a service raises: ``raise refuse(Code.X, _("…"), field="name")``."""
    error = ValidationError(message, code=str(code), params=params or None)
    if field:
        return ValidationError({field: [error]})
    return error
