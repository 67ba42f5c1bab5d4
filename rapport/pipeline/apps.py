from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PipelineConfig(AppConfig):
    """Winning clients (C4): opportunities through stages, acquisitions and their reversal."""

    name = "rapport.pipeline"
    label = "pipeline"
    verbose_name = _("Pipeline")

    def ready(self) -> None:
        from rapport.assignment.departure import register_handover
        from rapport.assignment.routing import register_open_work
        from rapport.clients.querysets import register_client_reach
        from rapport.pipeline import handover, selectors

        register_client_reach(selectors.client_reach)
        register_open_work(selectors.open_opportunity_counts)
        register_handover(handover.hand_over_opportunities)

        from rapport.pipeline import privacy

        privacy.register()
