"""Assignments' personal data (see ``rapport.privacy.registry``) and the hold of a client with a personal manager."""

from django.utils.translation import gettext as _

from rapport.privacy.registry import register_no_personal_data, register_personal_data, register_retention_hold


def _current_assignment(client) -> str | None:
    from rapport.assignment.models import Assignment

    if Assignment.objects.filter(client_id=client.pk, end_date__isnull=True).exists():
        return _("The client has a personal manager: unassign the client first.")
    return None


def register() -> None:
    from rapport.assignment.models import Assignment, AssignmentWeights, ManagerLeave
    from rapport.assignment.plan_models import AssignmentPlan, PlanChange, PlanReason

    register_personal_data(Assignment, rows="client_id", fields=("note", "end_note"), history=True)
    register_personal_data(PlanChange, rows="client_id")
    register_no_personal_data(AssignmentPlan, "a plan for the whole company: Management's note, codes and ids")
    register_no_personal_data(PlanReason, "reason codes with record ids")
    register_no_personal_data(ManagerLeave, "a manager's leave: client ids only, the note is about the leave")
    register_no_personal_data(AssignmentWeights, "the engine's weights")
    register_no_personal_data(AssignmentWeights.history.model, "the history of the engine's weights")
    register_retention_hold("current_assignment", _current_assignment)
