"""Forms of compensation: they parse input (months, money, rating tiers typed as lines); the services decide."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.compensation.models import CURRENCY_CHOICES, MONEY, CompensationPlan, PlanVersion, SalaryBand

MONEY_FIELDS = (
    "base_junior",
    "base_middle",
    "base_senior",
    "allowance_corporate",
    "allowance_vip",
    "acquisition_bonus",
    "acquisition_bonus_vip",
    "service_bonus",
)
FIGURE_FIELDS = (*MONEY_FIELDS, "rating_tiers", "rating_min_count", "bonus_cap_percent")
# Most months a what-if may span: each month is a full calculation.
WHATIF_MAX_MONTHS = 24


class MonthField(forms.DateField):
    """A month typed as ``YYYY-MM`` (the browser's month picker), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def month_of(value: str | None) -> datetime.date | None:
    """``YYYY-MM`` as the month's first day, or None."""
    try:
        return datetime.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return None


def parse_tiers(text: str) -> list[dict]:
    """Rating tiers typed one per line as ``threshold amount`` (``4.5 20000``) → ``[{"threshold", "amount"}]``.
    The service checks ranges and duplicates; this only reads the numbers."""
    tiers = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.replace(";", " ").split()
        if len(parts) != 2:
            raise ValidationError(
                _("Line %(n)s: write a threshold and an amount, e.g. “4.5 20000”."),
                code="invalid_tiers",
                params={"n": number},
            )
        try:
            threshold, amount = (Decimal(p.replace(",", ".")) for p in parts)
        except InvalidOperation as exc:
            raise ValidationError(
                _("Line %(n)s: the threshold and the amount must be numbers."),
                code="invalid_tiers",
                params={"n": number},
            ) from exc
        tiers.append({"threshold": str(threshold), "amount": str(amount)})
    return tiers


def tiers_text(tiers) -> str:
    """Stored tiers as the lines the form shows."""
    return "\n".join(f"{t['threshold']} {t['amount']}" for t in tiers or [])


def _money(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"], min_value=0
    )


class FiguresForm(forms.Form):
    """The figures of a plan version (shared by the version editor and the what-if's draft)."""

    base_junior = _money(_("Base salary, junior"))
    base_middle = _money(_("Base salary, middle"))
    base_senior = _money(_("Base salary, senior"))
    allowance_corporate = _money(_("Allowance per corporate client per month"))
    allowance_vip = _money(_("Allowance per VIP client per month"))
    acquisition_bonus = _money(_("Bonus per acquired client"))
    acquisition_bonus_vip = _money(_("Bonus per acquired VIP client"))
    service_bonus = _money(_("Bonus per served client (pool managers)"))
    rating_tiers = forms.CharField(
        label=_("Rating bonus tiers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "4.5 20000\n4.8 40000"}),
        help_text=_("One tier per line: the smoothed rating to reach and the bonus, e.g. “4.5 20000”."),
    )
    rating_min_count = forms.IntegerField(label=_("Minimum ratings for the rating bonus"), min_value=0, initial=3)
    bonus_cap_percent = forms.DecimalField(
        label=_("Bonus cap, % of the prorated base"),
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty for no cap."),
    )

    def clean_rating_tiers(self):
        return parse_tiers(self.cleaned_data.get("rating_tiers", ""))

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIGURE_FIELDS}


class VersionForm(FiguresForm):
    """A plan version: its figures from a month on."""

    effective_from = MonthField(label=_("Effective from (month)"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["effective_from", *FIGURE_FIELDS, "note"]

    @classmethod
    def initial_of(cls, version: PlanVersion) -> dict:
        initial = {name: getattr(version, name) for name in (*FIGURE_FIELDS, "effective_from", "note")}
        initial["rating_tiers"] = tiers_text(version.rating_tiers)
        return initial

    def service_data(self) -> dict:
        return {
            **self.figures(),
            "effective_from": self.cleaned_data["effective_from"],
            "note": self.cleaned_data["note"],
        }


class PlanForm(forms.ModelForm):
    class Meta:
        model = CompensationPlan
        fields = ["name", "currency", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        # The service validates the model (and refuses a new currency once versions exist).
        pass


class ManagerPlanForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=CompensationPlan.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = CompensationPlan.objects.visible_to(user)


class BandForm(forms.ModelForm):
    class Meta:
        model = SalaryBand
        fields = ["name", "kind", "currency", "minimum", "maximum", "source"]

    def _post_clean(self):
        pass


class OpenPeriodForm(forms.Form):
    month = MonthField(label=_("Month"))


class ApproveForm(forms.Form):
    force = forms.BooleanField(label=_("Approve although queries are open"), required=False)
    note = forms.CharField(
        label=_("Why (required with open queries)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LineChoiceForm(forms.Form):
    """A form about one line of a statement; ``line`` is ``kind|reference month``."""

    line = forms.ChoiceField(label=_("Line"))

    def __init__(self, *args, lines, extra=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = list(lines) + list(extra)


class QueryForm(LineChoiceForm):
    comment = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(LineChoiceForm):
    amount = forms.DecimalField(label=_("Amount"), max_digits=MONEY["max_digits"], decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    query = forms.IntegerField(required=False, widget=forms.HiddenInput)


class WhatIfForm(FiguresForm):
    """Try a saved plan version, or figures typed here (a draft, not saved), on past months."""

    SOURCES = [("version", _("A plan version")), ("draft", _("Figures typed here"))]

    source = forms.ChoiceField(label=_("Try"), choices=SOURCES, initial="version", widget=forms.RadioSelect)
    version = forms.ModelChoiceField(label=_("Plan version"), queryset=PlanVersion.objects.none(), required=False)
    currency = forms.ChoiceField(
        label=_("Currency of the draft"), choices=CURRENCY_CHOICES, initial="HUF", required=False
    )
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))

    field_order = ["source", "version", "start", "end", "currency", *FIGURE_FIELDS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = PlanVersion.objects.visible_to(user).select_related("plan")
        for name in FIGURE_FIELDS:
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if data.get("source") == "version" and not data.get("version"):
            self.add_error("version", _("Choose a plan version."))
        if data.get("source") == "draft":
            for name in (*MONEY_FIELDS, "currency"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Required for a draft."))
            if data.get("rating_min_count") is None:
                data["rating_min_count"] = 0
        start, end = data.get("start"), data.get("end")
        if start and end:
            this_month = timezone.localdate().replace(day=1)
            if end < start:
                self.add_error("end", _("The last month comes after the first."))
            elif end > this_month:
                self.add_error("end", _("A what-if runs on past and current months only."))
            elif len(self.months()) > WHATIF_MAX_MONTHS:
                self.add_error("end", _("At most %(n)s months at a time.") % {"n": WHATIF_MAX_MONTHS})
        return data

    def months(self) -> list[datetime.date]:
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        months = []
        month = start
        while month <= end and len(months) <= WHATIF_MAX_MONTHS:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months
