"""API shapes of consent. Serializers parse and render; services validate and write."""

from rest_framework import serializers

from rapport.consent.choices import RECORDED_SOURCES, ConsentState, Source
from rapport.consent.models import ConsentPurpose, ConsentVersion
from rapport.core.serializers import StrictSerializer


class ConsentVersionSerializer(StrictSerializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    title = serializers.SerializerMethodField(help_text="In the request's language, else English.")
    text = serializers.SerializerMethodField(help_text="In the request's language, else English.")

    def get_title(self, version: ConsentVersion) -> str:
        return version.title()

    def get_text(self, version: ConsentVersion) -> str:
        return version.text()


class ConsentPurposeSerializer(StrictSerializer):
    code = serializers.CharField()
    current_version = ConsentVersionSerializer(allow_null=True)


class ConsentRecordSerializer(StrictSerializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField(source="purpose.code")
    version = serializers.IntegerField(source="version.number")
    granted = serializers.BooleanField()
    at = serializers.DateTimeField()
    source = serializers.ChoiceField(choices=Source.choices)
    recorded_by = serializers.IntegerField(source="recorded_by_id", allow_null=True)
    note = serializers.CharField()


class ConsentStateSerializer(StrictSerializer):
    """A client's state on one purpose: the latest record decides."""

    purpose = serializers.CharField(source="purpose.code")
    current_version = serializers.IntegerField(source="version.number", allow_null=True)
    state = serializers.ChoiceField(choices=ConsentState.choices)
    record = ConsentRecordSerializer(allow_null=True)


class ConsentRecordRequestSerializer(StrictSerializer):
    """Record consent given (``granted``: true) or withdrawn, as the client told the caller."""

    purpose = serializers.SlugRelatedField(
        slug_field="code", queryset=ConsentPurpose.objects.filter(active=True), help_text="The purpose's code."
    )
    granted = serializers.BooleanField()
    source = serializers.ChoiceField(choices=[(s.value, s.label) for s in RECORDED_SOURCES], default=Source.API)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
