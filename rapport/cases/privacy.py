"""Cases' and interactions' personal data (see ``rapport.privacy.registry``) and the hold of an open case."""

from django.utils.translation import gettext as _

from rapport.privacy.registry import register_personal_data, register_retention_hold


def _open_case(client) -> str | None:
    from rapport.cases.choices import OPEN_STATUSES
    from rapport.cases.models import Case

    if Case.objects.filter(client_id=client.pk, status__in=OPEN_STATUSES).exists():
        return _("The client has an open case: resolve it first.")
    return None


def _erase_events(rows, client) -> None:
    # A reopening keeps the earlier resolution in the event's data.
    for event in rows.filter(data__has_key="resolution").only("pk", "data"):
        event.data["resolution"] = ""
        type(event)._base_manager.filter(pk=event.pk).update(data=event.data)


def register() -> None:
    from rapport.cases.models import Case, CaseEvent, Interaction

    register_personal_data(Interaction, rows="client_id", fields=("summary", "outcome"), history=True)
    register_personal_data(
        Case, rows="client_id", fields=("subject", "description", "problem_statement", "resolution"), history=True
    )
    register_personal_data(CaseEvent, rows="case__client_id", fields=("note",), erase=_erase_events)
    register_retention_hold("open_case", _open_case)
