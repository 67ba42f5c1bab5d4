"""Forms of the pipeline: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts import roles
from rapport.clients.choices import Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import LostReason, Stage
from rapport.pipeline.services import PROSPECT_FIELDS, PROSPECT_MANAGEMENT_FIELDS

PROSPECT_FORM_FIELDS = [
    "kind",
    "name",
    "registration_number",
    "tax_number",
    "email",
    "phone",
    "address",
    "city",
    "postal_code",
    "country",
    "language",
    "group",
    "motivation",
    "motivation_note",
]


def _active_managers(user):
    return (
        ClientManager.objects.visible_to(user)
        .filter(employment_status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


class ProspectForm(forms.ModelForm):
    """A new prospect and its first opportunity."""

    title = forms.CharField(
        label=_("Opportunity"), max_length=200, required=False, help_text=_("Leave empty to use the client's name.")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=ClientManager.objects.none(), required=True)
    confirm_similar = forms.BooleanField(
        label=_("I have checked the similar clients: this is a different client."), required=False
    )

    class Meta:
        model = Client
        fields = PROSPECT_FORM_FIELDS
        widgets = {"motivation_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = PROSPECT_FIELDS | (PROSPECT_MANAGEMENT_FIELDS if roles.is_management(user) else frozenset())
        for name in PROSPECT_FORM_FIELDS:
            if name not in allowed:
                del self.fields[name]
        if "group" in self.fields:
            self.fields["group"].queryset = ClientGroup.objects.visible_to(user)
        if roles.is_management(user):
            self.fields["manager"].queryset = _active_managers(user)
        else:
            del self.fields["manager"]
        if "motivation" in self.fields:
            self.fields["motivation"].required = False
        self.show_confirm = False

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in PROSPECT_FORM_FIELDS if name in self.fields}
        if not data.get("motivation"):
            data["motivation"] = Motivation.UNKNOWN
        return data


class OpportunityForm(forms.Form):
    """An opportunity on an existing prospect."""

    client = forms.ModelChoiceField(label=_("Prospect"), queryset=Client.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    manager = forms.ModelChoiceField(label=_("Manager"), queryset=ClientManager.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.visible_to(user).filter(status="prospect")
        if roles.is_management(user):
            self.fields["manager"].queryset = _active_managers(user)
        else:
            del self.fields["manager"]


class MoveForm(forms.Form):
    """One move of an opportunity (the board's buttons and the detail page post this)."""

    to_stage = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(required=False, max_length=2000)
    motivation = forms.ChoiceField(
        label=_("Motivation"),
        choices=[("", "—"), *[(v, label) for v, label in Motivation.choices if v != Motivation.UNKNOWN]],
        required=False,
    )
    lost_reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *[(v, label) for v, label in LostReason.choices if v != LostReason.WIN_UNDONE]],
        required=False,
    )


class UndoWinForm(forms.Form):
    reason = forms.CharField(label=_("Why is the win undone?"), widget=forms.Textarea(attrs={"rows": 2}))
