from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Subject access and erasure of a client's personal data across every app (see ``registry``)."""

    name = "rapport.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from rapport.privacy import third_party

        third_party.register()
