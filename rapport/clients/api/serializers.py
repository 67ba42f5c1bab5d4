"""API shapes of clients and client groups. Serializers parse and render; services validate and write."""

from rest_framework import serializers

from rapport.clients.forms import CLIENT_FORM_FIELDS
from rapport.clients.models import Client, ClientGroup
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.managers.choices import ManagerType


class ClientGroupSerializer(StrictModelSerializer):
    manager_types = serializers.ListField(child=serializers.ChoiceField(choices=ManagerType.choices), required=False)

    class Meta:
        model = ClientGroup
        fields = ["id", "name", "description", "manager_types"]
        validators = []
        extra_kwargs = {"name": {"validators": []}}


class ClientSerializer(StrictModelSerializer):
    current_manager = serializers.IntegerField(
        source="current_manager_id", read_only=True, allow_null=True, help_text="Current personal manager id."
    )
    group = serializers.PrimaryKeyRelatedField(queryset=ClientGroup.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Client
        fields = [
            "id",
            *CLIENT_FORM_FIELDS,
            "motivation_determined_by",
            "motivation_determined_at",
            "acquired_by",
            "acquired_on",
            "current_manager",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "motivation_determined_by",
            "motivation_determined_at",
            "acquired_by",
            "acquired_on",
            "created_at",
            "updated_at",
        ]
        # Uniqueness and cross-field rules are the model's and the service's, with their error codes.
        validators = []
        extra_kwargs = {"registration_number": {"validators": []}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "group" in self.fields:
            self.fields["group"].queryset = ClientGroup.objects.visible_to(request.user)


class HistoryChangeSerializer(StrictSerializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryEntrySerializer(StrictSerializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    type = serializers.CharField()
    reason = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)
