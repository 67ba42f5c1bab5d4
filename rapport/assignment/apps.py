from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    """Assignments of legal-entity clients to personal managers, under the hard rules."""

    name = "rapport.assignment"
    label = "assignment"
    verbose_name = _("Assignment")

    def ready(self) -> None:
        from rapport.assignment import privacy

        privacy.register()
