"""Background tasks of the assignment app (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def compute_plan(plan_id: int) -> None:
    """Compute a queued assignment plan."""
    from rapport.assignment.plans import assignment_plan_compute

    assignment_plan_compute(plan_id=plan_id)
