"""The OpenAPI schema class of the API: drf-spectacular's, plus the error answers every operation can give.

The error bodies are those of ``rapport.core.api.exception_handler``, documented once as components:

- ``Error``: ``{"detail": "…"}`` (permission denied, not found, unreadable JSON, …);
- ``ValidationError``: ``{field: [{"message", "code", "details"?}]}``, non-field errors under ``non_field_errors``;
  nested input answers nested objects.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR = {
    "type": "object",
    "description": "A refusal that concerns no single field.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERROR = {
    "type": "object",
    "description": "One error of one field: a human-readable message and a stable code.",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "details": {"type": "object", "additionalProperties": True, "description": "Machine-readable details."},
    },
    "required": ["message", "code"],
}


def _blank_model_choice(field) -> bool:
    """Whether ``field`` is a read-only choice field of a ModelSerializer whose model field may be blank."""
    if not isinstance(field, serializers.ChoiceField) or not field.read_only or field.allow_blank:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source or field.source == "*":
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    return bool(model_field.blank and model_field.choices)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the 400/401/403/404 answers and blank e-mail and URL fields."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        error = self._component("Error", ERROR)
        parameters = operation.get("parameters", [])
        if self.method != "GET" or any(p["in"] == "query" for p in parameters):
            responses.setdefault("400", self._error_response(_("Invalid input."), self._validation_error(error)))
        if self._challenges():
            responses.setdefault("401", self._error_response(_("No valid API token."), error))
        responses.setdefault("403", self._error_response(_("Not allowed, or no valid credentials."), error))
        # A body may name a record too (a client, a manager): one out of the caller's sight is 404 like a path's.
        if self.method != "GET" or any(p["in"] == "path" for p in parameters):
            responses.setdefault("404", self._error_response(_("No such record among those you may see."), error))
        if "requestBody" in operation:
            responses.setdefault("415", self._error_response(_("The body is of a media type not accepted."), error))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if _blank_model_choice(field):
            # DRF drops allow_blank from read-only fields, but the model stores "" for "none chosen".
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        # An optional e-mail or URL is stored as "": the format alone would reject it.
        if (
            isinstance(field, serializers.EmailField | serializers.URLField)
            and field.allow_blank
            and "format" in schema
        ):
            schema["anyOf"] = [{"format": schema.pop("format")}, {"maxLength": 0}]

    def _challenges(self) -> bool:
        """Whether a request without valid credentials answers 401 (the first authenticator sends a challenge)."""
        authenticators = self.view.get_authenticators()
        return bool(authenticators) and bool(authenticators[0].authenticate_header(self.view.request))

    def _component(self, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
        self.registry.register_on_missing(component)
        return component.ref

    def _validation_error(self, error: dict) -> dict:
        field_error = self._component("FieldError", FIELD_ERROR)
        validation = self._component(
            "ValidationError",
            {
                "type": "object",
                "description": "Errors by field name; errors of the input as a whole under non_field_errors.",
                "additionalProperties": {
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {
                                "anyOf": [
                                    field_error,
                                    {"type": "object", "description": "The errors of one item of a list of objects."},
                                ]
                            },
                        },
                        {"type": "object", "description": "The errors of a nested object."},
                    ]
                },
            },
        )
        return {"anyOf": [validation, error]}

    @staticmethod
    def _error_response(description, schema: dict) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}
