"""Named values of the client registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")


class ClientStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    FORMER = "former", _("Former")


class Motivation(models.TextChoices):
    """Why the client buys; determining it is one of the manager's tasks."""

    UNKNOWN = "unknown", _("Unknown")
    ADVICE = "advice", _("Advice")
    DECISION = "decision", _("Decision")
    PARTNERSHIP = "partnership", _("Partnership")
