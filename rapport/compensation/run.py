"""Calculating a pay period: facts → engine → statements with their lines, overrides and adjustments.

A period is recalculated as a whole (or for some managers): its draft statements are replaced, the overrides
Payroll made are applied again, and the adjustments for earlier approved months are recomputed. Facts are read
first, outside the write transaction (reporting progress); the statements are then written in one transaction,
so a failure or a kill leaves the previous draft untouched.

Adjustments: for every approved month A before this period (within ``PAY_ADJUSTMENT_MONTHS``) whose next period
that is not approved is this one, the managers with facts about A recorded after its approval (an acquisition
undone, an interaction logged late, an assignment or a hire date changed afterwards) are recomputed with the rates
A was paid with. The difference per line kind — minus what later approved periods already paid for A — is posted
here: a negative difference of an acquisition line is a **clawback**, any other an **adjustment**. The cap is
recomputed with the rest, so an undone acquisition can never raise pay: if the cap had bitten, the cap line's
difference offsets part of the clawback and the net is still ≤ 0.
"""

import contextlib
import datetime
import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.cases.models import Interaction
from rapport.compensation import fetch
from rapport.compensation.choices import LineKind, PeriodStatus
from rapport.compensation.engine.calculate import calculate, evidence_of
from rapport.compensation.engine.types import ManagerMonth, Rates
from rapport.compensation.engine.types import Statement as EngineStatement
from rapport.compensation.models import (
    Adjustment,
    CompensationPlan,
    LineOverride,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    Statement,
    StatementLine,
)
from rapport.compensation.snapshot import facts_to_json, rates_from_json, rates_of, rates_to_json
from rapport.core.sql import insert_rows
from rapport.managers.models import ClientManager
from rapport.pipeline.models import Acquisition

Progress = Callable[[int], None]
ACQUISITION_KINDS = (LineKind.ACQUISITION, LineKind.ACQUISITION_VIP)
ADJUSTMENT_KINDS = (LineKind.ADJUSTMENT, LineKind.CLAWBACK)


def _no_progress(percent: int) -> None:
    return None


def version_for(plan_id: int, month: datetime.date, versions: dict[int, list[PlanVersion]]) -> PlanVersion | None:
    """The plan's version in force in ``month``: the latest effective from that month or earlier."""
    chosen = None
    for version in versions.get(plan_id, ()):
        if version.effective_from <= month and (chosen is None or version.effective_from > chosen.effective_from):
            chosen = version
    return chosen


def _versions() -> dict[int, list[PlanVersion]]:
    result: dict[int, list[PlanVersion]] = defaultdict(list)
    for version in PlanVersion.objects.select_related("plan"):
        result[version.plan_id].append(version)
    return result


def compute(
    month: datetime.date, manager_ids: Iterable[int] | None = None, *, rates_override: Rates | None = None
) -> tuple[dict[int, ManagerMonth], dict[int, tuple[PlanVersion | None, Rates, EngineStatement]], list[int]]:
    """The month's statements as the engine computes them: (facts, {manager: (version, rates, statement)}, the
    managers employed that month who are on no plan or whose plan has no version yet)."""
    facts = fetch.load_month(month, manager_ids)
    plans = dict(ManagerPlan.objects.filter(manager_id__in=list(facts)).values_list("manager_id", "plan_id"))
    versions = _versions() if rates_override is None else {}
    computed = {}
    unpaid = []
    rates_cache: dict[int, Rates] = {}
    for manager_id, month_facts in facts.items():
        if rates_override is not None:
            computed[manager_id] = (None, rates_override, calculate(month_facts, rates_override))
            continue
        plan_id = plans.get(manager_id)
        version = version_for(plan_id, month, versions) if plan_id else None
        if version is None:
            unpaid.append(manager_id)
            continue
        rates = rates_cache.get(version.pk) or rates_cache.setdefault(version.pk, rates_of(version))
        computed[manager_id] = (version, rates, calculate(month_facts, rates))
    return facts, computed, sorted(unpaid)


# ---------------------------------------------------------------------------------------------------------------
# Adjustments for approved months
# ---------------------------------------------------------------------------------------------------------------


