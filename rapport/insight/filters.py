"""The dashboard's filters: a period of whole months, a client group and a manager type."""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import ClientGroup
from rapport.core.filters import ANY
from rapport.managers.choices import ManagerType

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
DEFAULT_MONTHS = 6
MAX_MONTHS = 24


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """From the first day of ``first`` to the last day of ``last`` (months given by their first day); ``group``
    narrows client figures, ``manager_type`` manager figures."""

    first: datetime.date
    last: datetime.date
    group: ClientGroup | None = None
    manager_type: str = ""

    @classmethod
    def default(cls, today: datetime.date | None = None) -> "Filters":
        last = month_start(today or timezone.localdate())
        return cls(first=add_months(last, 1 - DEFAULT_MONTHS), last=last)

    @property
    def start(self) -> datetime.date:
        return self.first

    @property
    def end(self) -> datetime.date:
        return month_end(self.last)

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    def params(self) -> dict[str, str]:
        """The filters as query parameters (for exports and the report link)."""
        params = {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        if self.group is not None:
            params["group"] = str(self.group.pk)
        if self.manager_type:
            params["manager_type"] = self.manager_type
        return params

    @property
    def query(self) -> str:
        return urlencode(self.params())


class MonthField(forms.CharField):
    """A calendar month typed or picked as ``YYYY-MM``; cleans to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid_month")
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class DashboardFilterForm(forms.Form):
    from_ = MonthField(label=_("From month"), required=False)
    to = MonthField(label=_("To month"), required=False)
    group = forms.ModelChoiceField(queryset=ClientGroup.objects.none(), required=False, label=_("Client group"))
    manager_type = forms.ChoiceField(required=False, label=_("Manager type"))

    def __init__(self, *args, user=None, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # ``from`` is a Python keyword: the field is named ``from_`` and read from ``from`` in the query string.
        self.fields["from"] = self.fields.pop("from_")
        self.order_fields(["from", "to", "group", "manager_type"])
        self.fields["group"].queryset = ClientGroup.objects.visible_to(user).order_by("name")
        self.fields["group"].empty_label = ANY
        self.fields["manager_type"].choices = [("", ANY), *ManagerType.choices]
        self.today = today or timezone.localdate()
        default = Filters.default(self.today)
        self.fields["from"].initial = f"{default.first:%Y-%m}"
        self.fields["to"].initial = f"{default.last:%Y-%m}"

    def clean(self):
        data = super().clean()
        if "from" in self.errors or "to" in self.errors:
            return data
        default = Filters.default(self.today)
        first, last = data.get("from"), data.get("to")
        if first is None and last is None:
            first, last = default.first, default.last
        elif first is None:
            first = add_months(last, 1 - DEFAULT_MONTHS)
        elif last is None:
            last = max(first, default.last)
        if last < first:
            raise ValidationError(_("The period cannot end before it starts."), code="period_reversed")
        if (last.year * 12 + last.month) - (first.year * 12 + first.month) >= MAX_MONTHS:
            raise ValidationError(_("Choose at most %(count)d months.") % {"count": MAX_MONTHS}, code="period_too_long")
        data["first"], data["last"] = first, last
        return data

    def filters(self) -> Filters:
        """The chosen filters, or the defaults when the form is not valid."""
        if not self.is_valid():
            return Filters.default(self.today)
        data = self.cleaned_data
        return Filters(
            first=data["first"], last=data["last"], group=data.get("group"), manager_type=data.get("manager_type", "")
        )
