"""API shapes of HR. Serializers parse and render; the services decide (their refusals answer 400 with codes)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from rapport.clients.models import ClientGroup
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.hiring.choices import CandidateStatus, Section
from rapport.hiring.contracts import AMENDABLE_FIELDS
from rapport.hiring.explain import fit_line_sentence, part_label
from rapport.hiring.models import (
    Assessment,
    Candidate,
    ClientBaseEntry,
    ContractAmendment,
    EmploymentContract,
    FitEvaluation,
    JobDescription,
    JobDescriptionTemplate,
    JobDescriptionVersion,
    Position,
    RequirementProfile,
    Training,
    TrainingParticipant,
)
from rapport.hiring.recruiting import CANDIDATE_FIELDS
from rapport.managers.choices import ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager


class _Visible(serializers.PrimaryKeyRelatedField):
    """An id among the records of ``model`` the caller may see."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user) if request else self.model.objects.none()


class TemplateSerializer(StrictModelSerializer):
    confirm_wording = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = JobDescriptionTemplate
        fields = [
            "id",
            "name",
            "language",
            "manager_type",
            "level",
            "title",
            "is_active",
            *Section.values,
            "confirm_wording",
        ]

    def validate(self, attrs):
        return attrs  # the service runs the model's checks


class VersionSerializer(StrictModelSerializer):
    is_draft = serializers.BooleanField(read_only=True)

    class Meta:
        model = JobDescriptionVersion
        fields = [
            "id",
            "job_description",
            "number",
            *Section.values,
            "note",
            "is_draft",
            "issued_at",
            "issued_by",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class JobDescriptionSerializer(StrictModelSerializer):
    versions = serializers.SerializerMethodField()

    class Meta:
        model = JobDescription
        fields = [
            "id",
            "title",
            "language",
            "manager_type",
            "level",
            "template",
            "position",
            "manager",
            "created_at",
            "versions",
        ]
        read_only_fields = fields

    def get_versions(self, obj) -> list[dict]:
        return [
            {"number": v.number, "issued_at": v.issued_at, "note": v.note}
            for v in sorted(obj.versions.all(), key=lambda v: -v.number)
        ]


class JobDescriptionCreateSerializer(StrictSerializer):
    template = _Visible(JobDescriptionTemplate)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    position = _Visible(Position, required=False, allow_null=True, default=None)
    manager = _Visible(ClientManager, required=False, allow_null=True, default=None)
    company_tasks = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_wording = serializers.BooleanField(required=False, default=False)


class SectionsSerializer(StrictSerializer):
    """The sections to change (others stay), the title, what changed."""

    title = serializers.CharField(max_length=200, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirm_wording = serializers.BooleanField(required=False, default=False)

    def get_fields(self):
        fields = super().get_fields()
        for section in Section.values:
            fields[section] = serializers.CharField(required=False, allow_blank=True)
        return fields


class ProfileSerializer(StrictModelSerializer):
    client_base_groups = serializers.PrimaryKeyRelatedField(
        queryset=ClientGroup.objects.all(), many=True, required=False
    )
    min_experience_years = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    full_experience_years = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    knowledge = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=5), required=False)
    qualities = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=10), required=False)
    accepted_fields = serializers.ListField(child=serializers.CharField(), required=False)
    essential_areas = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = RequirementProfile
        fields = [
            "id",
            "name",
            "manager_type",
            "level",
            "min_experience_years",
            "full_experience_years",
            "min_education",
            "accepted_fields",
            "preferred_field",
            "knowledge",
            "essential_areas",
            "qualities",
            "client_base_groups",
            "client_base_target",
            "weight_experience",
            "weight_education",
            "weight_knowledge",
            "weight_qualities",
            "weight_client_base",
        ]

    def validate(self, attrs):
        return attrs


