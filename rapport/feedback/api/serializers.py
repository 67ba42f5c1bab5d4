"""API shapes of ratings, rating summaries and rating requests (read-only; never a token or its hash)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapport.cases.choices import Channel
from rapport.core.filters import MAX_ID
from rapport.core.serializers import StrictModelSerializer, StrictSerializer
from rapport.feedback.choices import RequestStatus, RequestSubject
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.selectors import SUMMARY_SORTS
from rapport.managers.choices import ManagerType


class RatingSerializer(StrictModelSerializer):
    """A client's rating of a manager, with what was rated."""

    manager_name = serializers.CharField(source="manager.name", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    subject = serializers.ChoiceField(source="request.subject", choices=RequestSubject.choices, read_only=True)
    case = serializers.IntegerField(source="request.case_id", read_only=True, allow_null=True)
    case_subject = serializers.CharField(source="request.case.subject", read_only=True, allow_null=True)
    interaction = serializers.IntegerField(source="request.interaction_id", read_only=True, allow_null=True)
    interaction_channel = serializers.ChoiceField(
        source="request.interaction.channel", choices=Channel.choices, read_only=True, allow_null=True
    )
    interaction_at = serializers.DateTimeField(
        source="request.interaction.occurred_at", read_only=True, allow_null=True
    )

    class Meta:
        model = Rating
        fields = [
            "id",
            "manager",
            "manager_name",
            "client",
            "client_name",
            "subject",
            "case",
            "case_subject",
            "interaction",
            "interaction_channel",
            "interaction_at",
            "stars",
            "comment",
            "created_at",
        ]
        read_only_fields = fields


class RatingSummarySerializer(StrictSerializer):
    """A manager's ratings in the period asked for: count, plain mean and smoothed rating (two decimals)."""

    manager = serializers.IntegerField(source="pk")
    manager_name = serializers.CharField(source="name")
    manager_type = serializers.ChoiceField(choices=ManagerType.choices)
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    count = serializers.IntegerField(source="summary.count", help_text="Number of ratings (n).")
    total = serializers.IntegerField(source="summary.total", help_text="Sum of the stars.")
    mean = serializers.DecimalField(
        source="summary.mean_shown", max_digits=3, decimal_places=2, allow_null=True, help_text="Plain mean."
    )
    smoothed = serializers.DecimalField(
        source="summary.smoothed_shown", max_digits=3, decimal_places=2, help_text="(C·m + Σ) ÷ (C + n)."
    )

    @extend_schema_field(serializers.DateField())
    def get_start(self, row):
        return self.context["period"].start.isoformat()

    @extend_schema_field(serializers.DateField())
    def get_end(self, row):
        return self.context["period"].end.isoformat()


class RatingSummaryQuerySerializer(StrictSerializer):
    """The query of the rating summaries: a month, or a range of days (both included); nothing means this month."""

    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False, help_text="A calendar month, YYYY-MM.")
    start = serializers.DateField(required=False, help_text="First day (included).")
    end = serializers.DateField(required=False, help_text="Last day (included); today when left out.")
    manager_type = serializers.ChoiceField(choices=ManagerType.choices, required=False)
    manager = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Only these managers (repeat the parameter).",
    )
    sort = serializers.ChoiceField(choices=list(SUMMARY_SORTS), required=False, default="-smoothed")


class RatingRequestSerializer(StrictModelSerializer):
    """A rating request as Management follows it: whom it asks, about what, and where it stands."""

    client_name = serializers.CharField(source="client.name", read_only=True)
    manager_name = serializers.CharField(source="manager.name", read_only=True)
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)

    class Meta:
        model = RatingRequest
        fields = [
            "id",
            "client",
            "client_name",
            "manager",
            "manager_name",
            "subject",
            "case",
            "interaction",
            "language",
            "status",
            "created_at",
            "sent_at",
            "expires_at",
            "used_at",
        ]
        read_only_fields = fields
