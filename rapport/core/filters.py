"""Filter widgets shared by every FilterSet."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

ANY = _("Any")


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
