"""Forms of HR: they parse input; the services decide. Knowledge and quality grids are built from the choices,
one field per area or quality."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.clients.models import ClientGroup
from rapport.hiring.choices import (
    CandidateStatus,
    EducationField,
    KnowledgeArea,
    Participation,
    Quality,
    Section,
)
from rapport.hiring.contracts import AMENDABLE_FIELDS
from rapport.hiring.models import (
    Candidate,
    EmploymentContract,
    JobDescriptionTemplate,
    JobDescriptionVersion,
    Position,
    RequirementProfile,
    Training,
)
from rapport.managers.choices import ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager

DATE = forms.DateInput(attrs={"type": "date"})
LEVELS = [("", "—"), *[(str(n), str(n)) for n in range(1, 6)]]
SECTION_WIDGET = forms.Textarea(attrs={"rows": 5})


class ConfirmWordingMixin(forms.Form):
    confirm_wording = forms.BooleanField(
        label=_("I have reviewed the flagged wording and it is needed for the work"), required=False
    )


class TemplateForm(ConfirmWordingMixin, forms.ModelForm):
    class Meta:
        model = JobDescriptionTemplate
        fields = ["name", "language", "manager_type", "level", "title", "is_active", *Section.values]
        widgets = {section: SECTION_WIDGET for section in Section.values}

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class JobDescriptionCreateForm(ConfirmWordingMixin):
    template = forms.ModelChoiceField(queryset=JobDescriptionTemplate.objects.none(), label=_("Template"))
    title = forms.CharField(label=_("Title"), required=False, help_text=_("Empty: the template's title."))
    position = forms.ModelChoiceField(queryset=Position.objects.none(), label=_("For the position"), required=False)
    manager = forms.ModelChoiceField(queryset=ClientManager.objects.none(), label=_("For the person"), required=False)
    company_tasks = forms.CharField(
        label=_("Company-specific tasks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One task a line; added to the template's."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = JobDescriptionTemplate.objects.visible_to(user).filter(is_active=True)
        self.fields["position"].queryset = Position.objects.visible_to(user)
        self.fields["manager"].queryset = (
            ClientManager.objects.visible_to(user).exclude(employment_status="dismissed").select_related("user")
        )

    def clean(self):
        data = super().clean()
        if data.get("position") and data.get("manager"):
            raise forms.ValidationError(_("A job description is for a position or for a person, not both."))
        return data


class SectionsForm(ConfirmWordingMixin, forms.ModelForm):
    """The sections of a draft (or of the next draft, when the latest version is issued)."""

    title = forms.CharField(label=_("Title"))

    class Meta:
        model = JobDescriptionVersion
        fields = [*Section.values, "note"]
        widgets = {section: SECTION_WIDGET for section in Section.values}

    def _post_clean(self):
        pass


def _grid(form, prefix: str, choices, field_factory) -> None:
    for value, label in choices:
        form.fields[f"{prefix}{value}"] = field_factory(label)


class ProfileForm(forms.ModelForm):
    """A requirement profile with a grid of knowledge levels (and essential marks) and quality weights."""

    class Meta:
        model = RequirementProfile
        fields = [
            "name",
            "manager_type",
            "level",
            "min_experience_years",
            "full_experience_years",
            "min_education",
            "accepted_fields",
            "preferred_field",
            "client_base_groups",
            "client_base_target",
            "weight_experience",
            "weight_education",
            "weight_knowledge",
            "weight_qualities",
            "weight_client_base",
        ]
        widgets = {"client_base_groups": forms.CheckboxSelectMultiple}

    accepted_fields = forms.MultipleChoiceField(
        choices=EducationField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Accepted fields of education"),
        help_text=_("None ticked: any field is accepted."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_base_groups"].queryset = ClientGroup.objects.visible_to(user)
        self.fields["min_experience_years"].required = False
        self.fields["full_experience_years"].required = False
        self.fields["min_experience_years"].help_text = _("Empty: the level's default (junior 1, middle 3, senior 5).")
        self.fields["full_experience_years"].help_text = _("Empty: the level's default (junior 1, middle 5, senior 8).")
        knowledge = self.instance.knowledge or {}
        essential = set(self.instance.essential_areas or [])
        qualities = self.instance.qualities or {}
        _grid(
            self,
            "k_",
            KnowledgeArea.choices,
            lambda label: forms.TypedChoiceField(
                label=label, choices=[("0", "—"), *LEVELS[1:]], coerce=int, required=False, empty_value=0
            ),
        )
        _grid(self, "e_", KnowledgeArea.choices, lambda label: forms.BooleanField(label=_("essential"), required=False))
        _grid(
            self,
            "q_",
            Quality.choices,
            lambda label: forms.IntegerField(label=label, min_value=0, max_value=10, required=False),
        )
        for area in KnowledgeArea.values:
            self.initial.setdefault(f"k_{area}", str(knowledge.get(area, 0)))
            self.initial.setdefault(f"e_{area}", area in essential)
        for quality in Quality.values:
            self.initial.setdefault(f"q_{quality}", qualities.get(quality, 0))

    @property
    def knowledge_rows(self):
        return [(label, self[f"k_{value}"], self[f"e_{value}"]) for value, label in KnowledgeArea.choices]

    @property
    def quality_rows(self):
        return [(label, self[f"q_{value}"]) for value, label in Quality.choices]

    @property
    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["client_base_groups"] = list(self.cleaned_data["client_base_groups"])
        data["knowledge"] = {area: self.cleaned_data[f"k_{area}"] for area in KnowledgeArea.values}
        data["essential_areas"] = [area for area in KnowledgeArea.values if self.cleaned_data[f"e_{area}"]]
        data["qualities"] = {q: self.cleaned_data[f"q_{q}"] or 0 for q in Quality.values}
        for name in ("min_experience_years", "full_experience_years"):
            if data[name] is None:
                data.pop(name)
        return data


class PositionForm(ConfirmWordingMixin, forms.ModelForm):
    class Meta:
        model = Position
        fields = [
            "title",
            "manager_type",
            "level",
            "work_mode",
            "profile",
            "currency",
            "pay_min",
            "pay_max",
            "is_open",
            "ad_text",
        ]
        widgets = {"ad_text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = RequirementProfile.objects.visible_to(user)

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "position",
            "source",
            "years_of_experience",
            "experience_note",
            "education_level",
            "education_field",
            "education_note",
            "client_base_size",
            "client_base_group",
            "currency",
            "expected_pay",
            "offered_pay",
            "consent_to_keep",
            "consent_on",
            "notes",
        ]
        widgets = {
            "consent_on": DATE,
            "experience_note": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.visible_to(user)
        self.fields["client_base_group"].queryset = ClientGroup.objects.visible_to(user)
        self.fields["client_base_group"].help_text = _("The company's field (client group) the clients are in.")

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _score_field(label) -> forms.Field:
    return forms.TypedChoiceField(label=label, choices=LEVELS, coerce=int, required=False, empty_value=None)


class AssessmentForm(forms.Form):
    """One interviewer's scores: 1–5 per knowledge area and quality, empty where not assessed."""

    interviewer = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("Interviewer"))
    assessed_on = forms.DateField(label=_("Interview date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
        )
        self.fields["interviewer"].label_from_instance = lambda user: user.display_name
        self.initial.setdefault("assessed_on", timezone.localdate())
        _grid(self, "k_", KnowledgeArea.choices, _score_field)
        _grid(self, "q_", Quality.choices, _score_field)

    @property
    def knowledge_rows(self):
        return [self[f"k_{value}"] for value in KnowledgeArea.values]

    @property
    def quality_rows(self):
        return [self[f"q_{value}"] for value in Quality.values]

    def scores(self, prefix: str, values) -> dict:
        return {v: self.cleaned_data[f"{prefix}{v}"] for v in values if self.cleaned_data.get(f"{prefix}{v}")}


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, label) for value, label in CandidateStatus.choices if value != CandidateStatus.HIRED],
    )
    note = forms.CharField(label=_("Note"), required=False)


