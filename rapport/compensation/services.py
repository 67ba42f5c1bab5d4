"""Writes of compensation: plans and versions, who is on which plan, calculating and approving periods, queries
and overrides, and the what-if. Every write checks authority, validates and is atomic; nothing in an approved
period can change.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rapport.compensation import run
from rapport.compensation.choices import BandKind, LineKind, PeriodStatus, QueryStatus
from rapport.compensation.engine.types import Rates
from rapport.compensation.errors import CompensationError
from rapport.compensation.models import (
    CompensationPlan,
    LineOverride,
    LineQuery,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
)
from rapport.compensation.querysets import sees_pay, sees_pay_totals
from rapport.compensation.snapshot import rates_of
from rapport.core.errors import refuse
from rapport.core.history import save_with_history
from rapport.core.money import currency_digits, quantize
from rapport.managers.models import ClientManager

VERSION_FIELDS = frozenset(
    {
        "effective_from",
        "base_junior",
        "base_middle",
        "base_senior",
        "allowance_corporate",
        "allowance_vip",
        "acquisition_bonus",
        "acquisition_bonus_vip",
        "service_bonus",
        "rating_tiers",
        "rating_min_count",
        "bonus_cap_percent",
        "note",
    }
)


def _require_payroll(actor) -> None:
    if not sees_pay(actor):
        raise PermissionDenied(_("Only Payroll may do this."))


def locked_error(period: PayPeriod) -> ValidationError:
    return refuse(
        CompensationError.PERIOD_LOCKED,
        _("%(month)s is approved: nothing in it can change. Late facts are paid as adjustments in the next period.")
        % {"month": period.month.strftime("%Y-%m")},
    )


def _open_period(period: PayPeriod) -> PayPeriod:
    locked = PayPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.status == PeriodStatus.APPROVED:
        raise locked_error(locked)
    return locked


# ---------------------------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------------------------


def clean_tiers(raw) -> list[dict]:
    """Rating tiers as stored: [{"threshold": "4.50", "amount": "20000"}], thresholds 1–5, amounts ≥ 0, sorted."""
    error = refuse(
        CompensationError.INVALID_TIERS,
        _('Rating tiers are a list of {"threshold": 1–5, "amount": ≥ 0}, each threshold once.'),
        field="rating_tiers",
    )
    if not isinstance(raw, list):
        raise error
    tiers = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"threshold", "amount"}:
            raise error
        try:
            threshold = Decimal(str(item["threshold"]))
            amount = Decimal(str(item["amount"]))
        except (InvalidOperation, ValueError) as exc:
            raise error from exc
        if not (Decimal(1) <= threshold <= Decimal(5)) or amount < 0 or not amount.is_finite():
            raise error
        tiers.append({"threshold": str(threshold), "amount": str(amount)})
    if len({t["threshold"] for t in tiers}) != len(tiers):
        raise error
    return sorted(tiers, key=lambda t: Decimal(t["threshold"]))


@transaction.atomic
def plan_save(*, actor, data: dict[str, Any], plan: CompensationPlan | None = None) -> CompensationPlan:
    """Create or rename a plan. Its currency is fixed once a version exists."""
    _require_payroll(actor)
    plan = plan or CompensationPlan()
    if plan.pk and "currency" in data and data["currency"] != plan.currency and plan.versions.exists():
        raise refuse(
            CompensationError.VERSION_IN_USE,
            _("The currency of a plan with versions cannot change: create a new plan."),
            field="currency",
        )
    for name, value in data.items():
        if name not in {"name", "currency", "description"}:
            raise ValueError(f"Unknown plan field: {name}")
        setattr(plan, name, value)
    plan.full_clean()
    save_with_history(plan, actor=actor, reason="update" if plan.pk else "create")
    return plan


def _version_used_by_approved(version: PlanVersion) -> bool:
    return version.pk is not None and version.statements.filter(period__status=PeriodStatus.APPROVED).exists()


@transaction.atomic
def plan_version_save(
    *, actor, plan: CompensationPlan, data: dict[str, Any], version: PlanVersion | None = None
) -> PlanVersion:
    """Create a version of ``plan`` effective from a month, or change one that no approved statement used."""
    _require_payroll(actor)
    unknown = set(data) - VERSION_FIELDS
    if unknown:
        raise ValueError(f"Unknown plan version fields: {sorted(unknown)}")
    if version is not None and _version_used_by_approved(version):
        raise refuse(
            CompensationError.VERSION_IN_USE,
            _("Approved statements were paid with this version: add a new version from a later month instead."),
        )
    version = version or PlanVersion(plan=plan, created_by=actor)
    for name, value in data.items():
        setattr(version, name, value)
    version.rating_tiers = clean_tiers(version.rating_tiers)
    if version.effective_from:
        version.effective_from = version.effective_from.replace(day=1)
    version.full_clean()
    save_with_history(version, actor=actor, reason="update" if version.pk else "create")
    return version


@transaction.atomic
def manager_plan_set(*, actor, manager: ClientManager, plan: CompensationPlan) -> ManagerPlan:
    """Put ``manager`` on ``plan`` (from the next calculation on; approved months keep what they paid)."""
    _require_payroll(actor)
    current = ManagerPlan.objects.filter(manager=manager).first() or ManagerPlan(manager=manager)
    current.plan = plan
    current.full_clean()
    save_with_history(current, actor=actor, reason="plan")
    return current


@transaction.atomic
def salary_band_save(*, actor, data: dict[str, Any], band: SalaryBand | None = None) -> SalaryBand:
    """Create or change a reference salary band (one per kind and currency)."""
    _require_payroll(actor)
    band = band or SalaryBand()
    for name, value in data.items():
        if name not in {"name", "kind", "currency", "minimum", "maximum", "source"}:
            raise ValueError(f"Unknown salary band field: {name}")
        setattr(band, name, value)
    band.full_clean()
    save_with_history(band, actor=actor, reason="update" if band.pk else "create")
    return band


def draft_rates(*, currency: str, data: dict[str, Any]) -> Rates:
    """The engine's rates of figures typed in but not saved (a draft version to try in a what-if)."""
    unknown = set(data) - VERSION_FIELDS
    if unknown:
        raise ValueError(f"Unknown plan version fields: {sorted(unknown)}")
    draft = PlanVersion(plan=CompensationPlan(name="draft", currency=currency), **data)
    draft.rating_tiers = clean_tiers(draft.rating_tiers)
    draft.full_clean(exclude=["plan", "created_by", "effective_from"], validate_constraints=False)
    return rates_of(draft)


