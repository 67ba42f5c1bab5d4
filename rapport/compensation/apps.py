from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompensationConfig(AppConfig):
    """Compensation (C7): versioned plans, monthly statements that explain every line, approval, what-if."""

    name = "rapport.compensation"
    label = "compensation"
    verbose_name = _("Compensation")

    def ready(self) -> None:
        from rapport.compensation import privacy

        privacy.register()