class EvaluateForm(forms.Form):
    profile = forms.ModelChoiceField(queryset=RequirementProfile.objects.none(), label=_("Requirement profile"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = RequirementProfile.objects.visible_to(user)


class ClientBaseForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row with the columns name, kind, registration_number, email, phone, city; "
            "commas or semicolons; UTF-8."
        ),
    )


class HireForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    manager_type = forms.ChoiceField(label=_("Type"), choices=ManagerType.choices)
    level = forms.ChoiceField(label=_("Level"), choices=ManagerLevel.choices)
    work_mode = forms.ChoiceField(label=_("Work mode"), choices=WorkMode.choices)
    vip_qualified = forms.BooleanField(label=_("VIP-qualified"), required=False)
    hire_date = forms.DateField(label=_("Hire date"), widget=DATE)
    convert_client_base = forms.BooleanField(
        label=_("Make the client base they bring prospects of the new manager"), required=False, initial=True
    )

    def service_data(self) -> dict:
        keys = ("manager_type", "level", "work_mode", "vip_qualified", "hire_date")
        return {key: self.cleaned_data[key] for key in keys}


class ContractForm(forms.ModelForm):
    class Meta:
        model = EmploymentContract
        fields = [
            "position",
            "contract_type",
            "term",
            "start_date",
            "end_date",
            "probation_months",
            "working_time",
            "hours_per_week",
            "base_salary",
            "currency",
            "job_description_version",
            "client_base_protection",
            "protection_clause",
            "signed_on",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "signed_on": DATE,
            "protection_clause": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, amend=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.visible_to(user)
        versions = JobDescriptionVersion.objects.visible_to(user).filter(issued_at__isnull=False)
        self.fields["job_description_version"].queryset = versions.select_related("job_description")
        self.fields["protection_clause"].help_text = _("Empty: the product's wording.")
        self.fields["contract_type"].help_text = _(
            "A client manager works under an employment contract; a civil-law contract is refused."
        )
        if amend:
            for name in list(self.fields):
                if name not in AMENDABLE_FIELDS:
                    del self.fields[name]
            self.fields["effective_on"] = forms.DateField(label=_("Effective from"), widget=DATE)
            self.fields["note"] = forms.CharField(
                label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}


class ContractEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Last day"), widget=DATE)
    end_reason = forms.CharField(label=_("Reason"), max_length=300)


class TrainingForm(forms.ModelForm):
    knowledge_areas = forms.MultipleChoiceField(
        label=_("Knowledge areas covered"),
        choices=KnowledgeArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Training
        fields = [
            "title",
            "kind",
            "provider",
            "trainer",
            "starts_on",
            "ends_on",
            "cost",
            "currency",
            "knowledge_areas",
            "description",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ParticipantAddForm(forms.Form):
    manager = forms.ModelChoiceField(queryset=ClientManager.objects.none(), label=_("Manager"))

    def __init__(self, *args, user, training, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = (
            ClientManager.objects.visible_to(user)
            .exclude(employment_status="dismissed")
            .exclude(trainings__training=training)
            .select_related("user")
        )


class ParticipantForm(forms.Form):
    status = forms.ChoiceField(label=_("Attendance"), choices=Participation.choices)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class KnowledgeForm(forms.Form):
    """A manager's assessed levels, 1–5 in steps of 0.5."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_on", timezone.localdate())
        _grid(
            self,
            "k_",
            KnowledgeArea.choices,
            lambda label: forms.DecimalField(label=label, min_value=1, max_value=5, decimal_places=1, required=False),
        )

    @property
    def rows(self):
        return [self[f"k_{value}"] for value in KnowledgeArea.values]

    def levels(self) -> dict:
        return {area: self.cleaned_data[f"k_{area}"] for area in KnowledgeArea.values}
