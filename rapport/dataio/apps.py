from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rapport.dataio"
    label = "dataio"
    verbose_name = _("Data import and backup")

    def ready(self) -> None:
        from rapport.dataio import privacy

        privacy.register()
