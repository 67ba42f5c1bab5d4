"""Forms of the client registry: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import Client, ClientGroup
from rapport.clients.services import client_writable_fields
from rapport.managers.choices import ManagerType

CLIENT_FORM_FIELDS = [
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
    "group",
    "status",
    "motivation",
    "motivation_note",
    "is_vip",
    "vip_since",
    "vip_reason",
    "vip_terms",
]


class ClientForm(forms.ModelForm):
    """Create or edit a client; shows only the fields the user may write."""

    class Meta:
        model = Client
        fields = CLIENT_FORM_FIELDS
        widgets = {
            "vip_since": forms.DateInput(attrs={"type": "date"}),
            "vip_terms": forms.Textarea(attrs={"rows": 3}),
            "motivation_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = client_writable_fields(user)
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        if "group" in self.fields:
            self.fields["group"].queryset = ClientGroup.objects.visible_to(user)

    def _post_clean(self):
        # The service validates the whole client (model rules and authority) and reports errors back here.
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class ClientGroupForm(forms.ModelForm):
    manager_types = forms.MultipleChoiceField(
        label=_("Manager types"),
        choices=ManagerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ClientGroup
        fields = ["name", "description", "manager_types"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}
