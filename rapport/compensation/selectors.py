"""Reads of compensation. Every read starts from a user-restricted queryset: a manager reads their own statements,
Payroll every one, Management only totals and distributions (``period_summary``), never a person's pay."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from rapport.clients.models import Client
from rapport.compensation import services
from rapport.compensation.choices import BandKind, LineKind, QueryStatus
from rapport.compensation.explain import LEVELS, explain, number
from rapport.compensation.models import (
    LineQuery,
    ManagerPlan,
    PayPeriod,
    PlanVersion,
    SalaryBand,
    Statement,
    StatementLine,
)
from rapport.compensation.querysets import sees_pay, sees_pay_totals
from rapport.compensation.snapshot import line_evidence
from rapport.managers.models import ClientManager

# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------


def period_list(*, user):
    """Pay periods, newest first, for those who work with pay (Payroll, Management)."""
    if not sees_pay_totals(user):
        raise PermissionDenied
    return PayPeriod.objects.visible_to(user).order_by("-month")


def period_get(*, user, pk: int) -> PayPeriod:
    """A pay period the user may open (raises ``PayPeriod.DoesNotExist``)."""
    return PayPeriod.objects.visible_to(user).select_related("approved_by", "calculated_by").get(pk=pk)


def totals_by_period(periods) -> dict[int, list[dict]]:
    """Per period: ``[{"currency", "count", "total"}]`` (one query for the whole page)."""
    result: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Statement.objects.filter(period__in=[p.pk for p in periods])
        .order_by()
        .values("period_id", "currency")
        .annotate(count=Count("id"), total=Sum("total"))
        .order_by("period_id", "currency")
    )
    for row in rows:
        result[row["period_id"]].append({"currency": row["currency"], "count": row["count"], "total": row["total"]})
    return result


@dataclass
class CurrencySummary:
    """The distribution of a period's statements in one currency."""

    currency: str
    count: int = 0
    total: Decimal = Decimal(0)
    minimum: Decimal | None = None
    median: Decimal | None = None
    maximum: Decimal | None = None
    by_kind: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (kind, label, sum)


def period_summary(*, user, period: PayPeriod) -> list[CurrencySummary]:
    """Totals and distributions of a period per currency: count, sum, min/median/max of the statements' totals and
    the sum per line kind. No individual statement: this is what Management sees."""
    if not sees_pay_totals(user):
        raise PermissionDenied
    totals: dict[str, list[Decimal]] = defaultdict(list)
    for currency, total in (
        Statement.objects.filter(period=period).order_by("currency", "total").values_list("currency", "total")
    ):
        totals[currency].append(total)
    summaries = {}
    for currency, values in totals.items():
        summaries[currency] = CurrencySummary(
            currency=currency,
            count=len(values),
            total=sum(values, Decimal(0)),
            minimum=values[0],
            median=statistics.median(values),
            maximum=values[-1],
        )
    labels = dict(LineKind.choices)
    order = {kind: n for n, kind in enumerate(LineKind.values)}
    kinds = (
        StatementLine.objects.filter(statement__period=period)
        .order_by()
        .values("statement__currency", "kind")
        .annotate(amount=Sum("amount"))
    )
    for row in sorted(kinds, key=lambda r: order.get(r["kind"], 99)):
        summary = summaries.get(row["statement__currency"])
        if summary is not None:
            summary.by_kind.append((row["kind"], str(labels.get(row["kind"], row["kind"])), row["amount"]))
    return [summaries[c] for c in sorted(summaries)]


@dataclass
class MonthTotals:
    """A month's statements in one currency, summed per line kind (no individual statement)."""

    period: PayPeriod
    currency: str
    statements: int = 0
    by_kind: dict[str, Decimal] = field(default_factory=dict)

    def amount(self, *kinds: str) -> Decimal:
        return sum((self.by_kind.get(kind, Decimal(0)) for kind in kinds), Decimal(0))

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), Decimal(0))


BONUS_KINDS = (LineKind.ACQUISITION, LineKind.ACQUISITION_VIP, LineKind.SERVICE, LineKind.RATING, LineKind.CAP)


