"""API shapes of interactions, cases and case events. Serializers parse and render; services validate and write.

Nothing here lets a caller set a case's handler, status, resolution or due times directly: those change only
through the lifecycle actions.
"""

from rest_framework import serializers

from rapport.cases.choices import CaseCategory, CasePriority, Channel
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.managers.models import ClientManager


class _VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the objects the caller may see (``visible_to``); others are "does not exist"."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.visible_to(request.user) if request else self.model.objects.none()


class InteractionSerializer(StrictModelSerializer):
    class Meta:
        model = Interaction
        fields = [
            "id",
            "client",
            "manager",
            "channel",
            "occurred_at",
            "summary",
            "outcome",
            "follow_up_on",
            "case",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class InteractionCreateSerializer(StrictSerializer):
    client = serializers.IntegerField(help_text="Id of a client the caller sees.")
    manager = _VisibleRelatedField(
        ClientManager,
        required=False,
        allow_null=True,
        default=None,
        help_text="Management only: the manager who had the contact (a client manager logs their own).",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    summary = serializers.CharField()
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)
    case = _VisibleRelatedField(Case, required=False, allow_null=True, default=None)
    request_rating = serializers.BooleanField(
        default=False, help_text="Ask the client to rate the manager for this contact (within the rating limits)."
    )


class CaseSerializer(StrictModelSerializer):
    acknowledge_breached = serializers.BooleanField(read_only=True, help_text="The acknowledge target was missed.")
    resolve_breached = serializers.BooleanField(read_only=True, help_text="The resolve target was missed.")
    next_due_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Due time of the next open target."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "client",
            "subject",
            "description",
            "category",
            "priority",
            "status",
            "handler",
            "routing",
            "client_was_vip",
            "opened_at",
            "opened_by",
            "acknowledge_due_at",
            "resolve_due_at",
            "acknowledged_at",
            "problem_statement",
            "resolved_at",
            "resolved_by",
            "resolution",
            "closed_at",
            "reopen_count",
            "acknowledge_breached",
            "resolve_breached",
            "next_due_at",
        ]
        read_only_fields = fields


class CaseCreateSerializer(StrictSerializer):
    client = serializers.IntegerField(help_text="Id of a client the caller sees.")
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=CaseCategory.choices, default=CaseCategory.OTHER)
    priority = serializers.ChoiceField(
        choices=CasePriority.choices,
        default=CasePriority.NORMAL,
        help_text="Requested priority; a VIP client's case is raised one level (urgent stays urgent).",
    )


class AcknowledgeSerializer(StrictSerializer):
    problem_statement = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The problem in the manager's own words (required)."
    )


class NoteSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(StrictSerializer):
    resolution = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="How the problem was solved (required)."
    )


class ReopenSerializer(StrictSerializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why the case is reopened (required)."
    )


class ReassignSerializer(NoteSerializer):
    handler = _VisibleRelatedField(ClientManager, help_text="Id of the active manager who takes the case.")


class CaseEventSerializer(StrictModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ["id", "case", "kind", "at", "actor", "manager", "note", "data"]
        read_only_fields = fields
