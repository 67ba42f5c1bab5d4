"""Assignment plans and their weights: a computed, reviewable proposal of changes, applied atomically."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.accounts import roles
from rapport.assignment.choices import ChangeKind, PlanKind, PlanStatus


class AssignmentWeights(models.Model):
    """The soft costs of the assignment engine; one row, edited by Admin in the admin site."""

    motivation_mismatch = models.PositiveIntegerField(_("motivation known and not the manager's type"), default=40)
    group_not_served = models.PositiveIntegerField(_("client group not served by the manager"), default=20)
    vip_with_junior = models.PositiveIntegerField(_("VIP client with a junior manager"), default=15)
    move = models.PositiveIntegerField(_("moving a client away from its current manager"), default=50)
    load_up_to_50 = models.PositiveIntegerField(_("per client up to 50 % of capacity"), default=0)
    load_up_to_75 = models.PositiveIntegerField(_("per client up to 75 % of capacity"), default=2)
    load_up_to_90 = models.PositiveIntegerField(_("per client up to 90 % of capacity"), default=5)
    load_above_90 = models.PositiveIntegerField(_("per client above 90 % of capacity"), default=10)
    unassigned = models.PositiveIntegerField(_("leaving a client without a manager"), default=1000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment weights")
        verbose_name_plural = _("assignment weights")

    def __str__(self) -> str:
        return str(_("Assignment weights"))

    @classmethod
    def current(cls) -> "AssignmentWeights":
        """The one row of weights, created with the defaults on first use."""
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


class ManagementOnlyQuerySet(models.QuerySet):
    """Plans and leaves name clients across the whole base: Management and Admin see them, nobody else."""

    def visible_to(self, user) -> "ManagementOnlyQuerySet":
        if roles.is_management(user):
            return self.all()
        return self.none()


class AssignmentPlan(models.Model):
    """A computed plan: the changes it proposes, with totals and the costs before and after.

    ``fingerprint`` summarises the data the plan was computed from; a plan whose fingerprint no longer matches is
    stale and cannot be applied.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices, default=PlanKind.OPTIMISE)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied or discarded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("applied or discarded at"), null=True, blank=True)
    departing_manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("departing manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    effective_on = models.DateField(_("effective on"))
    note = models.TextField(_("note"), blank=True)
    fingerprint = models.CharField(max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    weights = models.JSONField(_("weights"), default=dict)
    clients = models.PositiveIntegerField(_("clients considered"), default=0)
    managers = models.PositiveIntegerField(_("managers considered"), default=0)
    classes = models.PositiveIntegerField(_("cost classes"), default=0)
    assigned_before = models.PositiveIntegerField(_("assigned before"), default=0)
    assigned_after = models.PositiveIntegerField(_("assigned after"), default=0)
    new_count = models.PositiveIntegerField(_("new assignments"), default=0)
    move_count = models.PositiveIntegerField(_("moves"), default=0)
    unassign_count = models.PositiveIntegerField(_("clients losing their manager"), default=0)
    unplaced_count = models.PositiveIntegerField(_("clients without a manager"), default=0)
    cost_before = models.BigIntegerField(_("cost before"), default=0)
    cost_after = models.BigIntegerField(_("cost after"), default=0)
    solve_seconds = models.FloatField(_("solver time (s)"), default=0)

    objects = ManagementOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment plan")
        verbose_name_plural = _("assignment plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Plan %(id)s") % {"id": self.pk})

    @property
    def change_count(self) -> int:
        return self.new_count + self.move_count + self.unassign_count


class PlanReason(models.Model):
    """Reasons shared by every change of a plan with the same client class, continuity case and new manager (a
    few thousand for a million clients), so a plan's rows stay small."""

    plan = models.ForeignKey(AssignmentPlan, on_delete=models.CASCADE, related_name="reasons")
    reasons = models.JSONField(_("reasons"), default=list)

    class Meta:
        verbose_name = _("plan reason")
        verbose_name_plural = _("plan reasons")

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.pk}"


class PlanChange(models.Model):
    """What a plan does to one client: a new assignment, a move, losing its manager, or staying without one."""

    # Only the composite indexes below: a plan writes up to a million rows at once, and clients and managers are
    # never deleted (the reason for the usual foreign-key indexes).
    plan = models.ForeignKey(AssignmentPlan, on_delete=models.CASCADE, related_name="changes", db_index=False)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    from_manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_manager = models.ForeignKey(
        "managers.ClientManager",
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reason = models.ForeignKey(
        PlanReason, verbose_name=_("reasons"), on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("plan change")
        verbose_name_plural = _("plan changes")
        ordering = ["id"]
        indexes = [models.Index(fields=["plan", "kind"], name="planchange_plan_kind_idx")]
        constraints = [
            models.UniqueConstraint(fields=["plan", "client"], name="planchange_one_per_client"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.client_id}"

    @property
    def reasons(self) -> list[dict]:
        """The stored reasons (select ``reason`` with the change to avoid a query per row)."""
        return self.reason.reasons

    def explanation(self) -> list[str]:
        """The reasons as sentences in the active language (select ``reason`` and ``from_manager__user``)."""
        from rapport.assignment.reasons import describe_reasons

        return describe_reasons(self.reasons, from_name=self.from_manager.name if self.from_manager_id else None)


class ManagerLeave(models.Model):
    """A temporary leave: the manager's clients go to a cover manager and come back when the leave ends."""

    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="leaves"
    )
    cover = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("cover manager"), on_delete=models.PROTECT, related_name="covers"
    )
    starts_on = models.DateField(_("leave starts on"))
    planned_end = models.DateField(_("planned return"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    client_ids = models.JSONField(_("clients handed to the cover"), default=list)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    objects = ManagementOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["manager"],
                condition=models.Q(returned_on__isnull=True),
                name="leave_one_open_per_manager",
                violation_error_message=_("This manager is already on leave."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} → {self.cover}"
