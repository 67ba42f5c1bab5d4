"""Named values of the pipeline."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The stages of an opportunity, in order; won and lost close it."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    NEEDS_IDENTIFIED = "needs_identified", _("Needs identified")
    OFFER = "offer", _("Offer")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = (Stage.NEW, Stage.CONTACTED, Stage.NEEDS_IDENTIFIED, Stage.OFFER)
CLOSED_STAGES = (Stage.WON, Stage.LOST)


class LostReason(models.TextChoices):
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Chose a competitor")
    NO_NEED = "no_need", _("No need")
    NO_RESPONSE = "no_response", _("No response")
    TIMING = "timing", _("Not now")
    WIN_UNDONE = "win_undone", _("Win undone")
    OTHER = "other", _("Other")
