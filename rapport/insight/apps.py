from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    """Insight (C9): the management dashboard, the manager's day, exports and the monthly report."""

    name = "rapport.insight"
    label = "insight"
    verbose_name = _("Insight")

    def ready(self) -> None:
        from rapport.core.workspace import register_workspace_panel
        from rapport.insight import myday

        for panel in myday.PANELS:
            register_workspace_panel(panel)
