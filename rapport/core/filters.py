"""Filter widgets shared by every FilterSet."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.widgets import BooleanWidget

ANY = _("Any")

# The largest id a 64-bit id column holds; a larger number in a filter would overflow the database driver.
MAX_ID = 2**63 - 1


class YesNoAnyWidget(BooleanWidget):
    """A yes/no select whose empty choice reads "Any" (not "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", ANY), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoAnyWidget)
        super().__init__(*args, **kwargs)


class AnyChoiceFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ANY)
        super().__init__(*args, **kwargs)


class AnyModelChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", ANY)
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes any decimal up to 1e50)."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return None  # bounded by the field's own min_value and max_value


class IdFilter(IntegerFilter):
    """The id of a record: a whole number from 1 to ``MAX_ID``; anything else answers a validation error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None or value.tzinfo is None:
            return value
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 is before the first representable moment
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """django-filter's ISO 8601 date-time filter, with the value in UTC (see ``UtcIsoDateTimeField``)."""

    field_class = UtcIsoDateTimeField
