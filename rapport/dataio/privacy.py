"""Imports' personal data (see ``rapport.privacy.registry``): an uploaded file is kept with its job and holds the
rows as typed, so the files that mention a client are found by reading them, and erased whole (a file cannot be
edited cell by cell once imported); the listed report rows name clients by key and label."""

from django.db.models import Q
from django.utils.translation import gettext as _

from rapport.privacy.registry import register_personal_data, register_retention_hold

# Values shorter than this are not searched for in files (a two-letter city would match everywhere).
MIN_NEEDLE = 4


IDENTIFYING = ("name", "email", "phone", "registration_number", "tax_number", "external_id")


def client_values(client) -> dict[str, set[str]]:
    """The values that identify ``client``, now and in their history (a former name or e-mail), by field."""
    rows = [{name: getattr(client, name) for name in IDENTIFYING}]
    rows += list(client.history.values(*IDENTIFYING))
    return {name: {row[name].strip() for row in rows if row[name] and row[name].strip()} for name in IDENTIFYING}


def client_needles(client) -> list[str]:
    """The values that identify ``client`` in a file, lower-cased (too short ones left out)."""
    values = set().union(*client_values(client).values())
    return sorted({v.lower() for v in values if len(v) >= MIN_NEEDLE})


def file_lines_mentioning(job, needles: list[str]) -> list[list[str]]:
    """The rows of ``job``'s file (header first) in which a cell is one of ``needles``, or contains the name."""
    from rapport.dataio.readers import open_table

    if not job.data or not needles:
        return []
    try:
        table = open_table(bytes(job.data), job.filename)
        found = [list(row) for row in table.rows if _mentions(row, needles)]
    except Exception:  # an unreadable file is matched on its raw text instead
        text = bytes(job.data).decode("utf-8", "ignore").lower()
        return [[line] for line in text.splitlines() if any(n in line for n in needles)]
    return [table.headers, *found] if found else []


def _mentions(row, needles) -> bool:
    cells = [str(cell).strip().lower() for cell in row]
    return any(cell == needle or (len(needle) >= 8 and needle in cell) for cell in cells for needle in needles)


def _job_rows(model, client):
    needles = client_needles(client)
    ids = [
        job.pk
        for job in model._base_manager.exclude(data=b"").only("pk", "data", "filename")
        if file_lines_mentioning(job, needles)
    ]
    return model._base_manager.filter(pk__in=ids)


def _erase_jobs(rows, client) -> None:
    rows.update(data=b"", error="")


def _export_job(job, client) -> dict:
    return {
        "id": str(job.pk),
        "kind": job.kind,
        "filename": job.filename,
        "created_at": job.created_at.isoformat(),
        "lines_mentioning_client": file_lines_mentioning(job, client_needles(client)),
    }


def _report_rows(model, client):
    values = client_values(client)
    keys = values["registration_number"] | values["external_id"] | values["email"]
    return model._base_manager.filter(Q(label__in=values["name"]) | Q(key__in=keys))


def _erase_report_rows(rows, client) -> None:
    rows.update(errors=[], changed=[])


def _running_import(client) -> str | None:
    from rapport.dataio.models import ImportJob, JobStatus

    running = ImportJob.objects.filter(status__in=(JobStatus.CHECKING, JobStatus.IMPORTING))
    if running.exists() and _job_rows(ImportJob, client).filter(pk__in=running).exists():
        return _("An import of a file that mentions the client is running: wait until it ends.")
    return None


def register() -> None:
    from rapport.dataio.models import ImportJob, ImportRow

    register_personal_data(
        ImportJob,
        rows=_job_rows,
        fields=(),
        kept={"filename": "a file's name, chosen by Management", "error": "erased with the file"},
        erase=_erase_jobs,
        export=_export_job,
    )
    register_personal_data(ImportRow, rows=_report_rows, fields=("key", "label"), erase=_erase_report_rows)
    register_retention_hold("running_import", _running_import)
