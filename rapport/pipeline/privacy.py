"""The pipeline's personal data (see ``rapport.privacy.registry``) and the hold of an open opportunity."""

from django.utils.translation import gettext as _

from rapport.privacy.registry import register_personal_data, register_retention_hold


def _open_opportunity(client) -> str | None:
    from rapport.pipeline.choices import OPEN_STAGES
    from rapport.pipeline.models import Opportunity

    if Opportunity.objects.filter(client_id=client.pk, stage__in=OPEN_STAGES).exists():
        return _("The client has an open opportunity: win or lose it first.")
    return None


def register() -> None:
    from rapport.pipeline.models import Acquisition, Opportunity, StageChange

    register_personal_data(Opportunity, rows="client_id", fields=("title", "note", "lost_note"), history=True)
    register_personal_data(StageChange, rows="opportunity__client_id", fields=("note",))
    register_personal_data(Acquisition, rows="client_id", fields=("reversal_reason",))
    register_retention_hold("open_opportunity", _open_opportunity)
