"""API shapes of the pipeline."""

from django.conf import settings
from rest_framework import serializers

from rapport.clients.choices import ClientKind, Motivation
from rapport.clients.models import ClientGroup
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import LostReason, Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange


class _VisibleManagerField(serializers.PrimaryKeyRelatedField):
    """A manager id among the managers the caller may see."""

    def __init__(self, **kwargs):
        super().__init__(queryset=ClientManager.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return ClientManager.objects.visible_to(request.user) if request else ClientManager.objects.none()


class OpportunitySerializer(StrictModelSerializer):
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "client",
            "manager",
            "title",
            "stage",
            "stage_changed_at",
            "note",
            "lost_reason",
            "lost_note",
            "closed_at",
            "created_by",
            "created_at",
            "allowed_moves",
        ]
        read_only_fields = fields

    def get_allowed_moves(self, obj) -> list[str]:
        from rapport.pipeline.services import allowed_moves

        return allowed_moves(obj.stage)


class OpportunityCreateSerializer(StrictSerializer):
    """An opportunity on an existing prospect; ``manager`` is for Management (a manager's own is implied)."""

    client = serializers.IntegerField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    manager = _VisibleManagerField(required=False, allow_null=True, default=None)


class ProspectCreateSerializer(StrictSerializer):
    """A new prospect and its first opportunity."""

    kind = serializers.ChoiceField(choices=ClientKind.choices)
    name = serializers.CharField(max_length=200)
    registration_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    tax_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True, default="")
    group = serializers.PrimaryKeyRelatedField(
        queryset=ClientGroup.objects.all(), required=False, allow_null=True, default=None
    )
    motivation = serializers.ChoiceField(choices=Motivation.choices, required=False, default=Motivation.UNKNOWN)
    motivation_note = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    manager = _VisibleManagerField(required=False, allow_null=True, default=None)
    confirm_similar = serializers.BooleanField(required=False, default=False)

    OPPORTUNITY_KEYS = ("title", "note", "manager", "confirm_similar")

    def client_data(self) -> dict:
        """The client fields that were sent (so a manager never "sets" the Management-only group to None)."""
        data = {key: value for key, value in self.validated_data.items() if key not in self.OPPORTUNITY_KEYS}
        if "group" not in self.initial_data:
            data.pop("group", None)
        return data


class MoveSerializer(StrictSerializer):
    to_stage = serializers.ChoiceField(choices=Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    motivation = serializers.ChoiceField(
        choices=[c for c in Motivation.choices if c[0] != Motivation.UNKNOWN],
        required=False,
        allow_null=True,
        default=None,
    )
    motivation_note = serializers.CharField(required=False, allow_blank=True, default="")
    lost_reason = serializers.ChoiceField(
        choices=[c for c in LostReason.choices if c[0] != LostReason.WIN_UNDONE],
        required=False,
        allow_blank=True,
        default="",
    )


class UndoWinSerializer(StrictSerializer):
    reason = serializers.CharField()


class StageChangeSerializer(StrictModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "opportunity", "from_stage", "to_stage", "at", "actor", "note"]
        read_only_fields = fields


class AcquisitionSerializer(StrictModelSerializer):
    is_reversed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Acquisition
        fields = [
            "id",
            "client",
            "manager",
            "opportunity",
            "acquired_on",
            "was_vip",
            "credited_by",
            "is_reversed",
            "reversed_at",
            "reversed_by",
            "reversal_reason",
        ]
        read_only_fields = fields


class PlacementSerializer(StrictSerializer):
    outcome = serializers.CharField()
    manager = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class WinResultSerializer(StrictSerializer):
    opportunity = OpportunitySerializer()
    acquisition = AcquisitionSerializer()
    placement = PlacementSerializer()
