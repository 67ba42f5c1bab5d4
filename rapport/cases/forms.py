"""Forms of interactions and cases: they parse input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rapport.accounts import roles
from rapport.cases.lifecycle import Action
from rapport.cases.models import Case, Interaction
from rapport.clients.models import Client
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager


class _ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_work_mode_display()})"


def active_managers(user):
    """Active managers ``user`` may see, for choosing a handler or the manager of an interaction."""
    return (
        ClientManager.objects.visible_to(user).filter(employment_status=EmploymentStatus.ACTIVE).select_related("user")
    )


class _ClientChoice:
    """A form whose client is either fixed (``?client=`` on the page) or chosen among the user's clients.

    Management sees every client, too many for a list: they start from a client's page instead."""

    def _setup_client(self, *, user, client: Client | None, own_only: bool = False) -> None:
        self.client = client
        if client is not None or (roles.sees_all_clients(user) and not own_only):
            del self.fields["client"]
            return
        clients = Client.objects.visible_to(user)
        if roles.sees_all_clients(user):
            # Management with a manager profile: their own personal clients.
            clients = clients.filter(assignments__end_date__isnull=True, assignments__manager__user_id=user.pk)
        self.fields["client"].queryset = clients.order_by("name", "id")

    def chosen_client(self) -> Client | None:
        """The fixed client, else the one chosen on the form."""
        return self.client or self.cleaned_data.get("client")


class CaseOpenForm(_ClientChoice, forms.ModelForm):
    """Open a case: what the problem is, its category and the requested priority."""

    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=_("Client"))

    class Meta:
        model = Case
        fields = ["client", "subject", "description", "category", "priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"priority": _("A VIP client's case is raised one level (urgent stays urgent).")}

    def __init__(self, *args, user, client: Client | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_client(user=user, client=client)

    def _post_clean(self):
        # The service validates the whole case and reports errors back here.
        pass

    def service_data(self) -> dict:
        """The ``data`` of ``case_open``."""
        return {name: self.cleaned_data[name] for name in ("subject", "description", "category", "priority")}


class InteractionForm(_ClientChoice, forms.ModelForm):
    """Log a contact with a client. Management chooses the manager; a client manager logs their own."""

    client = forms.ModelChoiceField(queryset=Client.objects.none(), label=_("Client"))
    manager = _ManagerChoiceField(queryset=ClientManager.objects.none(), label=_("Manager"))
    request_rating = forms.BooleanField(
        label=_("Ask the client to rate this contact"),
        required=False,
        help_text=_("An e-mail with a one-time link, if the client has an address and was not asked recently."),
    )

    class Meta:
        model = Interaction
        fields = ["client", "manager", "channel", "occurred_at", "summary", "outcome", "follow_up_on", "case"]
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, client: Client | None = None, quick: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].required = False
        self.fields["occurred_at"].help_text = _("Leave empty for now.")
        self._setup_client(user=user, client=client, own_only=quick)
        if roles.is_management(user):
            self.fields["manager"].queryset = active_managers(user)
        else:
            del self.fields["manager"]
        if client is None or quick:
            del self.fields["case"]
        else:
            self.fields["case"].queryset = Case.objects.visible_to(user).filter(client=client).order_by("-opened_at")
            self.fields["case"].required = False
        if quick:
            del self.fields["outcome"]

    def clean_occurred_at(self):
        return self.cleaned_data.get("occurred_at") or None

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        """The ``data`` of ``interaction_log`` (an empty time means now)."""
        names = ("manager", "channel", "occurred_at", "summary", "outcome", "follow_up_on", "case")
        data = {name: self.cleaned_data[name] for name in names if name in self.fields}
        if data.get("occurred_at") is None:
            data.pop("occurred_at", None)
        return data


class AcknowledgeForm(forms.Form):
    problem_statement = forms.CharField(
        label=_("Problem statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The client's problem in your own words: proof that it was understood."),
    )


class StartForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the problem was solved; the client is asked to rate it."),
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("What came back or was missed.")
    )


class ReassignForm(forms.Form):
    handler = _ManagerChoiceField(queryset=ClientManager.objects.none(), label=_("New handler"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        managers = active_managers(user)
        if case.handler_id:
            managers = managers.exclude(pk=case.handler_id)
        self.fields["handler"].queryset = managers


TRANSITION_FORMS: dict[Action, type[forms.Form]] = {
    Action.ACKNOWLEDGE: AcknowledgeForm,
    Action.START: StartForm,
    Action.RESOLVE: ResolveForm,
    Action.CLOSE: CloseForm,
    Action.REOPEN: ReopenForm,
    Action.REASSIGN: ReassignForm,
}


def transition_form(action: Action, *, user, case: Case, data=None) -> forms.Form:
    """The form of ``action``, bound to ``data`` when given; its prefix keeps the forms of one page apart."""
    form_class = TRANSITION_FORMS[action]
    kwargs = {"prefix": str(action)}
    if form_class is ReassignForm:
        kwargs.update(user=user, case=case)
    return form_class(data, **kwargs)
