"""Employment contracts of client managers and their amendments.

The source document: the relationship rests on an employment contract — a civil-law contract is practically
excluded for a client manager — concluded for the long term to protect the existing and newly built client base
from losses when a manager leaves. So the contract type is always "employment" (a civil-law contract is refused
with that explanation), indefinite unless a fixed term is chosen, and carries a client-base protection clause.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rapport.core.models import TimeStampedModel
from rapport.hiring.choices import ContractStatus, ContractTerm, ContractType, WorkingTime
from rapport.hiring.models import CURRENCY_CHOICES, MONEY
from rapport.hiring.querysets import AmendmentQuerySet, ContractQuerySet

# Probation beyond six months is allowed by neither the Hungarian (Mt. 45. §: 3, up to 6 by collective agreement)
# nor the Russian Labour Code (art. 70: 3, 6 for heads of organisations).
MAX_PROBATION_MONTHS = 6

CIVIL_LAW_EXPLANATION = _(
    "A client manager works under an employment contract: the nature of the work practically excludes a civil-law "
    "contract, and a long-term employment contract protects the existing and newly built client base from losses "
    "when a manager leaves."
)


class EmploymentContract(TimeStampedModel):
    """The employment contract of a client manager: type, term, probation, working time, base salary, the job
    description version it was signed with and the client-base protection clause. Changes are amendments."""

    manager = models.ForeignKey(
        "managers.ClientManager", verbose_name=_("employee"), on_delete=models.PROTECT, related_name="contracts"
    )
    position = models.ForeignKey(
        "hiring.Position",
        verbose_name=_("position"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices, default=ContractType.EMPLOYMENT
    )
    term = models.CharField(_("term"), max_length=20, choices=ContractTerm.choices, default=ContractTerm.INDEFINITE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end of the fixed term"), null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("probation (months)"), default=3)
    working_time = models.CharField(
        _("working time"), max_length=20, choices=WorkingTime.choices, default=WorkingTime.FULL_TIME
    )
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, default=40)
    base_salary = models.DecimalField(_("base salary per month"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="HUF")
    job_description_version = models.ForeignKey(
        "hiring.JobDescriptionVersion",
        verbose_name=_("job description"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
    )
    client_base_protection = models.BooleanField(_("client-base protection clause"), default=True)
    protection_clause = models.TextField(_("wording of the protection clause"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for the end"), max_length=300, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("end recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])
    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("employment contract")
        verbose_name_plural = _("employment contracts")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_type=ContractType.EMPLOYMENT),
                name="contract_is_employment",
                violation_error_message=CIVIL_LAW_EXPLANATION,
                violation_error_code="civil_law_refused",
            ),
            models.CheckConstraint(
                condition=(Q(term=ContractTerm.FIXED) & Q(end_date__isnull=False))
                | (Q(term=ContractTerm.INDEFINITE) & Q(end_date__isnull=True)),
                name="contract_end_date_matches_term",
                violation_error_message=_("A fixed-term contract has an end date; an indefinite one has none."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
                violation_error_message=_("The contract cannot end before it starts."),
                violation_error_code="dates_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="contract_ended_after_start",
                violation_error_message=_("The contract cannot end before it starts."),
                violation_error_code="dates_order",
            ),
            models.CheckConstraint(
                condition=Q(probation_months__lte=MAX_PROBATION_MONTHS),
                name="contract_probation_at_most_six_months",
                violation_error_message=_("Probation cannot be longer than six months."),
                violation_error_code="probation_too_long",
            ),
            models.CheckConstraint(
                condition=Q(base_salary__gt=0), name="contract_salary_positive", violation_error_code="invalid"
            ),
        ]

    def __str__(self) -> str:
        return _("Contract of %(name)s from %(date)s") % {"name": self.manager, "date": self.start_date.isoformat()}

    @property
    def last_day(self) -> datetime.date | None:
        """The last day the contract holds: the recorded end, else the end of a fixed term."""
        return self.ended_on or self.end_date

    def status_on(self, day: datetime.date) -> str:
        if day < self.start_date:
            return ContractStatus.UPCOMING
        if self.last_day is not None and day > self.last_day:
            return ContractStatus.ENDED
        return ContractStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(ContractStatus(self.status).label)

    @property
    def probation_until(self) -> datetime.date | None:
        """The last day of probation: the day before the same date ``probation_months`` later (the month's last
        day when that month is shorter)."""
        if not self.probation_months:
            return None
        index = self.start_date.month - 1 + self.probation_months
        year, month = self.start_date.year + index // 12, index % 12 + 1
        last = calendar.monthrange(year, month)[1]
        if self.start_date.day > last:
            return datetime.date(year, month, last)
        return datetime.date(year, month, self.start_date.day) - datetime.timedelta(days=1)

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.contract_type != ContractType.EMPLOYMENT:
            errors.setdefault("contract_type", []).append(
                ValidationError(CIVIL_LAW_EXPLANATION, code="civil_law_refused")
            )
        if self.term == ContractTerm.FIXED and not self.end_date:
            errors.setdefault("end_date", []).append(
                ValidationError(_("A fixed-term contract needs its end date."), code="end_date_required")
            )
        if self.term == ContractTerm.INDEFINITE and self.end_date:
            errors.setdefault("end_date", []).append(
                ValidationError(
                    _("An indefinite contract has no end date: choose a fixed term, or leave the date empty."),
                    code="end_date_not_allowed",
                )
            )
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors.setdefault("end_date", []).append(
                ValidationError(_("The contract cannot end before it starts."), code="dates_order")
            )
        if self.probation_months is not None and self.probation_months > MAX_PROBATION_MONTHS:
            errors.setdefault("probation_months", []).append(
                ValidationError(_("Probation cannot be longer than six months."), code="probation_too_long")
            )
        if self.base_salary is not None and self.base_salary <= 0:
            errors.setdefault("base_salary", []).append(
                ValidationError(_("The base salary must be more than zero."), code="invalid")
            )
        if self.client_base_protection and not (self.protection_clause or "").strip():
            errors.setdefault("protection_clause", []).append(
                ValidationError(_("Write the wording of the protection clause."), code="required")
            )
        if errors:
            raise ValidationError(errors)


class ContractAmendment(models.Model):
    """A change to a contract: which terms changed (old → new), from when, why and who recorded it."""

    contract = models.ForeignKey(
        EmploymentContract, verbose_name=_("contract"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveIntegerField(_("amendment"))
    effective_on = models.DateField(_("effective from"))
    changes = models.JSONField(_("changes"), default=list)
    note = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number")]

    def __str__(self) -> str:
        return f"{self.contract} #{self.number}"
