from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Client ratings (C6): one-time rating links and smoothed ratings per manager."""

    name = "rapport.feedback"
    label = "feedback"
    verbose_name = _("Ratings")

    def ready(self) -> None:
        from rapport.feedback import privacy

        privacy.register()