def late_fact_managers(period: PayPeriod) -> set[int]:
    """Managers with facts about an approved ``period``'s month recorded after its approval."""
    month = fetch.month_of(period.month)
    since = period.approved_at
    managers: set[int] = set()
    managers.update(
        Acquisition.objects.filter(
            acquired_on__gte=month.first, acquired_on__lt=month.following, reversed_at__gt=since
        ).values_list("manager_id", flat=True)
    )
    managers.update(
        Interaction.objects.filter(
            occurred_at__gte=month.start, occurred_at__lt=month.end, created_at__gt=since
        ).values_list("manager_id", flat=True)
    )
    managers.update(
        Assignment.history.model.objects.filter(history_date__gt=since, start_date__lt=month.following)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=month.first))
        .values_list("manager_id", flat=True)
    )
    managers.update(ClientManager.history.model.objects.filter(history_date__gt=since).values_list("id", flat=True))
    return managers


def _paid_amounts(statement: Statement) -> dict[str, Decimal]:
    """What an approved statement paid per line kind, as computed (an override Payroll made stays theirs)."""
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for kind, amount, computed in statement.lines.exclude(kind__in=ADJUSTMENT_KINDS).values_list(
        "kind", "amount", "computed_amount"
    ):
        paid[kind] += computed if computed is not None else amount
    return paid


def _line_amounts(statement: EngineStatement) -> dict[str, Decimal]:
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    for line in statement.lines:
        amounts[line.kind] += line.amount
    return amounts


def adjustments_for(period: PayPeriod, manager_ids: Iterable[int] | None) -> list[Adjustment]:
    """The adjustments to post into ``period`` (not saved): differences found for earlier approved months."""
    lookback = settings.RAPPORT.get("PAY_ADJUSTMENT_MONTHS", 12)
    earliest = (period.month - datetime.timedelta(days=31 * lookback)).replace(day=1)
    scope = None if manager_ids is None else set(manager_ids)
    approved = PayPeriod.objects.filter(status=PeriodStatus.APPROVED, month__lt=period.month, month__gte=earliest)
    result = []
    now = timezone.now()
    for original in approved.order_by("month"):
        next_open = (
            PayPeriod.objects.filter(month__gt=original.month).exclude(status=PeriodStatus.APPROVED).order_by("month")
        ).first()
        if next_open is None or next_open.pk != period.pk:
            continue
        dirty = late_fact_managers(original)
        if scope is not None:
            dirty &= scope
        paid_statements = {
            s.manager_id: s for s in Statement.objects.filter(period=original, manager_id__in=list(dirty))
        }
        if not paid_statements:
            continue
        facts = fetch.load_month(original.month, list(paid_statements))
        for manager_id, paid_statement in sorted(paid_statements.items()):
            if manager_id not in facts:
                continue
            rates = rates_from_json(paid_statement.inputs["rates"])
            now_statement = calculate(facts[manager_id], rates)
            now_amounts = _line_amounts(now_statement)
            paid = _paid_amounts(paid_statement)
            already: dict[str, Decimal] = defaultdict(Decimal)
            for line_kind, amount in Adjustment.objects.filter(
                manager_id=manager_id, original_period=original, posted_period__status=PeriodStatus.APPROVED
            ).values_list("line_kind", "amount"):
                already[line_kind] += amount
            # The clients behind each line listed (this statement's snapshot is of another month).
            evidence = {line.kind: evidence_of(line.evidence, facts[manager_id]) for line in now_statement.lines}
            for kind in LineKind.values:
                if kind in ADJUSTMENT_KINDS:
                    continue
                difference = now_amounts.get(kind, Decimal(0)) - paid.get(kind, Decimal(0)) - already[kind]
                if difference == 0:
                    continue
                is_clawback = kind in ACQUISITION_KINDS and difference < 0
                result.append(
                    Adjustment(
                        manager_id=manager_id,
                        original_period=original,
                        posted_period=period,
                        kind=LineKind.CLAWBACK if is_clawback else LineKind.ADJUSTMENT,
                        line_kind=kind,
                        amount=difference,
                        explanation={
                            "code": "clawback" if is_clawback else "adjustment",
                            "params": {
                                "line": kind,
                                "month": original.month.isoformat(),
                                "paid": str(paid.get(kind, Decimal(0)) + already[kind]),
                                "now": str(now_amounts.get(kind, Decimal(0))),
                            },
                        },
                        evidence=evidence.get(kind, {}),
                        created_at=now,
                    )
                )
    return result


# ---------------------------------------------------------------------------------------------------------------
# Writing a period
# ---------------------------------------------------------------------------------------------------------------