def band_warnings(version: PlanVersion) -> list[str]:
    """Warnings for base salaries outside the offered market band of the plan's currency (reference data)."""
    band = SalaryBand.objects.filter(kind=BandKind.OFFERED, currency=version.plan.currency).first()
    if band is None:
        return []
    warnings = []
    for level, amount in (
        (_("junior"), version.base_junior),
        (_("middle"), version.base_middle),
        (_("senior"), version.base_senior),
    ):
        if amount < band.minimum or amount > band.maximum:
            warnings.append(
                _("The %(level)s base (%(amount)s %(currency)s) lies outside the offered band %(min)s–%(max)s.")
                % {
                    "level": level,
                    "amount": amount,
                    "currency": band.currency,
                    "min": band.minimum,
                    "max": band.maximum,
                }
            )
    return warnings


def band_position(amount: Decimal, band: SalaryBand) -> Decimal:
    """Where ``amount`` lies in ``band``: 0 at the minimum, 100 at the maximum (below 0 or above 100 outside)."""
    width = band.maximum - band.minimum
    if width == 0:
        return Decimal(100) if amount >= band.maximum else Decimal(0)
    return ((amount - band.minimum) * 100 / width).quantize(Decimal("0.1"))


# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------


def period_get_or_open(*, month: datetime.date, actor) -> PayPeriod:
    """The pay period of ``month``, opened if it does not exist yet (not a future month)."""
    _require_payroll(actor)
    first = month.replace(day=1)
    if first > timezone.localdate().replace(day=1):
        raise refuse(CompensationError.FUTURE_MONTH, _("A future month cannot be paid yet."), field="month")
    period, _created = PayPeriod.objects.get_or_create(month=first)
    return period


