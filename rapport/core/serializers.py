"""Serializer bases of the API: input that names a field the serializer does not take is refused, not ignored.

DRF ignores unknown and read-only keys of a payload. For an API whose roles may write different fields (a manager
may not set the VIP flag or the owner; pay figures are Payroll's), silently dropping them hides mistakes and
probes alike, so every serializer of the project answers them with 400 and a code per field:

- ``unknown_field``: no such field, or not one this user may write (a serializer drops the fields a role may not
  see or write);
- ``read_only``: a read-only field with a value other than the one it has (a representation sent back unchanged,
  as a PUT of a fetched object does, is accepted).
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

# Keys a browser form adds to a payload that no serializer declares.
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


class StrictInputMixin:
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = self._refused_keys(data)
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)

    def _refused_keys(self, data: Mapping) -> dict:
        errors: dict[str, list[ErrorDetail]] = {}
        current = None
        for name in data:
            if name in IGNORED_KEYS:
                continue
            field = self.fields.get(name)
            if field is None:
                errors[name] = [
                    ErrorDetail(str(_("This field does not exist or you may not write it.")), "unknown_field")
                ]
            elif field.read_only:
                if current is None and self.instance is not None:
                    current = self.to_representation(self.instance)
                if current is None or current.get(name) != data[name]:
                    errors[name] = [ErrorDetail(str(_("This field is read-only.")), "read_only")]
        return errors


class StrictSerializer(StrictInputMixin, serializers.Serializer):
    """A plain serializer that refuses keys it does not take."""


class StrictModelSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A model serializer that refuses keys it does not take."""
