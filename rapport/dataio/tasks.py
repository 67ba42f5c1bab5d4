"""Background tasks of data imports (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def run_job(job_id: int, dry_run: bool) -> None:
    """Run the dry run or the import of a queued import job."""
    from rapport.dataio.services import import_job_run

    import_job_run(job_id=job_id, dry_run=dry_run)
