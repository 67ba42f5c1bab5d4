"""Forms of consent: what a user records on the client page, and what the client clicks on their own page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.consent.choices import PAGE_SOURCES

ACTIONS = [("give", _("Give")), ("withdraw", _("Withdraw"))]


class ConsentActionForm(forms.Form):
    """A purpose (by code) and whether consent is given or withdrawn: the client's one click."""

    purpose = forms.SlugField(label=_("Purpose"), max_length=50)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)

    @property
    def granted(self) -> bool:
        return self.cleaned_data["action"] == "give"


class ConsentRecordForm(ConsentActionForm):
    """A user records what the client told them, and how."""

    source = forms.ChoiceField(label=_("How the client told us"), choices=[(s.value, s.label) for s in PAGE_SOURCES])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
