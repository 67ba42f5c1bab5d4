"""The restricted querysets of HR: every read path of the app starts from one of these.

- Templates, requirement profiles and positions: HR (and Admin) keep them, Management reads them.
- Job descriptions: HR and Management read all; a client manager reads the issued versions that are theirs (a job
  description written for them, or the version their own contract names).
- Candidates and everything about them: HR and Admin only.
- Employment contracts and their amendments: HR and Admin, and the employee themself — not Management.
- Trainings: a catalogue every role reads; participations and assessed knowledge: HR, Management (participations
  only) and the manager themself.
"""

from django.db import models
from django.db.models import Q

from rapport.accounts import roles


class HRReferenceQuerySet(models.QuerySet):
    """Templates, requirement profiles, positions: HR and Admin keep them; Management reads them."""

    def visible_to(self, user) -> "HRReferenceQuerySet":
        if roles.sees_hr_reports(user):
            return self.all()
        return self.none()


class JobDescriptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobDescriptionQuerySet":
        """HR and Management: all; a client manager: those written for them or named by their contracts."""
        if roles.sees_hr_reports(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(
                Q(manager__user_id=user.pk)
                | Q(versions__contracts__manager__user_id=user.pk, versions__issued_at__isnull=False)
            ).distinct()
        return self.none()


class JobDescriptionVersionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobDescriptionVersionQuerySet":
        """HR and Management: every version, drafts included; a client manager: issued versions of their own job
        description and the versions their contracts name."""
        if roles.sees_hr_reports(user):
            return self.all()
        if roles.is_client_manager(user):
            return (
                self.filter(issued_at__isnull=False)
                .filter(Q(job_description__manager__user_id=user.pk) | Q(contracts__manager__user_id=user.pk))
                .distinct()
            )
        return self.none()


class CandidateDataQuerySet(models.QuerySet):
    """Candidates, their assessments, client bases and evaluations: HR and Admin only."""

    def visible_to(self, user) -> "CandidateDataQuerySet":
        if roles.is_hr(user):
            return self.all()
        return self.none()


class ContractQuerySet(models.QuerySet):
    """Employment contracts: HR and Admin, and the employee themself."""

    def visible_to(self, user) -> "ContractQuerySet":
        if roles.is_hr(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()


class AmendmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AmendmentQuerySet":
        if roles.is_hr(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(contract__manager__user_id=user.pk)
        return self.none()


class TrainingQuerySet(models.QuerySet):
    """The training catalogue: everyone with a role reads it (a manager to see what is suggested to them)."""

    def visible_to(self, user) -> "TrainingQuerySet":
        if roles.role_names(user):
            return self.all()
        return self.none()


class ParticipantQuerySet(models.QuerySet):
    """Who took part in which training: HR and Management all; a client manager their own."""

    def visible_to(self, user) -> "ParticipantQuerySet":
        if roles.sees_hr_reports(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()


class ManagerKnowledgeQuerySet(models.QuerySet):
    """Assessed knowledge of managers: HR and Admin all; a client manager their own."""

    def visible_to(self, user) -> "ManagerKnowledgeQuerySet":
        if roles.is_hr(user):
            return self.all()
        if roles.is_client_manager(user):
            return self.filter(manager__user_id=user.pk)
        return self.none()
