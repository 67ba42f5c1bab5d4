from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HiringConfig(AppConfig):
    """HR for client managers (C8): job descriptions, requirement profiles and candidates, employment contracts,
    training."""

    name = "rapport.hiring"
    label = "hiring"
    verbose_name = _("HR")

    def ready(self) -> None:
        from rapport.hiring import privacy

        privacy.register()
