"""Opportunities, their stage changes, and acquisitions (C4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.core.models import TimeStampedModel
from rapport.pipeline.choices import OPEN_STAGES, LostReason, Stage
from rapport.pipeline.querysets import AcquisitionQuerySet, OpportunityQuerySet, StageChangeQuerySet


class Opportunity(TimeStampedModel):
    """A manager's work to win one prospect. A prospect has at most one open opportunity at a time, so two
    managers never chase (and are never both credited with) the same client."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="opportunities"
    )
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NEW)
    stage_changed_at = models.DateTimeField(_("stage changed at"))
    note = models.TextField(_("note"), blank=True)
    lost_reason = models.CharField(_("lost reason"), max_length=20, choices=LostReason.choices, blank=True)
    lost_note = models.TextField(_("lost note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-stage_changed_at", "-id"]
        indexes = [
            models.Index(fields=["manager", "stage"], name="opportunity_manager_stage_idx"),
            models.Index(fields=["stage", "closed_at"], name="opportunity_stage_closed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(stage__in=OPEN_STAGES),
                name="opportunity_one_open_per_client",
                violation_error_message=_("This prospect already has an open opportunity."),
                violation_error_code="open_opportunity_exists",
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.LOST) | ~Q(lost_reason=""),
                name="opportunity_lost_has_reason",
                violation_error_message=_("Say why the opportunity was lost."),
                violation_error_code="lost_reason_required",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=OPEN_STAGES, closed_at__isnull=True)
                | Q(stage__in=[Stage.WON, Stage.LOST], closed_at__isnull=False),
                name="opportunity_closed_at_matches_stage",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class StageChange(models.Model):
    """One move of an opportunity from a stage to another: when, by whom, and the note given."""

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_stage", "at"], name="stagechange_to_at_idx")]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


class Acquisition(models.Model):
    """The credit for winning a client: the manager, the day, the opportunity. Undoing a win reverses it (with a
    reason) instead of deleting it, so compensation can claw back a bonus already paid."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.PROTECT, related_name="acquisitions"
    )
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="acquisitions"
    )
    opportunity = models.OneToOneField(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="acquisition"
    )
    acquired_on = models.DateField(_("acquired on"))
    was_vip = models.BooleanField(_("VIP when won"), default=False)
    credited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("credited by"), on_delete=models.PROTECT, related_name="+"
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reversal_reason = models.TextField(_("reversal reason"), blank=True)

    objects = AcquisitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("acquisition")
        verbose_name_plural = _("acquisitions")
        ordering = ["-acquired_on", "-id"]
        indexes = [
            models.Index(fields=["manager", "acquired_on"], name="acquisition_manager_on_idx"),
            models.Index(fields=["reversed_at"], name="acquisition_reversed_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(reversed_at__isnull=True),
                name="acquisition_one_credit_per_client",
                violation_error_message=_("This client is already credited to a manager."),
                violation_error_code="already_acquired",
            ),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True) | ~Q(reversal_reason=""),
                name="acquisition_reversal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} ← {self.manager} ({self.acquired_on})"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None
