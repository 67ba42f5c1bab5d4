"""Data import services: read a file, map its columns, dry-run or import it in one transaction; import jobs.

``import_data`` is the one path every interface takes (the pages through an import job and a background task,
the ``import`` command directly). Only Management (and Admin) import. The whole import is one transaction: a
refused file, an error or a kill part-way leaves the database as it was. Rows the rules refuse are reported and
skipped; the others are written.
"""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rapport.accounts import roles
from rapport.core.errors import refuse
from rapport.dataio.assignments import AssignmentImport
from rapport.dataio.clients import ClientImport
from rapport.dataio.errors import DataImportError
from rapport.dataio.managers import ManagerImport
from rapport.dataio.models import ImportJob, ImportRow, JobStatus
from rapport.dataio.readers import open_table
from rapport.dataio.report import Progress, Report, no_progress
from rapport.dataio.schema import REQUIRED, TARGETS, Kind, guess_mapping

IMPORTERS = {Kind.CLIENTS: ClientImport, Kind.MANAGERS: ManagerImport, Kind.ASSIGNMENTS: AssignmentImport}


def _require_management(actor) -> None:
    if not roles.is_management(actor):
        raise PermissionDenied(_("Only Management may import data."))


def resolve_mapping(kind: str, headers: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """Column index → field name for ``mapping`` (header → field name; an empty field skips the column).
    Refuses unknown headers and fields, a field mapped twice and a missing required field."""
    known = {target.name for target in TARGETS[kind]}
    positions = {header: index for index, header in reversed(list(enumerate(headers)))}
    result: dict[int, str] = {}
    for header, field in mapping.items():
        if not field:
            continue
        if header not in positions:
            raise refuse(
                DataImportError.MAPPING_UNKNOWN_COLUMN,
                _("The file has no column %(column)s.") % {"column": header},
                field="mapping",
            )
        if field not in known:
            raise refuse(
                DataImportError.MAPPING_UNKNOWN_FIELD,
                _("%(field)s is not a field that can be imported.") % {"field": field},
                field="mapping",
            )
        if field in result.values():
            raise refuse(
                DataImportError.MAPPING_REPEATED_FIELD,
                _("Two columns are mapped to %(field)s.") % {"field": field},
                field="mapping",
            )
        result[positions[header]] = field
    labels = {target.name: target.label for target in TARGETS[kind]}
    missing = [labels[name] for name in REQUIRED[kind] if name not in result.values()]
    if missing:
        raise refuse(
            DataImportError.MAPPING_MISSING_FIELD,
            _("Map a column to: %(fields)s.") % {"fields": ", ".join(str(m) for m in missing)},
            field="mapping",
        )
    return result


def import_data(
    *,
    kind: str,
    data: bytes,
    actor,
    filename: str = "",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
    on_batch: Callable[[int], None] | None = None,
    history: bool = True,
) -> Report:
    """Dry-run or import ``data`` (a CSV or XLSX file) as ``kind`` rows, columns mapped by ``mapping`` (guessed
    from the headers when None). Returns the report; a dry run writes nothing. ``on_batch(n)`` is called after
    each batch is written (tests use it to fail part-way). ``history=False`` skips the clients' history records;
    only the benchmark uses it, to measure what they cost."""
    _require_management(actor)
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown import kind: {kind}")
    table = open_table(data, filename)
    if mapping is None:
        mapping = guess_mapping(kind, table.headers)
    index_map = resolve_mapping(kind, table.headers, mapping)
    report = Report(kind=kind, dry_run=dry_run)
    importer = IMPORTERS[kind](
        mapping=index_map, actor=actor, dry_run=dry_run, report=report, estimated_rows=table.estimated_rows
    )
    if not history:
        importer.history = False
    with transaction.atomic():
        importer.run(table.rows, progress=progress, on_batch=on_batch or _no_hook)
        if dry_run:
            transaction.set_rollback(True)  # a dry run writes nothing, whatever an importer did
    return report


def _no_hook(number: int) -> None:
    """No per-batch hook."""


# --- import jobs (the pages) -----------------------------------------------------------------------------------


def progress_path(job_id: int) -> Path:
    """Where a running job reports its progress: a small file, because the import's own transaction hides its
    writes from the page until it commits (and on SQLite holds the only write lock)."""
    return Path(tempfile.gettempdir()) / f"rapport-import-{os.getuid()}-{job_id}.json"


def job_progress(job: ImportJob) -> dict:
    """{"done", "total", "stage", "percent"} of a running job (zeros before it starts)."""
    try:
        state = json.loads(progress_path(job.pk).read_text())
    except (OSError, ValueError):
        state = {"done": 0, "total": job.estimated_rows, "stage": ""}
    total = max(state.get("total") or 0, 1)
    state["percent"] = min(100, int(100 * state.get("done", 0) / total))
    return state


def _progress_writer(job_id: int) -> Progress:
    path = progress_path(job_id)

    def write(done: int, total: int, stage: str) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": done, "total": total, "stage": stage}))
        os.replace(temporary, path)

    return write


@transaction.atomic
def import_job_create(*, actor, kind: str, filename: str, data: bytes) -> ImportJob:
    """Store an uploaded file as a new import job, with its headers and a guessed mapping."""
    _require_management(actor)
    if kind not in IMPORTERS:
        raise ValueError(f"Unknown import kind: {kind}")
    table = open_table(data, filename)
    if not table.headers or not any(table.headers):
        raise refuse(DataImportError.NO_ROWS, _("The file has no header row."))
    return ImportJob.objects.create(
        kind=kind,
        filename=filename[:255],
        file_format=table.file_format,
        data=data,
        headers=table.headers,
        mapping=guess_mapping(kind, table.headers),
        estimated_rows=table.estimated_rows,
        language=translation.get_language() or "en",
        created_by=actor,
    )


def _locked_job(job: ImportJob, actor) -> ImportJob:
    locked = ImportJob.objects.visible_to(actor).select_for_update().filter(pk=job.pk).first()
    if locked is None:
        raise ImportJob.DoesNotExist
    return locked


def import_job_check(*, job: ImportJob, actor, mapping: dict[str, str]) -> ImportJob:
    """Save the job's mapping and queue its dry run."""
    from rapport.dataio.tasks import run_job

    _require_management(actor)
    with transaction.atomic():
        job = _locked_job(job, actor)
        if job.is_running or job.status == JobStatus.DONE:
            raise refuse(DataImportError.JOB_NOT_READY, _("This import is running or finished."))
        resolve_mapping(job.kind, job.headers, mapping)
        job.mapping = mapping
        job.status = JobStatus.CHECKING
        job.error = ""
        job.language = translation.get_language() or job.language
        job.save(update_fields=["mapping", "status", "error", "language"])
    run_job.enqueue(job.pk, True)
    return job


def import_job_confirm(*, job: ImportJob, actor) -> ImportJob:
    """Queue the import of a checked job."""
    from rapport.dataio.tasks import run_job

    _require_management(actor)
    with transaction.atomic():
        job = _locked_job(job, actor)
        if job.status != JobStatus.CHECKED:
            raise refuse(DataImportError.JOB_NOT_READY, _("Run the dry run of this import first."))
        job.status = JobStatus.IMPORTING
        job.save(update_fields=["status"])
    run_job.enqueue(job.pk, False)
    return job


def import_job_run(*, job_id: int, dry_run: bool) -> ImportJob:
    """Run a queued job's dry run or import (the task worker calls this); its report replaces the job's rows.
    On failure nothing is imported and the job says why."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    write_progress = _progress_writer(job.pk)
    try:
        with translation.override(job.language), transaction.atomic():
            report = import_data(
                kind=job.kind,
                data=bytes(job.data),
                filename=job.filename,
                mapping=job.mapping,
                actor=job.created_by,
                dry_run=dry_run,
                progress=write_progress,
            )
            job.rows.all().delete()
            ImportRow.objects.bulk_create(
                (
                    ImportRow(
                        job=job,
                        line=row.line,
                        outcome=row.outcome,
                        key=row.key[:255],
                        label=row.label[:255],
                        changed=row.changed,
                        errors=row.as_dict()["errors"],
                    )
                    for row in report.rows
                ),
                batch_size=2000,
            )
            if dry_run:
                job.checked_counts = report.counts
                job.status = JobStatus.CHECKED
            else:
                job.result_counts = report.counts
                job.status = JobStatus.DONE
            job.finished_at = timezone.now()
            job.save(update_fields=["checked_counts", "result_counts", "status", "finished_at"])
    except (ValidationError, PermissionDenied) as exc:
        _fail(job, " ".join(getattr(exc, "messages", [str(exc)])))
    except Exception as exc:
        _fail(job, _("The import failed and nothing was written: %(error)s") % {"error": exc})
        raise
    finally:
        progress_path(job.pk).unlink(missing_ok=True)
    return job


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
    job.status = JobStatus.FAILED
    job.error = message
