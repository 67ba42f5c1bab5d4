"""Named values of assignments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentReason(models.TextChoices):
    MANUAL = "manual", _("Manual")
    PLAN = "plan", _("Plan")
    HANDOVER = "handover", _("Handover")
    ACQUISITION = "acquisition", _("Acquisition")