def _apply_overrides(lines: list[StatementLine], overrides: list[LineOverride], statement: Statement) -> None:
    for override in overrides:
        match = next(
            (x for x in lines if x.kind == override.kind and x.reference_month == override.reference_month), None
        )
        if match is None:
            match = StatementLine(
                statement=statement,
                position=len(lines),
                kind=override.kind,
                quantity=Decimal(0),
                rate=Decimal(0),
                amount=Decimal(0),
                explanation={"code": override.kind, "params": {}},
                evidence={},
                reference_month=override.reference_month,
            )
            lines.append(match)
        match.computed_amount = match.amount
        match.amount = override.amount
        match.explanation = {
            **match.explanation,
            "override": {"amount": str(override.amount), "reason": override.reason, "by": override.created_by_id},
        }


STATEMENT_FIELDS = ("period", "manager", "plan_version", "currency", "total", "inputs", "calculated_at")
LINE_FIELDS = (
    "position",
    "kind",
    "quantity",
    "rate",
    "amount",
    "explanation",
    "evidence",
    "reference_month",
    "computed_amount",
)
_PLAIN = (models.ForeignKey, models.IntegerField, models.CharField)  # values the database takes as they are


def _json_text() -> Callable[[object], str]:
    """``json.dumps`` with compact separators, as one encoder made once and used for every value: tens of
    thousands of small explanations and evidence per run, where making the encoder was most of the cost."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the standard encoder
        return json.JSONEncoder(separators=(",", ":")).encode

    def unknown(value):
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    # (no circular check: plain data; default, string encoder, indent, separators, sort keys, skip keys, allow NaN)
    encode = make(None, unknown, json.encoder.encode_basestring_ascii, None, ":", ",", False, False, True)
    return lambda value: "".join(encode(value, 0))


def _insert(model: type[models.Model], names: Iterable[str], rows: Iterable[tuple]) -> None:
    """Insert ``rows`` (tuples of values for the fields ``names``, foreign keys as ids) into ``model``'s table:
    COPY on PostgreSQL, ``executemany`` elsewhere; no model instance per row. Numbers, decimals, strings and ids go
    to the driver as they are, JSON as its text; other values (dates, times) through their field's
    ``get_db_prep_save``, as ``bulk_create`` would."""
    db = connections[router.db_for_write(model)]  # the connection itself: no proxy lookup per value
    fields = [model._meta.get_field(name) for name in names]
    as_json = [i for i, field in enumerate(fields) if isinstance(field, models.JSONField)]
    through_field = [
        (i, field.get_db_prep_save)
        for i, field in enumerate(fields)
        if not isinstance(field, (*_PLAIN, models.JSONField, models.DecimalField))
    ]
    dumps = _json_text()

    def prepared():
        for row in rows:
            values = list(row)
            for i in as_json:
                if values[i] is not None:
                    values[i] = dumps(values[i])
            for i, prep in through_field:
                if values[i] is not None:
                    values[i] = prep(values[i], db)
            yield values

    columns = [field.column for field in fields]
    if db.vendor == "postgresql":
        quote = db.ops.quote_name
        with (
            db.cursor() as cursor,
            cursor.copy(
                f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
            ) as copy,
        ):
            for row in prepared():
                copy.write_row(row)
    else:
        insert_rows(model._meta.db_table, columns, prepared(), chunk=5000)


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector. A run builds many objects that live until it ends (the facts,
    lines, explanations and rows of 10,000 statements); the collector would walk them all again at every full
    collection. Reference counting still frees them as before; any cycle left behind is collected once the run
    ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_period(
    period: PayPeriod, *, actor, manager_ids: Iterable[int] | None = None, progress: Progress = _no_progress
) -> dict:
    """Recalculate ``period`` (all managers, or ``manager_ids``): replace its draft statements and adjustments.
    Returns counts: statements written, managers on no plan, adjustments posted."""
    with _collector_paused():
        return _write_period(period, actor=actor, manager_ids=manager_ids, progress=progress)


def _write_period(period: PayPeriod, *, actor, manager_ids: Iterable[int] | None, progress: Progress) -> dict:
    scope = None if manager_ids is None else list(manager_ids)
    progress(5)
    facts, computed, unpaid = compute(period.month, scope)
    progress(50)
    adjustments = adjustments_for(period, scope)
    progress(70)
    now = timezone.now()
    with transaction.atomic():
        locked = PayPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.APPROVED:
            from rapport.compensation.services import locked_error

            raise locked_error(locked)
        old = Statement.objects.filter(period=locked)
        old_adjustments = Adjustment.objects.filter(posted_period=locked)
        if scope is not None:
            old = old.filter(manager_id__in=scope)
            old_adjustments = old_adjustments.filter(manager_id__in=scope)
        StatementLine.objects.filter(statement__in=old).delete()
        old.delete()
        old_adjustments.delete()
        Adjustment.objects.bulk_create(adjustments, batch_size=2000)

        by_manager: dict[int, list[Adjustment]] = defaultdict(list)
        for adjustment in adjustments:
            by_manager[adjustment.manager_id].append(adjustment)
        overrides: dict[int, list[LineOverride]] = defaultdict(list)
        for override in LineOverride.objects.filter(period=locked):
            overrides[override.manager_id].append(override)

        # Every statement's lines, and so its total, are known before anything is written: the statements and
        # their lines are written once, as plain rows (a model instance only where an override applies).
        statement_rows = []
        statement_lines: list[list[tuple]] = []
        rates_cache: dict[int, dict] = {}  # a plan version's rates, as JSON once (the rates live as long as the run)
        for manager_id, (version, rates, result) in computed.items():
            rows = [
                (
                    position,
                    line.kind,
                    line.quantity,
                    line.rate,
                    line.amount,
                    line.explanation,
                    line.evidence,
                    line.reference_month,
                    None,
                )
                for position, line in enumerate(result.lines)
            ]
            for adjustment in by_manager.get(manager_id, ()):
                rows.append(
                    (
                        len(rows),
                        adjustment.kind,
                        Decimal(1),
                        adjustment.amount,
                        adjustment.amount,
                        adjustment.explanation,
                        adjustment.evidence,
                        adjustment.original_period.month,
                        None,
                    )
                )
            if manager_id in overrides:
                statement = Statement(period=locked, manager_id=manager_id)
                own = [StatementLine(statement=statement, **dict(zip(LINE_FIELDS, row, strict=True))) for row in rows]
                _apply_overrides(own, overrides[manager_id], statement)
                rows = [tuple(getattr(line, name) for name in LINE_FIELDS) for line in own]
            total = sum((row[4] for row in rows), Decimal(0))
            rates_json = rates_cache.get(id(rates)) or rates_cache.setdefault(id(rates), rates_to_json(rates))
            inputs = {"facts": facts_to_json(facts[manager_id]), "rates": rates_json}
            statement_rows.append((locked.pk, manager_id, version.pk, rates.currency, total, inputs, now))
            statement_lines.append(rows)
        _insert(Statement, STATEMENT_FIELDS, statement_rows)
        progress(85)
        # (period, manager) is unique: the ids of the statements just written, by manager.
        ids = dict(Statement.objects.filter(period=locked).values_list("manager_id", "pk"))
        _insert(
            StatementLine,
            ("statement", *LINE_FIELDS),
            (
                (ids[statement[1]], *row)
                for statement, rows in zip(statement_rows, statement_lines, strict=True)
                for row in rows
            ),
        )
        locked.status = PeriodStatus.CALCULATED
        locked.calculated_at = now
        locked.calculated_by = actor
        locked.running = False
        locked.progress = 100
        locked.error = ""
        locked.save()
    progress(100)
    return {"statements": len(statement_rows), "unpaid": unpaid, "adjustments": len(adjustments)}


# ---------------------------------------------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------------------------------------------


def whatif(*, months: list[datetime.date], rates: Rates, manager_ids: Iterable[int] | None = None) -> list[dict]:
    """What ``rates`` would have paid in ``months``, against what the statements of those months say (approved or
    draft), per manager and month. Nothing is saved."""
    rows = []
    for month in months:
        first = month.replace(day=1)
        _, computed, _ = compute(first, manager_ids, rates_override=rates)
        paid = dict(
            Statement.objects.filter(period__month=first, currency=rates.currency)
            .values_list("manager_id")
            .annotate(total=Sum("total"))
        )
        for manager_id, (_, _, result) in sorted(computed.items()):
            rows.append(
                {
                    "month": first,
                    "manager_id": manager_id,
                    "whatif": result.total,
                    "paid": paid.get(manager_id),
                    "lines": {line.kind: line.amount for line in result.lines},
                }
            )
    return rows


def plan_currency(plan: CompensationPlan) -> str:
    return plan.currency
