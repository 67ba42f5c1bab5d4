"""API shape of manager profiles."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from rapport.clients.models import ClientGroup
from rapport.core.serializers import StrictModelSerializer
from rapport.managers.forms import PROFILE_FIELDS
from rapport.managers.models import ClientManager


class ManagerSerializer(StrictModelSerializer):
    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True))
    name = serializers.CharField(read_only=True)
    load = serializers.IntegerField(read_only=True, help_text="Personal clients currently assigned.")
    client_groups = serializers.PrimaryKeyRelatedField(queryset=ClientGroup.objects.all(), many=True, required=False)
    capacity = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    status_since = serializers.DateField(required=False)

    class Meta:
        model = ClientManager
        fields = ["id", "user", "name", *PROFILE_FIELDS, "load"]
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["user"].read_only = True
