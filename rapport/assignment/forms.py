"""The assign form: pick a personal manager and add a note; the assignment service decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.managers.choices import EmploymentStatus, WorkMode
from rapport.managers.models import ClientManager


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        load = getattr(obj, "load", None)
        extra = f" — {load}/{obj.capacity}" if load is not None else ""
        vip = " ★" if obj.vip_qualified else ""
        return f"{obj.name} ({obj.get_manager_type_display()}, {obj.get_level_display()}){vip}{extra}"


class AssignForm(forms.Form):
    """Choose a manager among the active personal managers the user may see."""

    manager = ManagerChoiceField(queryset=ClientManager.objects.none(), label=_("Personal manager"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = (
            ClientManager.objects.visible_to(user)
            .filter(work_mode=WorkMode.PERSONAL, employment_status=EmploymentStatus.ACTIVE)
            .select_related("user")
            .with_load()
        )


class UnassignForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
