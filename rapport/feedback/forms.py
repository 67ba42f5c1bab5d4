"""Forms of ratings: the client's rating form and the period filters of the ratings pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from rapport.core.filters import ANY
from rapport.feedback.periods import Period, period_from
from rapport.feedback.selectors import DEFAULT_SORT, SUMMARY_SORTS
from rapport.feedback.services import COMMENT_MAX_LENGTH
from rapport.managers.choices import ManagerType

# What each number of stars means, shown beside the stars on the client's page.
STAR_MEANINGS = {
    1: pgettext_lazy("rating", "Poor"),
    2: pgettext_lazy("rating", "Fair"),
    3: pgettext_lazy("rating", "Good"),
    4: pgettext_lazy("rating", "Very good"),
    5: pgettext_lazy("rating", "Excellent"),
}
STARS_MESSAGE = _("Choose from 1 to 5 stars.")


class RatingForm(forms.Form):
    """The client's rating: 1–5 stars and an optional comment. The service checks both again."""

    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(n, str(n)) for n in STAR_MEANINGS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": STARS_MESSAGE, "invalid_choice": STARS_MESSAGE},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PeriodForm(forms.Form):
    """A month, or a range of days; nothing chosen means the current month (see ``periods.period_from``)."""

    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                data["period"] = period_from(month=data.get("month"), start=data.get("start"), end=data.get("end"))
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    self.add_error(field, errors)
        return data

    def period(self) -> Period | None:
        """The chosen period, or None when the form is invalid."""
        return self.cleaned_data.get("period") if self.is_valid() else None


class RatingTableForm(PeriodForm):
    """The ratings table's filters: the period, the manager type, and the order."""

    manager_type = forms.ChoiceField(label=_("Manager type"), required=False, choices=[("", ANY), *ManagerType.choices])
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("-smoothed", _("Smoothed rating, highest first")),
            ("smoothed", _("Smoothed rating, lowest first")),
            ("-count", _("Most ratings first")),
            ("count", _("Fewest ratings first")),
            ("-mean", _("Mean, highest first")),
            ("mean", _("Mean, lowest first")),
            ("name", _("Name, A to Z")),
            ("-name", _("Name, Z to A")),
        ],
    )

    def sort_key(self) -> str:
        value = self.cleaned_data.get("sort") if self.is_valid() else ""
        return value if value in SUMMARY_SORTS else DEFAULT_SORT
