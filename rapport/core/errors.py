"""Errors raised by services.

A service refuses bad input with Django's ``ValidationError`` carrying a code from an error-code enum and a
translated message; the UI shows the message, the API returns message and code. Permission refusals raise
Django's ``PermissionDenied``.
"""

from enum import StrEnum

from django.core.exceptions import ValidationError


def refuse(code: StrEnum, message: str, *, field: str | None = None, **params) -> ValidationError:
    """Build the ValidationError a service raises: ``raise refuse(Code.X, _("…"), field="name")``. ``params`` are
    machine-readable details for interfaces (e.g. the id of a duplicate client), read from ``error.params``."""
    if params:
        # Django formats a message with its params when it is read; the message is already formatted, so any
        # "%" in it (a client named "50% Kft.") must survive that second pass.
        message = str(message).replace("%", "%%")
    error = ValidationError(message, code=str(code), params=params or None)
    if field:
        return ValidationError({field: [error]})
    return error
