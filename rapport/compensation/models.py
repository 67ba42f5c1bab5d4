"""Compensation plans and their versions, reference salary bands, pay periods, statements and their lines,
queries and overrides (C7).

A statement is computed by the pure engine (``engine/``) from facts loaded by ``fetch.py``; it stores every line
with its quantity, rate, amount, the explanation (a code and parameters, rendered in the reader's language) and the
evidence behind it, plus a snapshot of the inputs, so it can be explained and recomputed later with the same
figures. An approved period is locked; later facts about it are paid as adjustments in the next open period.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.compensation.choices import BandKind, LineKind, PeriodStatus, QueryStatus
from rapport.compensation.querysets import (
    ManagementTotalsQuerySet,
    PayrollQuerySet,
    StatementLineQuerySet,
    StatementQuerySet,
)
from rapport.core.models import TimeStampedModel
from rapport.core.money import CURRENCIES

MONEY = {"max_digits": 14, "decimal_places": 2}
CURRENCY_CHOICES = [(code, code) for code in CURRENCIES]


def _first_of_month(value) -> None:
    if value is not None and value.day != 1:
        raise ValidationError(_("Use the first day of a month."), code="not_first_of_month")


class CompensationPlan(TimeStampedModel):
    """A named pay scheme in one currency; its figures live in versions effective from a month."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PayrollQuerySet.as_manager()

    class Meta:
        verbose_name = _("compensation plan")
        verbose_name_plural = _("compensation plans")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class PlanVersion(TimeStampedModel):
    """The figures of a plan from ``effective_from`` (a month) until the next version."""

    plan = models.ForeignKey(
        CompensationPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions"
    )
    effective_from = models.DateField(_("effective from"), validators=[_first_of_month])
    base_junior = models.DecimalField(_("base salary, junior"), **MONEY)
    base_middle = models.DecimalField(_("base salary, middle"), **MONEY)
    base_senior = models.DecimalField(_("base salary, senior"), **MONEY)
    allowance_corporate = models.DecimalField(_("allowance per corporate client per month"), **MONEY)
    allowance_vip = models.DecimalField(_("allowance per VIP client per month"), **MONEY)
    acquisition_bonus = models.DecimalField(_("bonus per acquired client"), **MONEY)
    acquisition_bonus_vip = models.DecimalField(_("bonus per acquired VIP client"), **MONEY)
    service_bonus = models.DecimalField(_("bonus per served client (pool managers)"), **MONEY)
    rating_tiers = models.JSONField(
        _("rating bonus tiers"),
        default=list,
        blank=True,
        help_text=_('A list of {"threshold": "4.5", "amount": "20000"}: the highest tier reached is paid.'),
    )
    rating_min_count = models.PositiveIntegerField(_("minimum ratings for the rating bonus"), default=3)
    bonus_cap_percent = models.DecimalField(
        _("bonus cap, % of the prorated base"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for no cap."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PayrollQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "effective_from"],
                name="planversion_one_per_month",
                violation_error_message=_("This plan already has a version from that month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} · {self.effective_from:%Y-%m}"


class ManagerPlan(TimeStampedModel):
    """The plan a manager is paid by (each manager is on one plan)."""

    manager = models.OneToOneField(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="pay_plan"
    )
    plan = models.ForeignKey(
        CompensationPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="managers"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PayrollQuerySet.as_manager()

    class Meta:
        verbose_name = _("manager's plan")
        verbose_name_plural = _("managers' plans")

    def __str__(self) -> str:
        return f"{self.manager} → {self.plan}"


class SalaryBand(TimeStampedModel):
    """Reference data: a market salary band per month (the source document's figures ship with the product)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=BandKind.choices)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    minimum = models.DecimalField(_("minimum per month"), **MONEY)
    maximum = models.DecimalField(_("maximum per month"), **MONEY)
    source = models.CharField(_("source"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = ManagementTotalsQuerySet.as_manager()

    class Meta:
        verbose_name = _("salary band")
        verbose_name_plural = _("salary bands")
        ordering = ["kind", "currency", "minimum"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum__lte=models.F("maximum")), name="salaryband_min_le_max"),
            models.UniqueConstraint(fields=["kind", "currency"], name="salaryband_one_per_kind_currency"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.minimum}–{self.maximum} {self.currency}"


class PayPeriod(TimeStampedModel):
    """A month of pay: open → calculated (draft statements, recalculable) → approved (locked)."""

    month = models.DateField(_("month"), unique=True, validators=[_first_of_month])
    status = models.CharField(_("status"), max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("calculated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approval_note = models.TextField(_("approval note"), blank=True)
    # Background runs report here.
    running = models.BooleanField(_("calculation running"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("last error"), blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "progress"])
    objects = ManagementTotalsQuerySet.as_manager()

    class Meta:
        verbose_name = _("pay period")
        verbose_name_plural = _("pay periods")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PeriodStatus.APPROVED) | Q(approved_at__isnull=False),
                name="payperiod_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.APPROVED


class Statement(models.Model):
    """A manager's pay for a period: its lines, the plan version used and a snapshot of the inputs."""

    period = models.ForeignKey(PayPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="statements")
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="statements"
    )
    plan_version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.PROTECT, related_name="statements"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    total = models.DecimalField(_("total"), **MONEY)
    inputs = models.JSONField(_("inputs snapshot"), default=dict)
    calculated_at = models.DateTimeField(_("calculated at"))

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["period", "manager"]
        constraints = [
            models.UniqueConstraint(fields=["period", "manager"], name="statement_one_per_manager_period"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.period}"


class StatementLine(models.Model):
    """One line of a statement: quantity × rate = amount (rounded), why, and the evidence behind it."""

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=24, choices=LineKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=6)
    rate = models.DecimalField(_("rate"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    explanation = models.JSONField(_("explanation"), default=dict)
    evidence = models.JSONField(_("evidence"), default=dict)
    reference_month = models.DateField(_("for month"), null=True, blank=True)
    computed_amount = models.DecimalField(
        _("computed amount"), null=True, blank=True, help_text=_("Before an override."), **MONEY
    )

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "position"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class LineOverride(TimeStampedModel):
    """Payroll's amount for one line of a manager's statement in a period, with the reason; kept for audit and
    applied again whenever the period is recalculated."""

    period = models.ForeignKey(PayPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="overrides")
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("line"), max_length=24, choices=LineKind.choices)
    reference_month = models.DateField(_("for month"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = PayrollQuerySet.as_manager()

    class Meta:
        verbose_name = _("line override")
        verbose_name_plural = _("line overrides")
        constraints = [
            # One override per line: two partial indexes, since SQLite cannot treat NULLs as equal in one.
            models.UniqueConstraint(
                fields=["period", "manager", "kind", "reference_month"],
                condition=Q(reference_month__isnull=False),
                name="lineoverride_one_per_line",
            ),
            models.UniqueConstraint(
                fields=["period", "manager", "kind"],
                condition=Q(reference_month__isnull=True),
                name="lineoverride_one_per_month_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.period} · {self.kind}: {self.amount}"


class LineQuery(TimeStampedModel):
    """A manager's question about a line of their statement, and Payroll's answer."""

    period = models.ForeignKey(PayPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="queries")
    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="pay_queries"
    )
    kind = models.CharField(_("line"), max_length=24, choices=LineKind.choices)
    reference_month = models.DateField(_("for month"), null=True, blank=True)
    comment = models.TextField(_("question"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=QueryStatus.choices, default=QueryStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("line query")
        verbose_name_plural = _("line queries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["period", "status"], name="linequery_period_status_idx")]

    def __str__(self) -> str:
        return f"{self.manager} · {self.period} · {self.kind}"


class Adjustment(models.Model):
    """A difference found for an approved month (a late fact, an undone acquisition), paid in a later period.

    Posted when the later period is calculated; recalculating that period recomputes the adjustments posted into
    it, so a difference is never paid twice. Once the later period is approved, its adjustments are final."""

    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+"
    )
    original_period = models.ForeignKey(
        PayPeriod, verbose_name=_("for month"), on_delete=models.PROTECT, related_name="adjustments_from"
    )
    posted_period = models.ForeignKey(
        PayPeriod, verbose_name=_("paid in"), on_delete=models.PROTECT, related_name="adjustments_posted"
    )
    kind = models.CharField(_("line"), max_length=24, choices=LineKind.choices)
    line_kind = models.CharField(
        _("difference in"), max_length=24, choices=LineKind.choices, help_text=_("The line of the month it corrects.")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    explanation = models.JSONField(_("explanation"), default=dict)
    evidence = models.JSONField(_("evidence"), default=dict)
    created_at = models.DateTimeField(_("created at"))

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        indexes = [
            models.Index(fields=["manager", "original_period"], name="adjustment_manager_orig_idx"),
            models.Index(fields=["posted_period"], name="adjustment_posted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.original_period} → {self.posted_period}: {self.amount}"


class ServedClientMonth(models.Model):
    """A client served by a manager in a month (the month's first day, in the company's time zone): the pay run's
    service bonus counts these rows (see ``served.py``).

    The facts stay the dated events of the cases app — an interaction logged, a case resolved — and this table is
    what pay derives from them, kept as they are recorded: one row per (manager, client, month), however many
    events. It lives here because only pay reads it, in one range read of the month, instead of scanning the
    month's millions of events; the cases app calls ``served.record_served`` and knows nothing else of it."""

    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey("clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), validators=[_first_of_month])

    class Meta:
        verbose_name = _("client served in a month")
        verbose_name_plural = _("clients served in a month")
        constraints = [
            # (month, manager, client): the pay run reads one month, by manager, in this order.
            models.UniqueConstraint(fields=["month", "manager", "client"], name="served_one_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.manager_id} · {self.client_id} · {self.month:%Y-%m}"
