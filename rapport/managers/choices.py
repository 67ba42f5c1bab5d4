"""Named values of client managers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagerType(models.TextChoices):
    """Matches the client motivation the manager is best at."""

    ADVICE = "advice", _("Advice")
    DECISION = "decision", _("Decision")
    PARTNERSHIP = "partnership", _("Partnership")


class ManagerLevel(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MIDDLE = "middle", _("Middle")
    SENIOR = "senior", _("Senior")


class WorkMode(models.TextChoices):
    """Pool: an undetermined circle of (inbound) clients. Personal: specific legal-entity clients assigned."""

    POOL = "pool", _("Pool")
    PERSONAL = "personal", _("Personal")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    DISMISSED = "dismissed", _("Dismissed")
