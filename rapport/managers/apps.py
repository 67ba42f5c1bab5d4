from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManagersConfig(AppConfig):
    """Client managers: type, level, work mode, capacity and employment."""

    name = "rapport.managers"
    label = "managers"
    verbose_name = _("Client managers")

    def ready(self) -> None:
        from rapport.managers import privacy

        privacy.register()