def period_calculate(*, period: PayPeriod, actor, manager_ids=None, progress=None) -> dict:
    """Calculate (or recalculate) an open or calculated period now; see ``run.write_period``."""
    _require_payroll(actor)
    if period.status == PeriodStatus.APPROVED:
        raise locked_error(period)
    return run.write_period(period, actor=actor, manager_ids=manager_ids, progress=progress or run._no_progress)


def period_calculate_request(*, period: PayPeriod, actor) -> PayPeriod:
    """Queue a calculation for the task worker, which reports progress on the period."""
    from rapport.compensation.tasks import calculate_period

    _require_payroll(actor)
    with transaction.atomic():
        period = _open_period(period)
        if period.running:
            raise refuse(CompensationError.RUNNING, _("A calculation of this period is already running."))
        period.running = True
        period.progress = 0
        period.error = ""
        period.save(update_fields=["running", "progress", "error"])
    transaction.on_commit(lambda: calculate_period.enqueue(period.pk, actor.pk))
    return period


@transaction.atomic
def period_approve(*, period: PayPeriod, actor, note: str = "", force: bool = False) -> PayPeriod:
    """Approve (lock) a calculated period. Open queries block it unless Payroll approves anyway with a note."""
    _require_payroll(actor)
    period = _open_period(period)
    if period.status != PeriodStatus.CALCULATED or period.running:
        raise refuse(CompensationError.PERIOD_NOT_CALCULATED, _("Calculate the period before approving it."))
    open_queries = period.queries.filter(status=QueryStatus.OPEN).count()
    note = (note or "").strip()
    if open_queries and not force:
        raise refuse(
            CompensationError.OPEN_QUERIES,
            ngettext(
                "%(count)d query is still open: answer it, or approve anyway with a reason.",
                "%(count)d queries are still open: answer them, or approve anyway with a reason.",
                open_queries,
            )
            % {"count": open_queries},
        )
    if open_queries and not note:
        raise refuse(
            CompensationError.APPROVAL_NOTE_REQUIRED,
            _("Say why the period is approved with open queries."),
            field="note",
        )
    period.status = PeriodStatus.APPROVED
    period.approved_at = timezone.now()
    period.approved_by = actor
    period.approval_note = note
    save_with_history(period, actor=actor, reason="approve")
    return period


# ---------------------------------------------------------------------------------------------------------------
# Queries and overrides
# ---------------------------------------------------------------------------------------------------------------


@transaction.atomic
def line_query_create(
    *, actor, statement: Statement, kind: str, comment: str, reference_month: datetime.date | None = None
) -> LineQuery:
    """A manager asks about a line of their own statement (before approval)."""
    statement = Statement.objects.visible_to(actor).select_related("period", "manager").get(pk=statement.pk)
    if statement.manager.user_id != actor.pk:
        raise PermissionDenied(_("Only the manager the statement pays may query it."))
    _open_period(statement.period)
    comment = (comment or "").strip()
    if not comment:
        raise refuse(CompensationError.COMMENT_REQUIRED, _("Write your question."), field="comment")
    if kind not in LineKind.values:
        raise refuse(CompensationError.NO_STATEMENT, _("Choose a line of the statement."), field="kind")
    query = LineQuery(
        period=statement.period,
        manager=statement.manager,
        kind=kind,
        reference_month=reference_month,
        comment=comment,
        author=actor,
    )
    query.full_clean()
    query.save()
    return query


