"""Assignments: a legal-entity client linked to a personal manager for a period (capability C2)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.assignment.choices import AssignmentReason
from rapport.assignment.querysets import AssignmentQuerySet


class Assignment(models.Model):
    """Client ``client`` is served by personal manager ``manager`` from ``start_date`` until ``end_date``.

    ``end_date`` is exclusive: the first day the assignment no longer holds; empty while it is current. A client
    has at most one current assignment, which the database enforces with a partial unique index.
    """

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="assignments"
    )
    # No index of its own: the (manager, end_date) index below starts with it. Every assignment written (a plan
    # writes hundreds of thousands) would otherwise update one more index at a random place.
    manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=AssignmentReason.choices)
    # Who assigned and who ended an assignment are not indexed: nothing reads assignments by them (deleting a user,
    # which they protect against, scans instead), and every assignment a plan writes would update both.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    note = models.TextField(_("note"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    end_note = models.TextField(_("end note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # The history is read by assignment id, client, date and (when a user is deleted) recording user; nothing reads
    # it by manager, actor or ender — its links do nothing on delete — so those columns are not indexed.
    history = HistoricalRecords(excluded_fields=["created_at"], no_db_index=["manager", "actor", "ended_by"])
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["manager", "end_date"], name="assignment_manager_current_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(end_date__isnull=True),
                name="assignment_one_current_per_client",
                violation_error_message=_("This client already has a personal manager."),
                violation_error_code="already_assigned",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
                violation_error_code="end_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.manager}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


from rapport.assignment.plan_models import (  # noqa: E402
    AssignmentPlan,
    AssignmentWeights,
    ManagerLeave,
    PlanChange,
    PlanReason,
)

__all__ = ["Assignment", "AssignmentPlan", "AssignmentWeights", "ManagerLeave", "PlanChange", "PlanReason"]
