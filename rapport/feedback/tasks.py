"""Background tasks of ratings (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def send_rating_request(request_id: int) -> None:
    """Send the e-mail of one rating request (made when a case was resolved)."""
    from rapport.feedback.models import RatingRequest
    from rapport.feedback.services import rating_request_send

    request = RatingRequest.objects.filter(pk=request_id, sent_at__isnull=True).first()
    if request is not None:
        rating_request_send(request=request)
