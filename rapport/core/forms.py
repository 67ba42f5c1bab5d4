"""Form helpers shared by the UI."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: field errors under their fields, the rest on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        if field not in form.fields and field != NON_FIELD_ERRORS:
            label = field.replace("_", " ")
            errors = [ValidationError(f"{label}: {message}", code=e.code) for e in errors for message in e.messages]
        form.add_error(target, errors)
