"""Named values of interactions and cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Message")
    VISIT = "visit", _("Visit")


class CaseStatus(models.TextChoices):
    """The lifecycle of a case, in order."""

    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS)


class CasePriority(models.TextChoices):
    """Priorities, lowest first; a VIP client's case is raised one level."""

    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class CaseCategory(models.TextChoices):
    QUESTION = "question", _("Question")
    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")
    BILLING = "billing", _("Billing")
    TECHNICAL = "technical", _("Technical problem")
    OTHER = "other", _("Other")


class CaseEventKind(models.TextChoices):
    """What happened to a case; the timeline lists them in order."""

    OPENED = "opened", _("Opened")
    ROUTED = "routed", _("Routed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    STARTED = "started", _("Work started")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    REASSIGNED = "reassigned", _("Reassigned")
    NOTE = "note", _("Note")
    INTERACTION = "interaction", _("Interaction")
    RATING_REQUESTED = "rating_requested", _("Rating requested")
    RATED = "rated", _("Rated")


class RoutingReason(models.TextChoices):
    """Why a case went to its handler (``Case.routing``): the codes of pool routing, plus the cases' own."""

    PERSONAL_MANAGER = "personal_manager", _("The client's personal manager")
    POOL_MANAGER_ACTIVE = "pool_manager_active", _("An active pool manager")
    VIP_QUALIFIED = "vip_qualified", _("VIP-qualified")
    MOTIVATION_MATCH = "motivation_match", _("Type matches the client's motivation")
    GROUP_SERVED = "group_served", _("Serves the client's group")
    LEAST_OPEN_WORK = "least_open_work", _("Least open work")
    NO_POOL_MANAGER = "no_pool_manager", _("No active pool manager")
    NO_VIP_QUALIFIED_POOL_MANAGER = "no_vip_qualified_pool_manager", _("No active VIP-qualified pool manager")
    REASSIGNED = "reassigned", _("Chosen by Management")
