"""Retention of candidate data: a candidate who was not hired is anonymised ``CANDIDATE_RETENTION_DAYS`` after
their last activity unless they consented to be kept (``manage.py hiring anonymise``), or at any time on request.

Anonymising leaves no personal data behind: name, contacts, notes and free texts are replaced or emptied, the
client base they brought (third parties' data) is deleted, interviewers' notes are emptied, and every history
record of the candidate and their assessments — which hold the old values — is deleted; one record of the
anonymisation remains. Scores, years, education level and evaluations stay for statistics: without a name they
describe nobody. Hired candidates are kept: their application belongs to the employee's personnel file.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.hiring.choices import CandidateStatus
from rapport.hiring.errors import HiringError
from rapport.hiring.jobs import require_hr
from rapport.hiring.models import Assessment, Candidate


def retention_cutoff(*, days: int | None = None, now: datetime.datetime | None = None) -> datetime.datetime:
    days = settings.RAPPORT["CANDIDATE_RETENTION_DAYS"] if days is None else days
    return (now or timezone.now()) - datetime.timedelta(days=days)


def expired_candidates(*, days: int | None = None, now: datetime.datetime | None = None) -> QuerySet:
    """Candidates due for anonymisation: not hired, no consent, no activity since the cutoff."""
    return (
        Candidate.objects.filter(
            anonymised_at__isnull=True,
            consent_to_keep=False,
            last_activity_at__lt=retention_cutoff(days=days, now=now),
        )
        .exclude(status=CandidateStatus.HIRED)
        .order_by("last_activity_at", "id")
    )


@transaction.atomic
def candidate_anonymise(*, actor, candidate: Candidate, reason: str = "retention") -> Candidate:
    """Remove the candidate's personal data for good (see the module docstring)."""
    require_hr(actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == CandidateStatus.HIRED:
        raise refuse(HiringError.ALREADY_HIRED, _("A hired candidate's file belongs to the employee's records."))
    if candidate.is_anonymised:
        return candidate
    candidate.client_base.all().delete()
    assessments = Assessment.objects.filter(candidate=candidate)
    assessments.update(note="")
    Assessment.history.filter(candidate_id=candidate.pk).delete()
    Candidate.history.filter(id=candidate.pk).delete()
    candidate.first_name = "Anonymised"
    candidate.last_name = f"#{candidate.pk}"
    for name in ("email", "phone", "source", "experience_note", "education_note", "notes"):
        setattr(candidate, name, "")
    candidate.expected_pay = None
    candidate.offered_pay = None
    candidate.consent_on = None
    candidate.anonymised_at = timezone.now()
    candidate.last_activity_at = candidate.anonymised_at
    if candidate.status not in (CandidateStatus.REJECTED, CandidateStatus.WITHDRAWN):
        candidate.status = CandidateStatus.WITHDRAWN
    save_with_history(candidate, actor=actor, reason=f"anonymised: {reason}")
    return candidate
