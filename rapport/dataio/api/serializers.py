"""API shapes of import jobs. Serializers parse and render; the import services validate and write."""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapport.core.serializers import StrictSerializer
from rapport.dataio import services
from rapport.dataio.models import ImportJob, JobStatus
from rapport.dataio.report import Outcome
from rapport.dataio.schema import Kind
from rapport.dataio.views import MAX_UPLOAD_BYTES


class ImportUploadSerializer(StrictSerializer):
    """A file to import (multipart/form-data)."""

    file = serializers.FileField(help_text="A CSV (UTF-8 or Windows-1250) or XLSX file with a header row.")
    kind = serializers.ChoiceField(choices=Kind.CHOICES, help_text="What the file holds.")
    mapping = serializers.CharField(
        required=False,
        help_text='A JSON object: column header → field name ("" skips the column). Guessed from the headers '
        "when left out.",
    )
    dry_run = serializers.BooleanField(
        default=True,
        help_text="True (the default): check every row and write nothing; confirm the job to import. False: import "
        "at once.",
    )

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(
                _("The file is too large for the API; use the import command."), code="too_large"
            )
        return upload

    def validate_mapping(self, value: str) -> dict[str, str]:
        try:
            mapping = json.loads(value)
        except ValueError:
            mapping = None
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise serializers.ValidationError(
                _('Give the mapping as a JSON object of column header → field name, e.g. {"Company": "name"}.'),
                code="invalid_mapping",
            )
        return mapping


class ProgressSerializer(StrictSerializer):
    done = serializers.IntegerField(help_text="Rows done.")
    total = serializers.IntegerField(help_text="Rows expected (an estimate while the job runs).")
    percent = serializers.IntegerField(min_value=0, max_value=100)
    stage = serializers.CharField(allow_blank=True)


class CountsSerializer(StrictSerializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()


def job_progress(job: ImportJob) -> dict:
    """The progress of a running job; a finished one is complete, a waiting one at zero."""
    if job.is_running:
        state = services.job_progress(job)
        return {key: state.get(key, 0 if key != "stage" else "") for key in ("done", "total", "percent", "stage")}
    counts = job.result_counts if job.status == JobStatus.DONE else job.checked_counts
    if job.status in (JobStatus.CHECKED, JobStatus.DONE):
        total = sum((counts or {}).values())
        return {"done": total, "total": total, "percent": 100, "stage": ""}
    return {"done": 0, "total": job.estimated_rows, "percent": 0, "stage": ""}


class ImportJobSerializer(StrictSerializer):
    """An import job: its file, mapping, status and progress, and the counts of its dry run and import."""

    id = serializers.IntegerField()
    # Plain text here: the upload's ``kind`` lists the values (one enum per field name keeps the schema clean).
    kind = serializers.CharField(help_text="clients, managers or assignments.")
    status = serializers.ChoiceField(
        choices=JobStatus.choices,
        help_text="uploaded → checking → checked → importing → done; failed says why in error.",
    )
    filename = serializers.CharField()
    file_format = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField(allow_blank=True))
    mapping = serializers.DictField(child=serializers.CharField(allow_blank=True))
    estimated_rows = serializers.IntegerField()
    progress = serializers.SerializerMethodField()
    dry_run_counts = serializers.SerializerMethodField(help_text="The dry run's outcome counts (null before it).")
    import_counts = serializers.SerializerMethodField(help_text="The import's outcome counts (null before it).")
    error = serializers.CharField(allow_blank=True)
    created_by = serializers.IntegerField(source="created_by_id")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, job: ImportJob) -> dict:
        return job_progress(job)

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_dry_run_counts(self, job: ImportJob) -> dict | None:
        return job.checked_counts or None

    @extend_schema_field(CountsSerializer(allow_null=True))
    def get_import_counts(self, job: ImportJob) -> dict | None:
        return job.result_counts or None


class RowErrorSerializer(StrictSerializer):
    field = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportRowSerializer(StrictSerializer):
    """One row of the job's latest report (its dry run, then its import)."""

    line = serializers.IntegerField(help_text="The row's line in the file; the header is line 1.")
    outcome = serializers.ChoiceField(choices=Outcome.CHOICES)
    key = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    changed = serializers.ListField(child=serializers.CharField(), help_text="Fields an update changes.")
    errors = RowErrorSerializer(many=True, help_text="Why a refused row was refused.")


class ImportRowQuerySerializer(StrictSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.CHOICES, required=False, help_text="Only rows of this outcome.")
    page = serializers.IntegerField(required=False, min_value=1)
