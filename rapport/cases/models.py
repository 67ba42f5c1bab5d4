"""Interactions and cases (C5).

A client is *served* by a manager in a month when that manager logged an interaction with them or resolved a case
of theirs in that month (see ``served.py``). A case's service-level deadlines are fixed when it is opened (from the
settings of its priority, tighter for VIP clients), so changing the settings never rewrites past breaches.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.cases.choices import OPEN_STATUSES, CaseCategory, CaseEventKind, CasePriority, CaseStatus, Channel
from rapport.cases.querysets import CaseEventQuerySet, CaseQuerySet, InteractionQuerySet
from rapport.core.models import TimeStampedModel
from rapport.core.softdelete import AliveManager, SoftDeleteModel


class Interaction(TimeStampedModel):
    """A contact between a manager and a client: a call, meeting, e-mail, message or visit."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="interactions"
    )
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="interactions"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    occurred_at = models.DateTimeField(_("when"))
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = InteractionQuerySet.as_manager()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["manager", "occurred_at"], name="interaction_manager_at_idx"),
            models.Index(fields=["client", "occurred_at"], name="interaction_client_at_idx"),
            models.Index(fields=["follow_up_on"], name="interaction_follow_up_idx"),
            # Served clients of a month for all managers: an index-only range scan (see ``served.py``).
            models.Index(fields=["occurred_at", "manager", "client"], name="interaction_at_idx"),
            # Served clients of a month for some managers (pay: the pool managers' service bonus): an index-only
            # range scan per manager.
            models.Index(fields=["manager", "occurred_at", "client"], name="interaction_manager_served_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.client} · {self.occurred_at:%Y-%m-%d}"


class Case(SoftDeleteModel, TimeStampedModel):
    """A client's problem, from opening to closing. The handler is the client's personal manager, or a pool
    manager chosen by pool routing; ``resolved_by`` is the manager who solved it (the one the client rates)."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("handler"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices, default=CaseCategory.OTHER)
    priority = models.CharField(_("priority"), max_length=10, choices=CasePriority.choices, default=CasePriority.NORMAL)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    client_was_vip = models.BooleanField(_("VIP when opened"), default=False)

    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"))
    resolve_due_at = models.DateTimeField(_("resolve by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    problem_statement = models.TextField(
        _("problem statement"), blank=True, help_text=_("The problem in the manager's own words.")
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_cases",
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    routing = models.JSONField(_("routing reasons"), default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = AliveManager.from_queryset(CaseQuerySet)()
    # Deleted rows too: restore, purge, "Recently deleted" and personal data only.
    all_objects = models.Manager.from_queryset(CaseQuerySet)()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["handler", "status"], name="case_handler_status_idx"),
            models.Index(fields=["status", "resolve_due_at"], name="case_status_due_idx"),
            models.Index(fields=["resolved_by", "resolved_at"], name="case_resolved_idx"),
            models.Index(fields=["client", "opened_at"], name="case_client_idx"),
            models.Index(fields=["deleted_at"], condition=Q(deleted_at__isnull=False), name="case_deleted_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.NEW) | Q(acknowledged_at__isnull=True),
                name="case_new_not_acknowledged",
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.NEW) | ~Q(problem_statement=""),
                name="case_acknowledged_has_problem_statement",
                violation_error_message=_("Acknowledging a case needs the problem statement."),
                violation_error_code="problem_statement_required",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
                | (~Q(resolution="") & Q(resolved_at__isnull=False) & Q(resolved_by__isnull=False)),
                name="case_resolved_has_resolution",
                violation_error_message=_("Resolving a case needs the resolution."),
                violation_error_code="resolution_required",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_at__isnull=False),
                name="case_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One entry of a case's timeline."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseEventKind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The manager the event is credited to (who resolved the case; the new handler)."),
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at", "manager"], name="caseevent_kind_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
