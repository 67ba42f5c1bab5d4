"""API of HR under /api/v1/hr/: the same visibility as the pages (``querysets.py``) and the same services.

Templates, profiles, positions, job descriptions: HR writes, Management reads. Candidates and everything about
them: HR only. Contracts: HR, and the employee their own. Trainings: HR writes; everyone reads the catalogue;
participants: HR and Management, a manager their own.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from rapport.accounts.roles import Role
from rapport.hiring import clientbase, contracts, hire, jobs, recruiting, retention, selectors, training
from rapport.hiring.adcheck import check_text
from rapport.hiring.api import serializers as s
from rapport.hiring.choices import Section
from rapport.hiring.documents import job_description_pdf
from rapport.hiring.explain import flags_as_dicts
from rapport.hiring.filtersets import (
    CandidateFilterSet,
    ContractFilterSet,
    JobDescriptionFilterSet,
    PositionFilterSet,
    TemplateFilterSet,
    TrainingFilterSet,
)
from rapport.hiring.models import (
    Candidate,
    ClientBaseEntry,
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


def _fit_data(candidate, profile, result, **extra) -> dict:
    return {
        "candidate": candidate.pk,
        "profile": profile.pk,
        "score": result.score,
        "points": result.points,
        "max_points": result.max_points,
        "knocked_out": result.knocked_out,
        "complete": result.complete,
        "lines": [line.as_dict() for line in result.lines],
        **extra,
    }


class _Writable(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Create and update through ``save(data, instance)`` (a service); partial updates send only what changes."""

    def save(self, data: dict, instance=None):  # pragma: no cover - each viewset defines it
        raise NotImplementedError

    def _write(self, request, instance=None, partial=False, code=status.HTTP_200_OK):
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.save(dict(serializer.validated_data), instance)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        return self._write(request, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        return self._write(request, self.get_object(), partial=kwargs.pop("partial", False))


class TemplateViewSet(_Writable):
    """Job description templates per manager type, level and language."""

    write_roles = (Role.HR,)

    serializer_class = s.TemplateSerializer
    filterset_class = TemplateFilterSet
    queryset = JobDescriptionTemplate.objects.none()

    def get_queryset(self):
        return JobDescriptionTemplate.objects.visible_to(self.request.user).order_by(
            "language", "manager_type", "level", "name"
        )

    def save(self, data, instance=None):
        confirm = data.pop("confirm_wording", False)
        return jobs.template_save(actor=self.request.user, data=data, template=instance, confirm_wording=confirm)


class JobDescriptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Job descriptions; POST makes one from a template (its first version a draft); ``edit`` changes the draft
    (or starts the next one), ``issue`` puts it in force; versions are read with their PDF."""

    write_roles = (Role.HR,)

    serializer_class = s.JobDescriptionSerializer
    filterset_class = JobDescriptionFilterSet
    queryset = JobDescription.objects.none()

    def get_queryset(self):
        return JobDescription.objects.visible_to(self.request.user).prefetch_related("versions").order_by("title", "id")

    @extend_schema(request=s.JobDescriptionCreateSerializer, responses={201: s.JobDescriptionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = s.JobDescriptionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        job = jobs.job_description_create(actor=request.user, **serializer.validated_data)
        return Response(
            s.JobDescriptionSerializer(self.get_queryset().get(pk=job.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.SectionsSerializer, responses={200: s.VersionSerializer})
    @action(detail=True, methods=["post"])
    def edit(self, request, pk=None):
        job = self.get_object()
        serializer = s.SectionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = jobs.job_description_edit(
            actor=request.user,
            job=job,
            sections={key: data[key] for key in Section.values if key in data},
            title=data.get("title"),
            note=data["note"],
            confirm_wording=data["confirm_wording"],
        )
        return Response(s.VersionSerializer(version).data)

    @extend_schema(request=None, responses={200: s.VersionSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        version = jobs.job_description_issue(actor=request.user, job=self.get_object())
        return Response(s.VersionSerializer(version).data)


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Job description versions the caller may read (a manager: the issued versions that are theirs)."""

    serializer_class = s.VersionSerializer
    queryset = JobDescriptionVersion.objects.none()
    filterset_fields = ["job_description"]

    def get_queryset(self):
        return JobDescriptionVersion.objects.visible_to(self.request.user).order_by("job_description_id", "-number")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        version = self.get_object()
        response = HttpResponse(job_description_pdf(version), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="job-description-{version.job_description_id}-v{version.number}.pdf"'
        )
        return response


class ProfileViewSet(_Writable):
    """Requirement profiles (a new one takes its level's experience defaults)."""

    write_roles = (Role.HR,)

    serializer_class = s.ProfileSerializer
    queryset = RequirementProfile.objects.none()

    def get_queryset(self):
        return (
            RequirementProfile.objects.visible_to(self.request.user)
            .prefetch_related("client_base_groups")
            .order_by("name")
        )

    def save(self, data, instance=None):
        return recruiting.profile_save(actor=self.request.user, data=data, profile=instance)


class PositionViewSet(_Writable):
    """Positions with their vacancy text (checked for discriminatory wording when saved) and ``ranking``."""

    write_roles = (Role.HR,)

    serializer_class = s.PositionSerializer
    filterset_class = PositionFilterSet
    queryset = Position.objects.none()

    def get_queryset(self):
        return Position.objects.visible_to(self.request.user).order_by("-is_open", "title", "id")

    def save(self, data, instance=None):
        confirm = data.pop("confirm_wording", False)
        return recruiting.position_save(actor=self.request.user, data=data, position=instance, confirm_wording=confirm)

    @extend_schema(responses={200: s.RankedSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def ranking(self, request, pk=None):
        """The position's candidates ranked by their fit now (HR; others get an empty list)."""
        position = self.get_object()
        if position.profile is None:
            return Response([])
        rows = selectors.ranking(user=request.user, profile=position.profile, position=position)
        data = [
            _fit_data(
                row.candidate,
                position.profile,
                row.result,
                place=row.place,
                name=row.candidate.name,
                status=row.candidate.status,
            )
            for row in rows
        ]
        return Response(s.RankedSerializer(data, many=True).data)


class AdCheckView(APIView):
    """Check a text for age limits and other discriminatory wording (every language's rules). A check, not a
    write: open to every role."""

    @extend_schema(request=s.AdCheckSerializer, responses={200: s.FlagSerializer(many=True)})
    def post(self, request):
        serializer = s.AdCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(s.FlagSerializer(flags_as_dicts(check_text(serializer.validated_data["text"])), many=True).data)


class CandidateViewSet(_Writable):
    """Candidates (HR only; anyone else sees none). Actions: assessments, fit, evaluate, status, client base,
    hire, anonymise."""

    write_roles = (Role.HR,)

    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilterSet
    queryset = Candidate.objects.none()

    def get_queryset(self):
        return (
            Candidate.objects.visible_to(self.request.user)
            .select_related("position")
            .order_by("last_name", "first_name", "id")
        )

    def save(self, data, instance=None):
        return recruiting.candidate_save(actor=self.request.user, data=data, candidate=instance)

    @extend_schema(
        request=s.AssessmentSerializer, responses={200: s.AssessmentSerializer(many=True), 201: s.AssessmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def assessments(self, request, pk=None):
        """The interviewers' assessments; POST records (or replaces) one interviewer's."""
        candidate = self.get_object()
        if request.method == "GET":
            return Response(s.AssessmentSerializer(candidate.assessments.order_by("assessed_on", "id"), many=True).data)
        serializer = s.AssessmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = recruiting.assessment_save(
            actor=request.user,
            candidate=candidate,
            interviewer=data.get("interviewer") or request.user,
            assessed_on=data["assessed_on"],
            knowledge=data["knowledge"],
            qualities=data["qualities"],
            note=data.get("note", ""),
        )
        return Response(s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.FitSerializer})
    @action(detail=True, methods=["get"])
    def fit(self, request, pk=None):
        """The fit against the position's profile (or ``?profile=``), computed now and explained."""
        candidate = self.get_object()
        profile_id = request.query_params.get("profile")
        if profile_id:
            profile = get_object_or_404(RequirementProfile.objects.visible_to(request.user), pk=profile_id)
        else:
            profile = candidate.position.profile if candidate.position_id else None
        if profile is None:
            raise Http404
        result = recruiting.evaluate(profile=profile, candidates=[candidate])[candidate.pk]
        return Response(s.FitSerializer(_fit_data(candidate, profile, result)).data)

    @extend_schema(request=s.EvaluateSerializer, responses={201: s.EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        """Keep the fit as evaluated now, with its inputs."""
        serializer = s.EvaluateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        evaluation = recruiting.candidate_evaluate(
            actor=request.user, candidate=self.get_object(), profile=serializer.validated_data["profile"]
        )
        return Response(s.EvaluationSerializer(evaluation.record).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.EvaluationSerializer(many=True)})
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def evaluations(self, request, pk=None):
        candidate = self.get_object()
        rows = FitEvaluation.objects.visible_to(request.user).filter(candidate=candidate)
        return Response(s.EvaluationSerializer(rows, many=True).data)

    @extend_schema(request=s.StatusSerializer, responses={200: s.CandidateSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        serializer = s.StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = recruiting.candidate_set_status(
            actor=request.user, candidate=self.get_object(), **serializer.validated_data
        )
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)

    @extend_schema(request=s.ClientBaseImportSerializer, responses={200: s.ClientBaseEntrySerializer(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="client-base", filterset_class=None, pagination_class=None)
    def client_base(self, request, pk=None):
        """The imported client base; POST replaces it with a CSV text, each row checked for duplicates."""
        candidate = self.get_object()
        if request.method == "POST":
            serializer = s.ClientBaseImportSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            clientbase.client_base_import(
                actor=request.user, candidate=candidate, content=serializer.validated_data["csv"]
            )
        entries = ClientBaseEntry.objects.visible_to(request.user).filter(candidate=candidate).order_by("row")
        return Response(s.ClientBaseEntrySerializer(entries, many=True).data)

    @extend_schema(request=s.ConfirmSerializer, responses={200: s.ClientBaseEntrySerializer})
    @action(detail=True, methods=["post"], url_path="client-base/confirm")
    def confirm(self, request, pk=None):
        """Confirm (or take back) that a row with a similar name is a client the company does not have."""
        candidate = self.get_object()
        serializer = s.ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = get_object_or_404(
            ClientBaseEntry.objects.visible_to(request.user), pk=serializer.validated_data["entry"], candidate=candidate
        )
        entry = clientbase.client_base_confirm(
            actor=request.user, entry=entry, confirmed=serializer.validated_data["confirmed"]
        )
        return Response(s.ClientBaseEntrySerializer(entry).data)

    @extend_schema(request=s.HireSerializer, responses={201: s.HireResultSerializer})
    @action(detail=True, methods=["post"], url_path="hire")
    def hire_candidate(self, request, pk=None):
        """Hire: the user account, the manager profile and the prospects in one step."""
        serializer = s.HireSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        username, email, convert = data.pop("username"), data.pop("email"), data.pop("convert_client_base")
        result = hire.candidate_hire(
            actor=request.user,
            candidate=self.get_object(),
            username=username,
            email=email,
            data=data,
            convert_client_base=convert,
        )
        payload = {
            "manager": result.manager.pk,
            "user": result.manager.user_id,
            "username": result.manager.user.username,
            "prospects_created": result.prospects.created,
            "prospects_refused": result.prospects.refused,
            "knowledge_carried": result.knowledge_carried,
        }
        return Response(s.HireResultSerializer(payload).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CandidateSerializer})
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        """Remove the candidate's personal data for good (not for a hired candidate)."""
        candidate = retention.candidate_anonymise(actor=request.user, candidate=self.get_object(), reason="request")
        return Response(s.CandidateSerializer(candidate, context={"request": request}).data)


class ContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Employment contracts: HR all, the employee their own; Management and others none. ``amend`` and ``end``."""

    write_roles = (Role.HR,)

    serializer_class = s.ContractSerializer
    filterset_class = ContractFilterSet
    queryset = EmploymentContract.objects.none()

    def get_queryset(self):
        return (
            EmploymentContract.objects.visible_to(self.request.user)
            .select_related("manager__user")
            .prefetch_related("amendments")
            .order_by("-start_date", "-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        manager = data.pop("manager")
        contract = contracts.contract_create(actor=request.user, manager=manager, data=data)
        return Response(
            self.get_serializer(self.get_queryset().get(pk=contract.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.AmendSerializer, responses={201: s.AmendmentSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        contract = self.get_object()
        serializer = s.AmendSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        effective_on, note = data.pop("effective_on"), data.pop("note")
        amendment = contracts.contract_amend(
            actor=request.user, contract=contract, changes=data, effective_on=effective_on, note=note
        )
        return Response(s.AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ContractEndSerializer, responses={200: s.ContractEndResultSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record the end; ``departure_needed`` says Management must still hand the manager's clients over."""
        serializer = s.ContractEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ended = contracts.contract_end(
            actor=request.user,
            contract=self.get_object(),
            ended_on=serializer.validated_data["ended_on"],
            reason=serializer.validated_data["end_reason"],
        )
        contract = self.get_queryset().get(pk=ended.contract.pk)
        payload = {"contract": contract, "departure_needed": ended.departure_needed, "clients": ended.clients}
        return Response(s.ContractEndResultSerializer(payload, context={"request": request}).data)


class TrainingViewSet(_Writable):
    """Trainings (HR writes; everyone with a role reads the catalogue). ``participants`` lists and enrols."""

    write_roles = (Role.HR,)

    serializer_class = s.TrainingSerializer
    filterset_class = TrainingFilterSet
    queryset = Training.objects.none()

    def get_queryset(self):
        return selectors.training_list(user=self.request.user)

    def save(self, data, instance=None):
        return training.training_save(actor=self.request.user, data=data, training=instance)

    @extend_schema(
        request=s.ParticipantSerializer,
        responses={200: s.ParticipantSerializer(many=True), 201: s.ParticipantSerializer},
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def participants(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            return Response(s.ParticipantSerializer(selectors.participants_of(item, user=request.user), many=True).data)
        serializer = s.ParticipantSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        participant = training.participant_add(
            actor=request.user, training=item, manager=serializer.validated_data["manager"]
        )
        return Response(s.ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


class ParticipantViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Participations (HR and Management all; a manager their own); HR records attendance and completion."""

    write_roles = (Role.HR,)

    serializer_class = s.ParticipantSerializer
    queryset = TrainingParticipant.objects.none()
    filterset_fields = ["training", "manager", "status"]

    def get_queryset(self):
        return (
            TrainingParticipant.objects.visible_to(self.request.user)
            .select_related("training")
            .order_by("training_id", "id")
        )

    def update(self, request, *args, **kwargs):
        participant = self.get_object()
        serializer = self.get_serializer(participant, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participant = training.participant_update(
            actor=request.user,
            participant=participant,
            status=data.get("status", participant.status),
            completed_on=data.get("completed_on"),
            note=data.get("note"),
        )
        return Response(self.get_serializer(participant).data)
