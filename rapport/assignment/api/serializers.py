"""API shapes of assignments and of the assign / unassign requests."""

from rest_framework import serializers

from rapport.assignment.models import Assignment
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.managers.models import ClientManager


class AssignmentSerializer(StrictModelSerializer):
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "client",
            "manager",
            "start_date",
            "end_date",
            "is_current",
            "reason",
            "actor",
            "note",
            "ended_by",
            "end_note",
            "created_at",
        ]
        read_only_fields = fields


class _VisibleManagerField(serializers.PrimaryKeyRelatedField):
    """A manager id among the managers the caller may see; others are "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=ClientManager.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return ClientManager.objects.visible_to(request.user) if request else ClientManager.objects.none()


class AssignRequestSerializer(StrictSerializer):
    manager = _VisibleManagerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField(required=False, allow_null=True, default=None)


class UnassignRequestSerializer(StrictSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class AssignmentCreateSerializer(AssignRequestSerializer):
    client = serializers.IntegerField()
