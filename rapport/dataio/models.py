"""Import jobs: an uploaded file, its column mapping, and the reports of its dry run and of its import."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.accounts import roles
from rapport.dataio.report import Outcome
from rapport.dataio.schema import Kind


class JobStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Dry run in progress")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """Imports touch the whole registry: Management and Admin see them, nobody else."""
        if roles.is_management(user):
            return self.all()
        return self.none()


class ImportJob(models.Model):
    """One file being imported through the pages: uploaded, mapped, dry-run, then imported (or failed)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.CHOICES)
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.UPLOADED)
    filename = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    data = models.BinaryField(_("file contents"))
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, help_text=_("Column header → field name."))
    estimated_rows = models.PositiveIntegerField(_("rows (estimated)"), default=0)
    checked_counts = models.JSONField(_("dry-run counts"), default=dict, blank=True)
    result_counts = models.JSONField(_("import counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (JobStatus.CHECKING, JobStatus.IMPORTING)


class ImportRow(models.Model):
    """One listed row of a job's latest report (dry run, then import)."""

    job = models.ForeignKey(ImportJob, verbose_name=_("import"), on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.CHOICES)
    key = models.CharField(_("key"), max_length=255, blank=True)
    label = models.CharField(_("name"), max_length=255, blank=True)
    changed = models.JSONField(_("changed fields"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["line"]
        indexes = [models.Index(fields=["job", "outcome", "line"], name="dataio_row_job_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.line}: {self.outcome}"
