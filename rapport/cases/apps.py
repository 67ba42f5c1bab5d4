from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Serving clients (C5): interactions, cases with their lifecycle and service levels."""

    name = "rapport.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from rapport.assignment.departure import register_handover
        from rapport.assignment.routing import register_open_work
        from rapport.cases import handover, selectors
        from rapport.clients.querysets import register_client_reach

        register_client_reach(selectors.client_reach)
        register_open_work(selectors.open_case_counts)
        register_handover(handover.hand_over_cases)

        from rapport.cases import privacy

        privacy.register()
