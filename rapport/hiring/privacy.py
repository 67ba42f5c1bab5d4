"""Hiring's client personal data (see ``rapport.privacy.registry``): the entries of a candidate's own client base
that match a client or became a prospect. Candidates and employees are people too, but not clients: their data
follows HR's retention rules and is declared here as holding no client data."""

from django.db.models import Q

from rapport.privacy.registry import register_no_personal_data, register_personal_data

HR_REASON = "HR's data about jobs, candidates and employees, not about clients"


def _client_base_rows(model, client):
    return model._base_manager.filter(Q(match_client_id=client.pk) | Q(prospect_id=client.pk))


def register() -> None:
    from rapport.hiring import models

    register_personal_data(
        models.ClientBaseEntry,
        rows=_client_base_rows,
        fields=("name", "registration_number", "email", "phone", "city"),
    )
    for model in (
        models.JobDescriptionTemplate,
        models.JobDescription,
        models.RequirementProfile,
        models.Position,
        models.Candidate,
        models.Assessment,
        models.EmploymentContract,
        models.Training,
        models.TrainingParticipant,
        models.ManagerKnowledge,
    ):
        register_no_personal_data(model, HR_REASON)
        register_no_personal_data(model.history.model, HR_REASON)
    for model in (models.JobDescriptionVersion, models.FitEvaluation, models.ContractAmendment):
        register_no_personal_data(model, HR_REASON)
