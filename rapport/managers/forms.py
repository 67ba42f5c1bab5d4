"""Manager profile forms: they parse input; the services decide."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import ClientGroup
from rapport.managers.models import ClientManager

PROFILE_FIELDS = [
    "manager_type",
    "level",
    "work_mode",
    "vip_qualified",
    "capacity",
    "client_groups",
    "employment_status",
    "status_since",
    "hire_date",
    "dismissal_date",
    "years_of_experience",
]


class ManagerForm(forms.ModelForm):
    """Create (choosing a user account without a profile) or edit a manager profile."""

    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("User account"))

    class Meta:
        model = ClientManager
        fields = PROFILE_FIELDS
        widgets = {
            "status_since": forms.DateInput(attrs={"type": "date"}),
            "hire_date": forms.DateInput(attrs={"type": "date"}),
            "dismissal_date": forms.DateInput(attrs={"type": "date"}),
            "client_groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_groups"].queryset = ClientGroup.objects.visible_to(user)
        self.fields["status_since"].required = False
        if self.instance.pk:
            del self.fields["user"]
        else:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True, manager_profile__isnull=True)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "user"}
        if not data.get("status_since"):
            data.pop("status_since", None)
        return data
