"""Named values of ratings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestSubject(models.TextChoices):
    """What a rating request asks the client to rate."""

    CASE = "case", _("Case")
    INTERACTION = "interaction", _("Interaction")


class LinkState(models.TextChoices):
    """Why a rating link can or cannot be used (the public page shows each clearly)."""

    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")
    USED = "used", _("Used")
    EXPIRED = "expired", _("Expired")


class RequestStatus(models.TextChoices):
    """Where a rating request stands, for the people who follow them (never the link itself)."""

    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent")
    USED = "used", _("Rated")
    EXPIRED = "expired", _("Expired")