def monthly_totals(*, user, first: datetime.date, last: datetime.date, manager_type: str = "") -> list[MonthTotals]:
    """Per pay period from month ``first`` to ``last`` and currency, the sums of the statements' lines by kind
    (optionally only of managers of a type), oldest first. Totals only: what Management may see. Two queries."""
    if not sees_pay_totals(user):
        raise PermissionDenied
    periods = {p.pk: p for p in PayPeriod.objects.visible_to(user).filter(month__gte=first, month__lte=last)}
    statements = Statement.objects.filter(period__in=list(periods))
    lines = StatementLine.objects.filter(statement__period__in=list(periods))
    if manager_type:
        statements = statements.filter(manager__manager_type=manager_type)
        lines = lines.filter(statement__manager__manager_type=manager_type)
    result: dict[tuple[int, str], MonthTotals] = {}
    for row in statements.order_by().values("period_id", "currency").annotate(count=Count("id")):
        key = (row["period_id"], row["currency"])
        result[key] = MonthTotals(period=periods[row["period_id"]], currency=row["currency"], statements=row["count"])
    sums = lines.order_by().values("statement__period_id", "statement__currency", "kind").annotate(amount=Sum("amount"))
    for row in sums:
        totals = result.get((row["statement__period_id"], row["statement__currency"]))
        if totals is not None:
            totals.by_kind[row["kind"]] = row["amount"]
    return sorted(result.values(), key=lambda t: (t.period.month, t.currency))


def open_queries_count(period: PayPeriod) -> int:
    return period.queries.filter(status=QueryStatus.OPEN).count()