@transaction.atomic
def line_query_answer(*, actor, query: LineQuery, answer: str) -> LineQuery:
    """Payroll answers a query by explaining the line."""
    _require_payroll(actor)
    query = LineQuery.objects.select_for_update().select_related("period").get(pk=query.pk)
    _open_period(query.period)
    if query.status != QueryStatus.OPEN:
        raise refuse(CompensationError.QUERY_CLOSED, _("This query is already answered."))
    answer = (answer or "").strip()
    if not answer:
        raise refuse(CompensationError.COMMENT_REQUIRED, _("Write the answer."), field="answer")
    query.status = QueryStatus.ANSWERED
    query.answer = answer
    query.answered_by = actor
    query.answered_at = timezone.now()
    query.save()
    return query


@transaction.atomic
def line_override_set(
    *,
    actor,
    statement: Statement,
    kind: str,
    amount: Decimal,
    reason: str,
    reference_month: datetime.date | None = None,
    query: LineQuery | None = None,
) -> LineOverride:
    """Payroll sets a line's amount by hand, with the reason; it survives recalculation (applied again each time)
    and is kept for audit. Answering a query this way closes it as overridden."""
    _require_payroll(actor)
    statement = Statement.objects.select_related("period").get(pk=statement.pk)
    period = _open_period(statement.period)
    reason = (reason or "").strip()
    if not reason:
        raise refuse(CompensationError.REASON_REQUIRED, _("Say why the amount is overridden."), field="reason")
    if kind not in LineKind.values:
        raise refuse(CompensationError.NO_STATEMENT, _("Choose a line of the statement."), field="kind")
    amount = Decimal(amount)
    if amount != quantize(amount, statement.currency):
        # Every amount is in the currency's unit (whole forints); an override is no exception.
        raise refuse(
            CompensationError.AMOUNT_PRECISION,
            _("Amounts in %(currency)s have at most %(digits)d decimals.")
            % {"currency": statement.currency, "digits": currency_digits(statement.currency)},
            field="amount",
        )
    override = LineOverride.objects.filter(
        period=period, manager_id=statement.manager_id, kind=kind, reference_month=reference_month
    ).first() or LineOverride(
        period=period, manager_id=statement.manager_id, kind=kind, reference_month=reference_month
    )
    override.amount = Decimal(amount)
    override.reason = reason
    override.created_by = actor
    override.full_clean(validate_constraints=False)
    save_with_history(override, actor=actor, reason="override")
    lines = list(statement.lines.all())
    for line in lines:
        if line.computed_amount is not None and line.kind == kind and line.reference_month == reference_month:
            line.amount = line.computed_amount
            line.computed_amount = None
    run._apply_overrides(lines, [override], statement)
    for line in lines:
        line.save() if line.pk else line.save(force_insert=True)
    statement.total = sum((line.amount for line in lines), Decimal(0))
    statement.save(update_fields=["total"])
    if query is not None:
        query = LineQuery.objects.select_for_update().get(pk=query.pk)
        if query.status == QueryStatus.OPEN:
            query.status = QueryStatus.OVERRIDDEN
            query.answer = reason
            query.answered_by = actor
            query.answered_at = timezone.now()
            query.save()
    return override


# ---------------------------------------------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------------------------------------------


def whatif(*, actor, months: list[datetime.date], version: PlanVersion | None = None, rates: Rates | None = None):
    """Run a plan version — or unsaved rates (a draft) — on past months without saving anything; compare with
    what the statements of those months say. Management sees the totals; Payroll per manager."""
    if not sees_pay_totals(actor):
        raise PermissionDenied(_("Only Payroll and Management try plans."))
    if rates is None:
        if version is None:
            raise ValueError("Give a plan version or rates.")
        rates = rates_of(version)
    rows = run.whatif(months=months, rates=rates)
    if sees_pay(actor):
        return rows
    # Management: totals per month only, no individual pay.
    totals: dict[datetime.date, dict] = {}
    for row in rows:
        total = totals.setdefault(row["month"], {"month": row["month"], "whatif": Decimal(0), "paid": Decimal(0)})
        total["whatif"] += row["whatif"]
        total["paid"] += row["paid"] or Decimal(0)
    return list(totals.values())