class FlagSerializer(StrictSerializer):
    text = serializers.CharField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    code = serializers.CharField()
    category = serializers.CharField()
    severity = serializers.ChoiceField(choices=["block", "warn"])
    language = serializers.CharField()
    explanation = serializers.CharField()


class AdCheckSerializer(StrictSerializer):
    text = serializers.CharField(allow_blank=True)


class PositionSerializer(StrictModelSerializer):
    profile = _Visible(RequirementProfile, required=False, allow_null=True)
    confirm_wording = serializers.BooleanField(write_only=True, required=False, default=False)
    ad_flags = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = [
            "id",
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
            "ad_reviewed_at",
            "ad_reviewed_by",
            "ad_flags",
            "confirm_wording",
        ]
        read_only_fields = ["ad_reviewed_at", "ad_reviewed_by"]

    def validate(self, attrs):
        return attrs

    def get_ad_flags(self, obj) -> list[dict]:
        from rapport.hiring.adcheck import check_text
        from rapport.hiring.explain import flags_as_dicts

        return FlagSerializer(flags_as_dicts(check_text(obj.ad_text)), many=True).data


class CandidateSerializer(StrictModelSerializer):
    """A candidate: only what the work needs — no protected characteristic exists to send or receive."""

    position = _Visible(Position, required=False, allow_null=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "name",
            *sorted(CANDIDATE_FIELDS),
            "status",
            "last_activity_at",
            "hired_manager",
            "anonymised_at",
            "created_at",
        ]
        read_only_fields = ["status", "last_activity_at", "hired_manager", "anonymised_at", "created_at"]

    def validate(self, attrs):
        return attrs


class AssessmentSerializer(StrictModelSerializer):
    knowledge = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, default=dict
    )
    qualities = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, default=dict
    )
    interviewer = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, help_text="Default: the caller."
    )

    class Meta:
        model = Assessment
        fields = ["id", "candidate", "interviewer", "assessed_on", "knowledge", "qualities", "note", "created_at"]
        read_only_fields = ["candidate", "created_at"]

    def validate(self, attrs):
        return attrs


class FitLineSerializer(StrictSerializer):
    part = serializers.CharField()
    part_label = serializers.SerializerMethodField()
    item = serializers.CharField()
    code = serializers.CharField()
    sentence = serializers.SerializerMethodField()
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    max_points = serializers.DecimalField(max_digits=8, decimal_places=2)
    knockout = serializers.BooleanField()
    assessed = serializers.BooleanField()
    params = serializers.DictField(child=serializers.CharField())

    def get_sentence(self, line) -> str:
        return fit_line_sentence(line)

    def get_part_label(self, line) -> str:
        return str(part_label(line["part"]))


class FitSerializer(StrictSerializer):
    """A fit computed now (ranking) or kept (evaluation), with every line explained in the reader's language."""

    candidate = serializers.IntegerField()
    profile = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=1)
    points = serializers.DecimalField(max_digits=8, decimal_places=2)
    max_points = serializers.DecimalField(max_digits=8, decimal_places=2)
    knocked_out = serializers.BooleanField()
    complete = serializers.BooleanField()
    lines = FitLineSerializer(many=True)


class RankedSerializer(FitSerializer):
    place = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=CandidateStatus.choices)


class EvaluationSerializer(StrictModelSerializer):
    lines = FitLineSerializer(many=True, read_only=True)

    class Meta:
        model = FitEvaluation
        fields = [
            "id",
            "candidate",
            "profile",
            "score",
            "points",
            "max_points",
            "knocked_out",
            "complete",
            "lines",
            "inputs",
            "evaluated_by",
            "evaluated_at",
        ]
        read_only_fields = fields


class EvaluateSerializer(StrictSerializer):
    profile = _Visible(RequirementProfile, required=False, allow_null=True, default=None)


class StatusSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[c for c in CandidateStatus.choices if c[0] != CandidateStatus.HIRED])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClientBaseEntrySerializer(StrictModelSerializer):
    class Meta:
        model = ClientBaseEntry
        fields = [
            "id",
            "row",
            "kind",
            "name",
            "registration_number",
            "email",
            "phone",
            "city",
            "status",
            "match_client",
            "match_on",
            "confirmed",
            "prospect",
            "problem",
        ]
        read_only_fields = fields


class ClientBaseImportSerializer(StrictSerializer):
    csv = serializers.CharField(
        help_text="The CSV text: a header row (name, kind, registration_number, email, phone, city)."
    )


class ConfirmSerializer(StrictSerializer):
    entry = serializers.IntegerField()
    confirmed = serializers.BooleanField()


class HireSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    manager_type = serializers.ChoiceField(choices=ManagerType.choices)
    level = serializers.ChoiceField(choices=ManagerLevel.choices)
    work_mode = serializers.ChoiceField(choices=WorkMode.choices, required=False, default=WorkMode.POOL)
    vip_qualified = serializers.BooleanField(required=False, default=False)
    hire_date = serializers.DateField(required=False)
    convert_client_base = serializers.BooleanField(required=False, default=True)


class HireResultSerializer(StrictSerializer):
    manager = serializers.IntegerField()
    user = serializers.IntegerField()
    username = serializers.CharField()
    prospects_created = serializers.IntegerField()
    prospects_refused = serializers.IntegerField()
    knowledge_carried = serializers.IntegerField()


class AmendmentSerializer(StrictModelSerializer):
    class Meta:
        model = ContractAmendment
        fields = ["id", "number", "effective_on", "changes", "note", "created_by", "created_at"]
        read_only_fields = fields


class ContractSerializer(StrictModelSerializer):
    manager = _Visible(ClientManager)
    position = _Visible(Position, required=False, allow_null=True)
    job_description_version = _Visible(JobDescriptionVersion, required=False, allow_null=True)
    status = serializers.CharField(read_only=True)
    probation_until = serializers.DateField(read_only=True)
    amendments = AmendmentSerializer(many=True, read_only=True)

    class Meta:
        model = EmploymentContract
        fields = [
            "id",
            "manager",
            "position",
            "contract_type",
            "term",
            "start_date",
            "end_date",
            "probation_months",
            "probation_until",
            "working_time",
            "hours_per_week",
            "base_salary",
            "currency",
            "job_description_version",
            "client_base_protection",
            "protection_clause",
            "signed_on",
            "ended_on",
            "end_reason",
            "status",
            "amendments",
            "created_at",
        ]
        read_only_fields = ["ended_on", "end_reason", "created_at"]
        extra_kwargs = {"protection_clause": {"required": False}}

    def validate(self, attrs):
        return attrs


class AmendSerializer(StrictSerializer):
    """The terms to change (only those sent change), from when and why."""

    effective_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        contract_fields = ContractSerializer(context=self.context).get_fields()
        for name in sorted(AMENDABLE_FIELDS):
            field = contract_fields[name]
            field.required = False
            fields[name] = field
        return fields


class ContractEndSerializer(StrictSerializer):
    ended_on = serializers.DateField()
    end_reason = serializers.CharField(max_length=300)


class ContractEndResultSerializer(StrictSerializer):
    contract = ContractSerializer()
    departure_needed = serializers.BooleanField()
    clients = serializers.IntegerField()


class TrainingSerializer(StrictModelSerializer):
    knowledge_areas = serializers.ListField(child=serializers.CharField(), required=False)
    participants = serializers.IntegerField(source="headcount", read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
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
            "participants",
        ]

    def validate(self, attrs):
        return attrs


class ParticipantSerializer(StrictModelSerializer):
    manager = _Visible(ClientManager)

    class Meta:
        model = TrainingParticipant
        fields = ["id", "training", "manager", "status", "completed_on", "note"]
        read_only_fields = ["training"]

    def validate(self, attrs):
        return attrs
