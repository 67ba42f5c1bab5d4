"""The import API's writes, made of the pages' services (``rapport.dataio.services``): an upload creates the job
and starts its dry run in one transaction (a refused mapping leaves no job behind); with ``dry_run=false`` the
import starts straight away, without stopping after the dry run, as the ``import`` command does. Every row still
goes through the same rules in ``import_data``; refused rows are reported and skipped."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.dataio import services
from rapport.dataio.errors import DataImportError
from rapport.dataio.models import ImportJob, JobStatus


def import_job_start(*, job: ImportJob, actor, mapping: dict[str, str]) -> ImportJob:
    """Save the mapping of an uploaded job and queue its import (no dry run first). Management only."""
    from rapport.dataio.tasks import run_job

    services._require_management(actor)
    with transaction.atomic():
        job = ImportJob.objects.visible_to(actor).select_for_update().get(pk=job.pk)
        if job.status != JobStatus.UPLOADED:
            raise refuse(DataImportError.JOB_NOT_READY, _("This import is running or finished."))
        services.resolve_mapping(job.kind, job.headers, mapping)
        job.mapping = mapping
        job.status = JobStatus.IMPORTING
        job.language = translation.get_language() or job.language
        job.save(update_fields=["mapping", "status", "language"])
    run_job.enqueue(job.pk, False)
    return job


@transaction.atomic
def import_job_upload(
    *, actor, kind: str, filename: str, data: bytes, mapping: dict[str, str] | None, dry_run: bool
) -> ImportJob:
    """Store an uploaded file as an import job and queue its dry run (``dry_run``) or its import, its columns
    mapped by ``mapping`` (guessed from the headers when None). Management only; all or nothing."""
    job = services.import_job_create(actor=actor, kind=kind, filename=filename, data=data)
    mapping = job.mapping if mapping is None else mapping
    if dry_run:
        return services.import_job_check(job=job, actor=actor, mapping=mapping)
    return import_job_start(job=job, actor=actor, mapping=mapping)