def period_statements(*, user, period: PayPeriod):
    """A period's statements the user may read (Payroll: all), with their lines and open queries counted."""
    open_queries = (
        LineQuery.objects.filter(period_id=OuterRef("period_id"), manager_id=OuterRef("manager_id"))
        .filter(status=QueryStatus.OPEN)
        .order_by()
        .values("manager_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Statement.objects.visible_to(user)
        .filter(period=period)
        .select_related("manager__user")
        .annotate(
            lines_count=Count("lines"),
            open_queries=Coalesce(Subquery(open_queries, output_field=IntegerField()), Value(0)),
        )
        .order_by("manager__user__last_name", "manager__user__first_name", "manager_id")
    )


# ---------------------------------------------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------------------------------------------


def statement_get(*, user, pk: int) -> Statement:
    """A statement the user may read (raises ``Statement.DoesNotExist`` otherwise: a 404)."""
    return Statement.objects.visible_to(user).select_related("period", "manager__user", "plan_version__plan").get(pk=pk)


def my_statements(*, user):
    """A client manager's own statements, newest month first."""
    return (
        Statement.objects.visible_to(user)
        .filter(manager__user_id=user.pk)
        .select_related("period")
        .order_by("-period__month")
    )


@dataclass
class EvidenceClient:
    id: int
    name: str | None
    url: str | None
    days: int | None = None

    @property
    def label(self) -> str:
        return self.name or _("client #%(id)s") % {"id": self.id}


@dataclass
class LineView:
    """A statement line as pages, the PDF and the API show it."""

    line: StatementLine
    sentence: str
    clients: list[EvidenceClient]
    facts: list[tuple[str, str]]
    override: dict | None

    @property
    def key(self) -> str:
        return line_key(self.line.kind, self.line.reference_month)


def line_key(kind: str, reference_month: datetime.date | None) -> str:
    """How a form names a line: its kind and the month it refers to (adjustments), e.g. ``clawback|2026-01-01``."""
    return f"{kind}|{reference_month.isoformat() if reference_month else ''}"


def parse_line_key(value: str) -> tuple[str, datetime.date | None]:
    kind, _sep, month = (value or "").partition("|")
    try:
        return kind, datetime.date.fromisoformat(month) if month else None
    except ValueError:
        return kind, None


def _client_ids(evidence: dict) -> list[int]:
    ids = []
    for item in evidence.get("clients") or []:
        ids.append(item[0] if isinstance(item, list | tuple) else item)
    return [int(i) for i in ids]


def _facts(kind: str, evidence: dict, currency: str) -> list[tuple[str, str]]:
    facts = []
    if "employed_days" in evidence:
        facts.append((_("Days employed"), str(evidence["employed_days"])))
    if "days_in_month" in evidence:
        facts.append((_("Days in the month"), str(evidence["days_in_month"])))
    if "level" in evidence:
        facts.append((_("Level at the end of the month"), str(LEVELS.get(evidence["level"], evidence["level"]))))
    if "count" in evidence:
        facts.append((_("Ratings"), str(evidence["count"])))
    if "total" in evidence:
        facts.append((_("Stars in all"), str(evidence["total"])))
    if "smoothed" in evidence:
        facts.append((_("Smoothed rating (exact)"), number(Decimal(evidence["smoothed"]).quantize(Decimal("0.0001")))))
    if "earned" in evidence:
        facts.append((_("Bonuses earned"), f"{number(evidence['earned'])} {currency}"))
    if "cap" in evidence:
        facts.append((_("Cap"), f"{number(evidence['cap'])} {currency}"))
    return facts


def statement_lines(*, user, statement: Statement) -> list[LineView]:
    """The statement's lines with their sentences and evidence: the clients behind a line by name when the reader
    may see them (else "client #id"), days per client, ratings, cap; an override with its reason and who set it."""
    lines = list(statement.lines.order_by("position"))
    evidences = [line_evidence(line, statement) for line in lines]
    ids = {client_id for evidence in evidences for client_id in _client_ids(evidence)}
    names = dict(Client.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    override_users = {
        (line.explanation or {}).get("override", {}).get("by")
        for line in lines
        if (line.explanation or {}).get("override")
    }
    override_users.discard(None)
    users = {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=override_users)}
    views = []
    for line, evidence in zip(lines, evidences, strict=True):
        clients = []
        for item in evidence.get("clients") or []:
            client_id, days = (item[0], item[1]) if isinstance(item, list | tuple) else (item, None)
            name = names.get(client_id)
            url = reverse("clients:detail", args=[client_id]) if name is not None else None
            clients.append(EvidenceClient(id=client_id, name=name, url=url, days=days))
        override = (line.explanation or {}).get("override")
        if override:
            override = {**override, "by_name": users.get(override.get("by"), "—")}
        views.append(
            LineView(
                line=line,
                sentence=explain(line.explanation, statement.currency),
                clients=clients,
                facts=_facts(line.kind, evidence, statement.currency),
                override=override,
            )
        )
    return views


def statement_queries(*, user, statement: Statement):
    """The queries about a statement's lines (its manager's, in its period)."""
    return (
        LineQuery.objects.visible_to(user)
        .filter(period_id=statement.period_id, manager_id=statement.manager_id)
        .select_related("author", "answered_by")
        .order_by("-created_at")
    )


def line_choices(lines: list[LineView]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The lines of a statement as choices of a form (queries, overrides), and the lines Payroll may add by hand."""
    labels = dict(LineKind.choices)
    choices = []
    seen = set()
    for view in lines:
        line = view.line
        label = str(labels.get(line.kind, line.kind))
        if line.reference_month:
            label = f"{label} ({line.reference_month:%Y-%m})"
        choices.append((view.key, label))
        seen.add(view.key)
    return choices, [
        (line_key(kind, None), str(label))
        for kind, label in LineKind.choices
        if line_key(kind, None) not in seen and kind not in ("adjustment", "clawback")
    ]


# ---------------------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------------------

EXPORT_HEADER = ("month", "manager_id", "manager", "line", "reference_month", "quantity", "rate", "amount", "currency")


def export_rows(*, user, period: PayPeriod):
    """One row per statement line of ``period`` for accounting (Payroll): month, manager id and name, line kind,
    reference month, quantity, rate, amount, currency. Streams (no list of a million rows in memory)."""
    if not sees_pay(user):
        raise PermissionDenied
    lines = (
        StatementLine.objects.visible_to(user)
        .filter(statement__period=period)
        .order_by("statement__manager_id", "position")
        .values_list(
            "statement__manager_id",
            "statement__manager__user__first_name",
            "statement__manager__user__last_name",
            "kind",
            "reference_month",
            "quantity",
            "rate",
            "amount",
            "statement__currency",
        )
    )
    for manager_id, first, last, kind, reference, quantity, rate, amount, currency in lines.iterator(chunk_size=2000):
        yield (
            period.month,
            manager_id,
            f"{first} {last}".strip(),
            kind,
            reference,
            quantity,
            rate,
            amount,
            currency,
        )


# ---------------------------------------------------------------------------------------------------------------
# Plans and bands
# ---------------------------------------------------------------------------------------------------------------


def current_version(plan_id: int, on: datetime.date, versions: list[PlanVersion]) -> PlanVersion | None:
    chosen = None
    for version in versions:
        if (
            version.plan_id == plan_id
            and version.effective_from <= on
            and (chosen is None or version.effective_from > chosen.effective_from)
        ):
            chosen = version
    return chosen


@dataclass
class BandRow:
    manager: ClientManager
    plan: str | None
    currency: str | None
    base: Decimal | None
    band: SalaryBand | None
    position: Decimal | None

    @property
    def marker(self) -> Decimal | None:
        """The position clamped to the drawn band (0–100) for the bar."""
        if self.position is None:
            return None
        return min(max(self.position, Decimal(0)), Decimal(100))


def band_positions(*, user, on: datetime.date) -> list[BandRow]:
    """Each employed manager's base for their level in the plan version in force on ``on``, and where it lies in the
    offered band of the plan's currency (0 at the minimum, 100 at the maximum). Payroll and Management only: the
    figures are a plan's, not a person's pay, but still pay."""
    if not sees_pay_totals(user):
        raise PermissionDenied
    bands = {b.currency: b for b in SalaryBand.objects.filter(kind=BandKind.OFFERED)}
    plans = {mp.manager_id: mp.plan for mp in ManagerPlan.objects.visible_to(user).select_related("plan")}
    versions = list(PlanVersion.objects.visible_to(user).filter(effective_from__lte=on))
    rows = []
    managers = (
        ClientManager.objects.visible_to(user)
        .exclude(employment_status="dismissed")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    for manager in managers:
        plan = plans.get(manager.pk)
        version = current_version(plan.pk, on, versions) if plan else None
        base = getattr(version, f"base_{manager.level}", None) if version else None
        band = bands.get(plan.currency) if plan else None
        position = services.band_position(base, band) if base is not None and band is not None else None
        rows.append(
            BandRow(
                manager=manager,
                plan=plan.name if plan else None,
                currency=plan.currency if plan else None,
                base=base,
                band=band,
                position=position,
            )
        )
    return rows


def managers_with_plans(*, user):
    """Managers (not dismissed) with the plan they are paid by, for Payroll's plan column."""
    return (
        ClientManager.objects.visible_to(user)
        .exclude(employment_status="dismissed")
        .select_related("user", "pay_plan__plan")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def plan_manager_counts() -> dict[int, int]:
    return dict(ManagerPlan.objects.order_by().values("plan_id").annotate(n=Count("id")).values_list("plan_id", "n"))


def version_in_use(version: PlanVersion) -> bool:
    """Whether approved statements were paid with this version (it can no longer change)."""
    return version.statements.filter(Q(period__status="approved")).exists()


# ---------------------------------------------------------------------------------------------------------------
# What-if
# ---------------------------------------------------------------------------------------------------------------


def whatif_result(*, user, months: list[datetime.date], currency: str, version=None, rates=None) -> dict:
    """The what-if (``services.whatif``: nothing saved) as tables: per month what was paid, what the figures would
    pay and the difference, the sums, and for Payroll the same per manager (with names). Management gets the
    months only."""
    rows = services.whatif(actor=user, months=months, version=version, rates=rates)
    per_month = {m: {"month": m, "paid": Decimal(0), "whatif": Decimal(0)} for m in months}
    for row in rows:
        total = per_month[row["month"]]
        total["paid"] += row["paid"] or Decimal(0)
        total["whatif"] += row["whatif"]
    for total in per_month.values():
        total["difference"] = total["whatif"] - total["paid"]
    month_rows = list(per_month.values())
    result = {
        "currency": currency,
        "months": month_rows,
        "paid": sum((r["paid"] for r in month_rows), Decimal(0)),
        "whatif": sum((r["whatif"] for r in month_rows), Decimal(0)),
    }
    result["difference"] = result["whatif"] - result["paid"]
    if sees_pay(user):
        managers = ClientManager.objects.visible_to(user).filter(pk__in={row["manager_id"] for row in rows})
        names = {m.pk: m.name for m in managers.select_related("user")}
        result["managers"] = [
            {
                "month": row["month"],
                "manager_id": row["manager_id"],
                "name": names.get(row["manager_id"], "—"),
                "paid": row["paid"],
                "whatif": row["whatif"],
                "difference": row["whatif"] - (row["paid"] or Decimal(0)),
            }
            for row in rows
        ]
    return result


@dataclass(frozen=True)
class MonthEstimate:
    """A manager's statement for a month as the engine computes it now, nothing saved: the facts so far, with the
    assignments of today running to the month's end."""

    month: datetime.date
    currency: str
    lines: list[tuple[str, Decimal]]  # (label, amount)
    total: Decimal


def my_month_estimate(*, user, manager: ClientManager, month: datetime.date) -> MonthEstimate | None:
    """The signed-in client manager's own statement for ``month`` computed now; None without a plan, and for
    anyone but the manager themselves (their pay is theirs)."""
    from rapport.compensation.run import compute

    if manager.user_id != getattr(user, "pk", None) or not ManagerPlan.objects.filter(manager=manager).exists():
        return None
    _facts, computed, _unpaid = compute(month.replace(day=1), [manager.pk])
    if manager.pk not in computed:
        return None
    _version, rates, statement = computed[manager.pk]
    labels = dict(LineKind.choices)
    lines = [(str(labels.get(line.kind, line.kind)), line.amount) for line in statement.lines]
    return MonthEstimate(month=month.replace(day=1), currency=rates.currency, lines=lines, total=statement.total)
