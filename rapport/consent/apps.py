from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """Consent records: per client and purpose, given or withdrawn, with the wording, time and source."""

    name = "rapport.consent"
    label = "consent"
    verbose_name = _("Consent")

    def ready(self) -> None:
        from rapport.consent import privacy

        privacy.register()
