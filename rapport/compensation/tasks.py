"""Background tasks of compensation (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def calculate_period(period_id: int, actor_id: int) -> None:
    """Calculate a pay period, reporting progress on it; a failure is recorded on the period."""
    from django.contrib.auth import get_user_model

    from rapport.compensation import run
    from rapport.compensation.models import PayPeriod

    period = PayPeriod.objects.get(pk=period_id)
    actor = get_user_model().objects.get(pk=actor_id)

    def report(percent: int) -> None:
        PayPeriod.objects.filter(pk=period_id).update(progress=percent)

    try:
        run.write_period(period, actor=actor, progress=report)
    except Exception as exc:
        PayPeriod.objects.filter(pk=period_id).update(running=False, error=str(exc)[:2000])
        raise
