"""Named values of assignments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentReason(models.TextChoices):
    MANUAL = "manual", _("Manual")
    PLAN = "plan", _("Plan")
    HANDOVER = "handover", _("Handover")
    ACQUISITION = "acquisition", _("Acquisition")


class PlanStatus(models.TextChoices):
    COMPUTING = "computing", _("Computing")
    FAILED = "failed", _("Failed")
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")
    STALE = "stale", _("Stale")


class PlanKind(models.TextChoices):
    OPTIMISE = "optimise", _("Optimisation")
    DEPARTURE = "departure", _("Departure")


class ChangeKind(models.TextChoices):
    """What a plan does to one client."""

    NEW = "new", _("New assignment")
    MOVE = "move", _("Move")
    UNASSIGN = "unassign", _("Loses its manager")
    UNPLACED = "unplaced", _("Stays without a manager")
