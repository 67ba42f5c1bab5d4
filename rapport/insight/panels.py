"""The figures of the management dashboard, one function per table. Each is computed in the database with grouped
queries (a fixed number per table, whatever the size of the client base) from the viewer's restricted querysets,
and returns a ``Table`` whose cells link to the list behind each number. The rules are in ``docs/insight.md``.

Tables list at most ``limit`` rows on the page (the most telling first); exports pass ``limit=None``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.accounts import roles
from rapport.assignment.models import Assignment
from rapport.cases import sla
from rapport.cases.choices import OPEN_STATUSES
from rapport.cases.models import Case, Interaction
from rapport.cases.served import served_counts
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.compensation import selectors as pay_selectors
from rapport.compensation.choices import LineKind
from rapport.compensation.querysets import sees_pay, sees_pay_totals
from rapport.feedback import selectors as rating_selectors
from rapport.feedback.models import Rating
from rapport.feedback.periods import Period
from rapport.feedback.querysets import sees_all_ratings
from rapport.feedback.smoothing import RatingSummary, summarise
from rapport.insight.filters import Filters, month_end
from rapport.insight.tables import Cell, Table
from rapport.managers.choices import EmploymentStatus, ManagerType, WorkMode
from rapport.managers.models import ClientManager
from rapport.pipeline import selectors as pipeline_selectors
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Acquisition

LIMIT = 25


# ---------------------------------------------------------------------------------------------------------------
# Who sees what
# ---------------------------------------------------------------------------------------------------------------


def sees_clients_panels(user) -> bool:
    """Portfolio, key-person risk, winning and serving: those who see every client (Management, Admin)."""
    return roles.sees_all_clients(user)


def sees_ratings_panels(user) -> bool:
    return sees_all_ratings(user)


def sees_pay_panels(user) -> bool:
    """Pay totals: Management, Payroll, Admin (no individual statement)."""
    return sees_pay_totals(user)


def sees_dashboard(user) -> bool:
    return sees_clients_panels(user) or sees_ratings_panels(user) or sees_pay_panels(user)


# ---------------------------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------------------------


def _link(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    url = reverse(name)
    return f"{url}?{query}" if query else url


def clients_link(f: Filters | None = None, **params) -> str:
    """The client list with ``params`` (and the dashboard's client group)."""
    if f is not None and f.group is not None:
        params.setdefault("group", f.group.pk)
    return _link("clients:list", **params)


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _managers_query(user, f: Filters, mode: str):
    """The employed managers of a work mode (and the dashboard's type), by name."""
    managers = (
        ClientManager.objects.visible_to(user)
        .exclude(employment_status=EmploymentStatus.DISMISSED)
        .filter(work_mode=mode)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    if f.manager_type:
        managers = managers.filter(manager_type=f.manager_type)
    return managers


def _managers(user, f: Filters, mode: str) -> list[ClientManager]:
    return list(_managers_query(user, f, mode))


def _current(user, f: Filters):
    """Current assignments of clients (of the dashboard's group)."""
    assignments = Assignment.objects.visible_to(user).filter(end_date__isnull=True)
    if f.group is not None:
        assignments = assignments.filter(client__group=f.group)
    return assignments


def _active_clients(user, f: Filters):
    clients = Client.objects.visible_to(user).filter(status=ClientStatus.ACTIVE)
    if f.group is not None:
        clients = clients.filter(group=f.group)
    return clients


def _has_manager():
    return Exists(Assignment.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True))


def _cut(rows: list, limit: int | None) -> list:
    return rows if limit is None else rows[:limit]


def _type_label(value: str) -> str:
    return str(ManagerType(value).label) if value in ManagerType.values else value


# ---------------------------------------------------------------------------------------------------------------
# Portfolio
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Load:
    manager: ClientManager
    clients: int
    vip: int

    @property
    def utilisation(self) -> Decimal:
        return Decimal(self.clients) / Decimal(self.manager.capacity) if self.manager.capacity else Decimal(0)


def loads(user, f: Filters) -> list[Load]:
    """Each employed personal manager's current clients (and VIP clients) against capacity, fullest first."""
    managers = _managers(user, f, WorkMode.PERSONAL)
    counts = {
        row["manager_id"]: row
        for row in _current(user, f)
        .filter(manager__in=[m.pk for m in managers])
        .order_by()
        .values("manager_id")
        .annotate(clients=Count("id"), vip=Count("id", filter=Q(client__is_vip=True)))
    }
    result = [Load(m, counts.get(m.pk, {}).get("clients", 0), counts.get(m.pk, {}).get("vip", 0)) for m in managers]
    result.sort(key=lambda load: (-load.utilisation, -load.clients, load.manager.name))
    return result


def _utilisation_flag(utilisation: Decimal) -> str:
    if utilisation > 1:
        return "bad"
    if utilisation >= Decimal("0.9"):
        return "warn"
    return ""


def load_table(user, f: Filters, limit: int | None = LIMIT, rows: list[Load] | None = None) -> Table:
    rows = loads(user, f) if rows is None else rows
    table = Table(
        key="load",
        title=_("Clients per personal manager"),
        columns=[
            _("Manager"),
            _("Type"),
            _("Level"),
            _("VIP-qualified"),
            _("Clients"),
            _("VIP clients"),
            _("Capacity"),
            _("Utilisation"),
        ],
        empty=_("No employed personal manager. Add managers in personal work mode to assign clients to them."),
        total=len(rows),
        note=_("Fullest first.") if limit is not None and len(rows) > limit else "",
    )
    for load in _cut(rows, limit):
        m = load.manager
        table.rows.append(
            [
                Cell(m.name, link=reverse("managers:detail", args=[m.pk])),
                Cell(m.get_manager_type_display()),
                Cell(m.get_level_display()),
                Cell(_("yes") if m.vip_qualified else _("no")),
                Cell(load.clients, "int", link=clients_link(f, manager=m.pk)),
                Cell(load.vip, "int", link=clients_link(f, manager=m.pk, is_vip="true")),
                Cell(m.capacity, "int"),
                Cell(load.utilisation, "pct", flag=_utilisation_flag(load.utilisation)),
            ]
        )
    return table


UTILISATION_BANDS = (
    (Decimal("0.5"), gettext_lazy("up to 50 %")),
    (Decimal("0.75"), gettext_lazy("50–75 %")),
    (Decimal("0.9"), gettext_lazy("75–90 %")),
    (Decimal(1), gettext_lazy("90–100 %")),
    (None, gettext_lazy("over capacity")),
)


def load_bands_table(user, f: Filters, limit: int | None = LIMIT, rows: list[Load] | None = None) -> Table:
    """How many personal managers fall in each utilisation band (the load-balance cost steps of the engine)."""
    rows = loads(user, f) if rows is None else rows
    counts = [0] * len(UTILISATION_BANDS)
    for load in rows:
        for index, (upper, _label) in enumerate(UTILISATION_BANDS):
            if upper is None or load.utilisation <= upper:
                counts[index] += 1
                break
    table = Table(key="load_bands", title=_("Managers by utilisation"), columns=[_("Utilisation"), _("Managers")])
    for (upper, label), count in zip(UTILISATION_BANDS, counts, strict=True):
        table.rows.append([Cell(str(label)), Cell(count, "int", flag="bad" if upper is None and count else "")])
    return table


def portfolio_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """The client base at a glance: legal entities needing a manager, VIP coverage, motivation match.

    One pass over the active clients, each joined to its current assignment (at most one) and that manager."""
    base = _active_clients(user, f).annotate(
        current_assignment=FilteredRelation("assignments", condition=Q(assignments__end_date__isnull=True))
    )
    unassigned = Q(current_assignment__isnull=True)
    # The manager figures count only managers of the dashboard's type.
    assigned = (
        Q(current_assignment__manager__manager_type=f.manager_type)
        if f.manager_type
        else Q(current_assignment__isnull=False)
    )
    counts = base.aggregate(
        legal=Count("id", filter=Q(kind=ClientKind.LEGAL_ENTITY)),
        legal_unassigned=Count("id", filter=Q(kind=ClientKind.LEGAL_ENTITY) & unassigned),
        vip=Count("id", filter=Q(is_vip=True)),
        vip_unassigned=Count("id", filter=Q(is_vip=True) & unassigned),
        covered=Count("id", filter=assigned & Q(is_vip=True, current_assignment__manager__vip_qualified=True)),
        uncovered=Count("id", filter=assigned & Q(is_vip=True, current_assignment__manager__vip_qualified=False)),
        known=Count("id", filter=assigned & ~Q(motivation=Motivation.UNKNOWN)),
        matched=Count(
            "id",
            filter=assigned
            & ~Q(motivation=Motivation.UNKNOWN)
            & Q(motivation=F("current_assignment__manager__manager_type")),
        ),
    )
    vip = {key: counts[key] for key in ("covered", "uncovered")}
    motivation = {key: counts[key] for key in ("known", "matched")}
    type_params = {"manager_type": f.manager_type} if f.manager_type else {}
    table = Table(key="portfolio", title=_("Client base"), columns=[_("Measure"), _("Clients"), _("Share")])
    legal_link = clients_link(f, kind=ClientKind.LEGAL_ENTITY, status=ClientStatus.ACTIVE)
    vip_link = clients_link(f, is_vip="true", status=ClientStatus.ACTIVE)
    table.rows = [
        [Cell(_("Active legal entities")), Cell(counts["legal"], "int", link=legal_link), Cell(None, "pct")],
        [
            Cell(_("Legal entities without a personal manager")),
            Cell(
                counts["legal_unassigned"],
                "int",
                link=clients_link(f, kind=ClientKind.LEGAL_ENTITY, status=ClientStatus.ACTIVE, unassigned="true"),
                flag="bad" if counts["legal_unassigned"] else "good",
            ),
            Cell(_share(counts["legal_unassigned"], counts["legal"]), "pct"),
        ],
        [Cell(_("Active VIP clients")), Cell(counts["vip"], "int", link=vip_link), Cell(None, "pct")],
        [
            Cell(_("VIP clients with a VIP-qualified manager")),
            Cell(
                vip["covered"],
                "int",
                link=clients_link(
                    f, is_vip="true", status=ClientStatus.ACTIVE, manager_vip_qualified="true", **type_params
                ),
            ),
            Cell(_share(vip["covered"], counts["vip"]), "pct"),
        ],
        [
            Cell(_("VIP clients whose manager is not VIP-qualified")),
            Cell(
                vip["uncovered"],
                "int",
                link=clients_link(
                    f, is_vip="true", status=ClientStatus.ACTIVE, manager_vip_qualified="false", **type_params
                ),
                flag="bad" if vip["uncovered"] else "good",
            ),
            Cell(_share(vip["uncovered"], counts["vip"]), "pct"),
        ],
        [
            Cell(_("VIP clients without a personal manager")),
            Cell(
                counts["vip_unassigned"],
                "int",
                link=clients_link(f, is_vip="true", status=ClientStatus.ACTIVE, unassigned="true"),
                flag="bad" if counts["vip_unassigned"] else "good",
            ),
            Cell(_share(counts["vip_unassigned"], counts["vip"]), "pct"),
        ],
        [
            Cell(_("Assigned clients with a known motivation")),
            Cell(motivation["known"], "int"),
            Cell(None, "pct"),
        ],
        [
            Cell(_("… whose manager's type matches it (motivation match rate)")),
            Cell(
                motivation["matched"],
                "int",
                link=clients_link(f, status=ClientStatus.ACTIVE, motivation_match="true", **type_params),
            ),
            Cell(_share(motivation["matched"], motivation["known"]), "pct"),
        ],
        [
            Cell(_("… whose manager's type does not match it")),
            Cell(
                motivation["known"] - motivation["matched"],
                "int",
                link=clients_link(f, status=ClientStatus.ACTIVE, motivation_match="false", **type_params),
                flag="warn" if motivation["known"] - motivation["matched"] else "",
            ),
            Cell(_share(motivation["known"] - motivation["matched"], motivation["known"]), "pct"),
        ],
    ]
    return table


def groups_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """Assigned clients per client group and manager type; a cell is marked when the group names the types that
    should serve it and this type is not one of them. The last columns: legal entities without a manager."""
    groups = list(ClientGroup.objects.visible_to(user).order_by("name"))
    if f.group is not None:
        groups = [g for g in groups if g.pk == f.group.pk]
    types = [t for t in ManagerType.values if not f.manager_type or t == f.manager_type]
    counts: dict[tuple, int] = defaultdict(int)
    current = _current(user, f).filter(manager__manager_type__in=types)
    for row in current.order_by().values("client__group_id", "manager__manager_type").annotate(n=Count("id")):
        counts[(row["client__group_id"], row["manager__manager_type"])] = row["n"]
    unassigned = dict(
        _active_clients(user, f)
        .filter(kind=ClientKind.LEGAL_ENTITY)
        .annotate(has_manager=_has_manager())
        .filter(has_manager=False)
        .order_by()
        .values_list("group_id")
        .annotate(n=Count("id"))
    )
    table = Table(
        key="groups",
        title=_("Client groups by manager type"),
        columns=[_("Client group"), *[_type_label(t) for t in types], _("Without a personal manager")],
        empty=_("No client groups yet. Create groups to see how they are served."),
    )
    for group in groups:
        row = [Cell(group.name, link=clients_link(None, group=group.pk))]
        for manager_type in types:
            n = counts.get((group.pk, manager_type), 0)
            unsuited = bool(n and group.manager_types and manager_type not in group.manager_types)
            row.append(
                Cell(
                    n, "int", link=clients_link(None, group=group.pk, manager_type=manager_type), flag="warn" * unsuited
                )
            )
        n = unassigned.get(group.pk, 0)
        row.append(
            Cell(
                n,
                "int",
                link=clients_link(
                    None, group=group.pk, kind=ClientKind.LEGAL_ENTITY, status=ClientStatus.ACTIVE, unassigned="true"
                ),
                flag="bad" if n else "",
            )
        )
        table.rows.append(row)
    if f.group is None and (any(counts.get((None, t)) for t in types) or unassigned.get(None)):
        row = [Cell(_("No group"))]
        row += [Cell(counts.get((None, t), 0), "int") for t in types]
        row.append(Cell(unassigned.get(None, 0), "int", flag="bad" if unassigned.get(None) else ""))
        table.rows.append(row)
    return table


# ---------------------------------------------------------------------------------------------------------------
# Key-person risk
# ---------------------------------------------------------------------------------------------------------------


def knowledge_days() -> int:
    return int(settings.RAPPORT["KNOWLEDGE_DAYS"])


def key_person_share() -> Decimal:
    return Decimal(str(settings.RAPPORT["KEY_PERSON_SHARE"]))


@dataclass(frozen=True)
class Risk:
    manager: ClientManager
    clients: int
    vip: int
    corporate: int
    motivation: int
    notes: int
    documented: int
    vip_share: Decimal | None
    corporate_share: Decimal | None

    @property
    def share(self) -> Decimal:
        return max(self.vip_share or Decimal(0), self.corporate_share or Decimal(0))

    @property
    def documented_share(self) -> Decimal | None:
        return _share(self.documented, self.clients)

    @property
    def level(self) -> str:
        """``high``: holds a large share and less than half of it is written down; ``elevated``: a large share."""
        if self.share < key_person_share():
            return ""
        documented = self.documented_share
        return "high" if documented is None or documented < Decimal("0.5") else "elevated"


def risks(user, f: Filters, today: datetime.date | None = None) -> list[Risk]:
    """Per employed personal manager: their share of all active VIP and corporate clients and how much of their
    clients' knowledge is written down; the largest share first."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=knowledge_days()), datetime.time.min)
    )
    managers = _managers(user, f, WorkMode.PERSONAL)
    totals = _active_clients(user, f).aggregate(
        vip=Count("id", filter=Q(is_vip=True)),
        corporate=Count("id", filter=Q(kind=ClientKind.LEGAL_ENTITY, is_vip=False)),
    )
    # The clients noted since then: one uncorrelated subquery, read once (not a lookup per assignment).
    recent = Q(client_id__in=Interaction.objects.filter(occurred_at__gte=since).values("client_id"))
    known = ~Q(client__motivation=Motivation.UNKNOWN)
    counts = {
        row["manager_id"]: row
        for row in _current(user, f)
        .filter(manager__in=[m.pk for m in managers], client__status=ClientStatus.ACTIVE)
        .order_by()
        .values("manager_id")
        .annotate(
            clients=Count("id"),
            vip=Count("id", filter=Q(client__is_vip=True)),
            corporate=Count("id", filter=Q(client__kind=ClientKind.LEGAL_ENTITY, client__is_vip=False)),
            motivation=Count("id", filter=known),
            notes=Count("id", filter=recent),
            documented=Count("id", filter=known & recent),
        )
    }
    result = []
    for m in managers:
        row = counts.get(m.pk, {})
        result.append(
            Risk(
                manager=m,
                clients=row.get("clients", 0),
                vip=row.get("vip", 0),
                corporate=row.get("corporate", 0),
                motivation=row.get("motivation", 0),
                notes=row.get("notes", 0),
                documented=row.get("documented", 0),
                vip_share=_share(row.get("vip", 0), totals["vip"]),
                corporate_share=_share(row.get("corporate", 0), totals["corporate"]),
            )
        )
    result.sort(key=lambda risk: (-risk.share, -risk.clients, risk.manager.name))
    return result


RISK_LABELS = {"high": gettext_lazy("High"), "elevated": gettext_lazy("Elevated"), "": gettext_lazy("Low")}


def risk_table(user, f: Filters, limit: int | None = LIMIT, rows: list[Risk] | None = None) -> Table:
    rows = risks(user, f) if rows is None else rows
    table = Table(
        key="risk",
        title=_("Key-person risk"),
        columns=[
            _("Manager"),
            _("Type"),
            _("Clients"),
            _("VIP clients"),
            _("VIP share"),
            _("Corporate clients"),
            _("Corporate share"),
            _("Motivation recorded"),
            _("Noted in %(days)d days") % {"days": knowledge_days()},
            _("Written down"),
            _("Risk"),
        ],
        empty=_("No employed personal manager holds clients."),
        total=len(rows),
        note=_(
            "Shares are of all active VIP and all active corporate clients. Written down: clients with a recorded "
            "motivation and a note from the last %(days)d days. Flagged when a manager holds at least %(share)s of "
            "either; high when less than half of their clients' knowledge is written down."
        )
        % {"share": Cell(key_person_share(), "pct").text, "days": knowledge_days()},
    )
    for risk in _cut(rows, limit):
        m = risk.manager
        flag = {"high": "bad", "elevated": "warn"}.get(risk.level, "")
        table.rows.append(
            [
                Cell(m.name, link=reverse("managers:detail", args=[m.pk])),
                Cell(m.get_manager_type_display()),
                Cell(risk.clients, "int", link=clients_link(f, manager=m.pk)),
                Cell(risk.vip, "int", link=clients_link(f, manager=m.pk, is_vip="true")),
                Cell(risk.vip_share, "pct", flag=flag if (risk.vip_share or 0) >= key_person_share() else ""),
                Cell(
                    risk.corporate,
                    "int",
                    link=clients_link(f, manager=m.pk, kind=ClientKind.LEGAL_ENTITY, is_vip="false"),
                ),
                Cell(
                    risk.corporate_share,
                    "pct",
                    flag=flag if (risk.corporate_share or 0) >= key_person_share() else "",
                ),
                Cell(_share(risk.motivation, risk.clients), "pct"),
                Cell(_share(risk.notes, risk.clients), "pct"),
                Cell(risk.documented_share, "pct", flag="bad" if risk.level == "high" else ""),
                Cell(str(RISK_LABELS[risk.level]), flag=flag),
            ]
        )
    return table


# ---------------------------------------------------------------------------------------------------------------
# Winning and serving
# ---------------------------------------------------------------------------------------------------------------


def _acquisitions(user, f: Filters):
    acquisitions = Acquisition.objects.visible_to(user).filter(
        reversed_at__isnull=True, acquired_on__gte=f.start, acquired_on__lte=f.end
    )
    if f.group is not None:
        acquisitions = acquisitions.filter(client__group=f.group)
    if f.manager_type:
        acquisitions = acquisitions.filter(manager__manager_type=f.manager_type)
    return acquisitions


def acquisitions_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """Clients won per month (standing credits: a win undone is not counted)."""
    grouped = {
        (row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]): row
        for row in _acquisitions(user, f)
        .annotate(month=TruncMonth("acquired_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("id"), vip=Count("id", filter=Q(was_vip=True)))
    }
    table = Table(
        key="acquisitions",
        title=_("Acquisitions per month"),
        columns=[_("Month"), _("Clients won"), _("VIP when won")],
        note=_("The lists behind the figures show the clients won, whoever manages them now.")
        if f.manager_type
        else "",
    )
    for month in f.months:
        row = grouped.get(month, {})
        link = "" if f.manager_type else clients_link(f, acquired_from=month.isoformat(), acquired_to=month_end(month))
        table.rows.append(
            [Cell(month, "month"), Cell(row.get("n", 0), "int", link=link), Cell(row.get("vip", 0), "int")]
        )
    return table


def acquirers_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """Clients won per manager in the period, most first."""
    rows = list(
        _acquisitions(user, f)
        .order_by()
        .values("manager_id", "manager__user__first_name", "manager__user__last_name")
        .annotate(n=Count("id"), vip=Count("id", filter=Q(was_vip=True)))
        .order_by("-n", "manager__user__last_name", "manager__user__first_name", "manager_id")
    )
    table = Table(
        key="acquirers",
        title=_("Acquisitions per manager"),
        columns=[_("Manager"), _("Clients won"), _("VIP when won")],
        empty=_("No client was won in this period."),
        total=len(rows),
    )
    for row in _cut(rows, limit):
        name = f"{row['manager__user__first_name']} {row['manager__user__last_name']}".strip()
        link = clients_link(f, acquired_by=row["manager_id"], acquired_from=f.start, acquired_to=f.end)
        table.rows.append(
            [
                Cell(name, link=reverse("managers:detail", args=[row["manager_id"]])),
                Cell(row["n"], "int", link=link),
                Cell(row["vip"], "int"),
            ]
        )
    return table


def funnel_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """Opportunities opened in the period by the stage they reached, per manager, with the win rate."""
    total, rows = pipeline_selectors.funnel(
        user=user,
        start=f.start,
        end=f.end,
        by="manager",
        group_id=f.group.pk if f.group else None,
        manager_type=f.manager_type,
    )
    stages = [str(Stage(stage).label) for stage in pipeline_selectors.FUNNEL_STAGES]
    table = Table(
        key="funnel",
        title=_("Funnel"),
        columns=[_("Manager"), *stages, _("Lost"), _("Win rate")],
        empty=_("No opportunity was opened in this period."),
        total=len(rows),
    )
    funnel_url = _link("pipeline:funnel", start=f.start, end=f.end)
    for row in [*_cut(rows, limit), total] if rows else []:
        manager_link = (
            _link("pipeline:funnel", start=f.start, end=f.end, manager=row.manager_id) if row.manager_id else funnel_url
        )
        table.rows.append(
            [
                Cell(row.label, link=manager_link),
                *[Cell(n, "int", link=manager_link) for n in row.reached],
                Cell(row.lost, "int", link=manager_link),
                Cell(row.win_rate, "pct"),
            ]
        )
    return table


def served_table(user, f: Filters, limit: int | None = LIMIT) -> Table:
    """Distinct clients each pool manager served per month (an interaction or a resolved case)."""
    # Only the managers shown are read and counted; the others only counted.
    query = _managers_query(user, f, WorkMode.POOL)
    managers = list(query if limit is None else query[:limit])
    total = len(managers) if limit is None or len(managers) < limit else query.count()
    ids = [m.pk for m in managers]
    by_month = {month: served_counts(month_start=month, manager_ids=ids) for month in f.months} if ids else {}
    table = Table(
        key="served",
        title=_("Clients served by pool managers"),
        columns=[_("Manager"), *[f"{month:%Y-%m}" for month in f.months]],
        empty=_("No employed pool manager."),
        total=total,
        note=_("The client group filter does not apply: pool managers serve whoever asks.") if f.group else "",
    )
    for m in managers:
        row = [Cell(m.name, link=reverse("managers:detail", args=[m.pk]))]
        for month in f.months:
            link = _link("cases:interactions", manager=m.pk, occurred_from=month, occurred_to=month_end(month))
            row.append(Cell(by_month[month].get(m.pk, 0), "int", link=link))
        table.rows.append(row)
    return table


def cases_table(user, f: Filters, limit: int | None = LIMIT, now: datetime.datetime | None = None) -> Table:
    """Open cases and missed service-level targets per handler, with the cases nobody may take yet."""
    now = now or timezone.now()
    cases = Case.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    if f.group is not None:
        cases = cases.filter(client__group=f.group)
    if f.manager_type:
        cases = cases.filter(handler__manager_type=f.manager_type)
    rows = list(
        cases.order_by()
        .values("handler_id", "handler__user__first_name", "handler__user__last_name")
        .annotate(open=Count("id"), breached=Count("id", filter=sla.breach(now)))
        .order_by("-breached", "-open", "handler__user__last_name", "handler_id")
    )
    table = Table(
        key="cases",
        title=_("Open cases and missed targets"),
        columns=[_("Handler"), _("Open cases"), _("Targets missed")],
        empty=_("No open case."),
        total=len(rows),
    )
    for row in _cut(rows, limit):
        if row["handler_id"] is None:
            name, params = _("Nobody yet (waits for Management)"), {"unrouted": "true"}
        else:
            name = f"{row['handler__user__first_name']} {row['handler__user__last_name']}".strip()
            params = {"handler": row["handler_id"]}
        table.rows.append(
            [
                Cell(name),
                Cell(row["open"], "int", link=_link("cases:list", open="true", **params)),
                Cell(
                    row["breached"],
                    "int",
                    link=_link("cases:list", open="true", breached="true", **params),
                    flag="bad" if row["breached"] else "",
                ),
            ]
        )
    return table


# ---------------------------------------------------------------------------------------------------------------
# Ratings
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingTrend:
    manager: ClientManager
    count: int
    smoothed: Decimal
    months: tuple  # (month, RatingSummary | None) per month of the period


def _period_ratings(user, f: Filters):
    """The ratings ``user`` sees given in the period (to managers of the dashboard's type)."""
    lower, upper = Period(f.start, f.end).bounds()
    ratings = Rating.objects.visible_to(user).filter(created_at__gte=lower, created_at__lt=upper)
    if f.manager_type:
        ratings = ratings.filter(manager__manager_type=f.manager_type)
    return ratings


def most_rated(user, f: Filters, limit: int) -> tuple[list[int], int]:
    """The ids of the managers that can be among the ``limit`` most rated in the period — every manager rated at
    least as often as the ``limit``-th, so ties at the cut are settled by name exactly as ``rating_trends`` sorts —
    and how many managers were rated. Two grouped queries, whatever the number of rated managers."""
    counts = _period_ratings(user, f).order_by().values("manager_id").annotate(n=Count("id"))
    rated = counts.count()
    if rated <= limit:
        return list(counts.values_list("manager_id", flat=True)), rated
    threshold = counts.order_by("-n").values_list("n", flat=True)[limit - 1]
    return list(counts.filter(n__gte=threshold).values_list("manager_id", flat=True)), rated


def _monthly_ratings(user, f: Filters, manager_ids=None) -> dict[int, dict[datetime.date, tuple[int, int]]]:
    """Per manager id and month of the period, the count and the sum of the stars of the ratings ``user`` sees;
    months without ratings are left out. The same figures as ``rating_selectors.monthly_rating_summaries`` (months
    cut in the site's time zone) in one grouped query that finds each rating's month by comparing its time with
    the months' bounds instead of converting it (a Python function per row on SQLite)."""
    months = f.months
    lower, upper = Period(f.start, f.end).bounds()
    ends = [Period(month, month).bounds()[0] for month in months[1:]] + [upper]
    month_index = models.Case(
        *[models.When(created_at__lt=end, then=models.Value(index)) for index, end in enumerate(ends)],
        output_field=models.IntegerField(),
    )
    ratings = Rating.objects.visible_to(user).filter(created_at__gte=lower, created_at__lt=upper)
    if manager_ids is not None:
        ratings = ratings.filter(manager_id__in=list(manager_ids))
    rows = (
        ratings.annotate(month_index=month_index)
        .order_by()
        .values("manager_id", "month_index")
        .annotate(count=Count("id"), total=Sum("stars"))
    )
    result: dict[int, dict[datetime.date, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        result[row["manager_id"]][months[row["month_index"]]] = (row["count"], row["total"])
    return result


def rating_trends(user, f: Filters, manager_ids=None) -> list[RatingTrend]:
    """Each manager rated in the period (or those of ``manager_ids``): the smoothed rating of each month and of the
    whole period (from the sums of its months, which cover it), most rated first."""
    weight, mean = rating_selectors.prior()

    def summary(count: int, total: int) -> RatingSummary:
        return summarise(total=total, count=count, prior_weight=weight, prior_mean=mean)

    monthly = _monthly_ratings(user, f, manager_ids)
    managers = ClientManager.objects.visible_to(user).filter(pk__in=list(monthly)).select_related("user")
    if f.manager_type:
        managers = managers.filter(manager_type=f.manager_type)
    trends = []
    for m in managers:
        months = monthly[m.pk]
        whole = summary(
            sum(count for count, _total in months.values()), sum(total for _count, total in months.values())
        )
        trends.append(
            RatingTrend(
                manager=m,
                count=whole.count,
                smoothed=whole.smoothed,
                months=tuple((month, summary(*months[month]) if month in months else None) for month in f.months),
            )
        )
    trends.sort(key=lambda t: (-t.count, t.manager.name))
    return trends


def ratings_table(
    user, f: Filters, limit: int | None = LIMIT, rows: list[RatingTrend] | None = None, total: int | None = None
) -> Table:
    """The managers rated in the period, most rated first; with a ``limit``, only the candidates for the first
    rows are summarised (``most_rated``), however many managers were rated."""
    if rows is None:
        if limit is None:
            rows = rating_trends(user, f)
        else:
            ids, total = most_rated(user, f, limit)
            rows = rating_trends(user, f, manager_ids=ids)
    total = len(rows) if total is None else total
    table = Table(
        key="ratings",
        title=_("Smoothed ratings per month"),
        columns=[_("Manager"), _("Ratings"), _("Period"), *[f"{month:%Y-%m}" for month in f.months]],
        empty=_("No ratings in this period. Clients rate a manager through the link sent when a case is resolved."),
        total=total,
        note=_("The client group filter does not apply to ratings.") if f.group else "",
    )
    for trend in _cut(rows, limit):
        url = reverse("feedback:manager", args=[trend.manager.pk])
        row = [
            Cell(trend.manager.name, link=url),
            Cell(trend.count, "int", link=f"{url}?start={f.start}&end={f.end}"),
            Cell(trend.smoothed, "rating"),
        ]
        for month, summary in trend.months:
            row.append(
                Cell(
                    summary.smoothed if summary else None,
                    "rating",
                    link=f"{url}?month={month:%Y-%m}" if summary else "",
                )
            )
        table.rows.append(row)
    return table


# ---------------------------------------------------------------------------------------------------------------
# Pay
# ---------------------------------------------------------------------------------------------------------------

ALLOWANCE_KINDS = (LineKind.ALLOWANCE_CORPORATE, LineKind.ALLOWANCE_VIP)
BONUS_KINDS = (LineKind.ACQUISITION, LineKind.ACQUISITION_VIP, LineKind.SERVICE, LineKind.RATING)
CORRECTION_KINDS = (LineKind.ADJUSTMENT, LineKind.CLAWBACK)


def pay_rows(user, f: Filters) -> list[pay_selectors.MonthTotals]:
    return pay_selectors.monthly_totals(user=user, first=f.first, last=f.last, manager_type=f.manager_type)


def pay_table(user, f: Filters, limit: int | None = LIMIT, rows=None) -> Table:
    rows = pay_rows(user, f) if rows is None else rows
    table = Table(
        key="pay",
        title=_("Payroll per month"),
        columns=[
            _("Month"),
            _("Status"),
            _("Currency"),
            _("Statements"),
            _("Base salary"),
            _("Portfolio allowance"),
            _("Bonuses"),
            _("Bonus cap"),
            _("Corrections"),
            _("Total"),
            _("Bonus share"),
        ],
        empty=_("No pay period was calculated in this period. Payroll calculates a month from the Pay page."),
        note=_("Totals only; the client group filter does not apply to pay.") if f.group else _("Totals only."),
    )
    for totals in rows:
        currency, period = totals.currency, totals.period
        bonus = totals.amount(*BONUS_KINDS) + totals.amount(LineKind.CAP)
        # the period's page: its totals and distributions by line kind (its statements for Payroll only)
        period_url = reverse("compensation:period", args=[period.pk])
        table.rows.append(
            [
                Cell(period.month, "month", link=period_url),
                Cell(period.get_status_display()),
                Cell(currency),
                Cell(totals.statements, "int", link=period_url),
                Cell(totals.amount(LineKind.BASE), "money", currency=currency, link=period_url),
                Cell(totals.amount(*ALLOWANCE_KINDS), "money", currency=currency, link=period_url),
                Cell(totals.amount(*BONUS_KINDS), "money", currency=currency, link=period_url),
                Cell(totals.amount(LineKind.CAP), "money", currency=currency, link=period_url),
                Cell(totals.amount(*CORRECTION_KINDS), "money", currency=currency, link=period_url),
                Cell(totals.total, "money", currency=currency, link=period_url),
                Cell(_share(bonus, totals.total) if totals.total else None, "pct"),
            ]
        )
    return table


def bands_table(user, f: Filters, limit: int | None = LIMIT, today: datetime.date | None = None) -> Table:
    """Where each employed manager's base (by their plan and level) lies in the offered salary band."""
    rows = pay_selectors.band_positions(user=user, on=today or timezone.localdate())
    if f.manager_type:
        rows = [row for row in rows if row.manager.manager_type == f.manager_type]
    rows.sort(key=lambda row: (row.position is None, row.position if row.position is not None else 0))
    table = Table(
        key="bands",
        title=_("Position in the salary band"),
        columns=[_("Manager"), _("Level"), _("Plan"), _("Base salary"), _("Band"), _("Position")],
        empty=_("No employed manager is on a plan yet."),
        total=len(rows),
        note=_(
            "The position is 0 at the offered band's minimum and 100 at its maximum; "
            "the base is the plan's for the level."
        ),
    )
    for row in _cut(rows, limit):
        band = (
            f"{Cell(row.band.minimum, 'money', currency=row.band.currency).text}–"
            f"{Cell(row.band.maximum, 'money', currency=row.band.currency).text}"
            if row.band
            else None
        )
        outside = row.position is not None and not 0 <= row.position <= 100
        table.rows.append(
            [
                Cell(row.manager.name, link=reverse("managers:detail", args=[row.manager.pk])),
                Cell(row.manager.get_level_display()),
                Cell(row.plan),
                Cell(row.base, "money", currency=row.currency or ""),
                Cell(band),
                Cell(row.position / 100 if row.position is not None else None, "pct", flag="warn" if outside else ""),
            ]
        )
    return table


# ---------------------------------------------------------------------------------------------------------------
# The registry: table key → (function, who may see it)
# ---------------------------------------------------------------------------------------------------------------

TABLES = {
    "portfolio": (portfolio_table, sees_clients_panels),
    "load": (load_table, sees_clients_panels),
    "load_bands": (load_bands_table, sees_clients_panels),
    "groups": (groups_table, sees_clients_panels),
    "risk": (risk_table, sees_clients_panels),
    "acquisitions": (acquisitions_table, sees_clients_panels),
    "acquirers": (acquirers_table, sees_clients_panels),
    "funnel": (funnel_table, sees_clients_panels),
    "served": (served_table, sees_clients_panels),
    "cases": (cases_table, sees_clients_panels),
    "ratings": (ratings_table, sees_ratings_panels),
    "pay": (pay_table, sees_pay_panels),
    "bands": (bands_table, sees_pay_panels),
}


def table_for(key: str, user, f: Filters, limit: int | None = None) -> Table | None:
    """The table ``key`` for ``user`` (all rows by default), or None when it does not exist or is not theirs."""
    entry = TABLES.get(key)
    if entry is None or not entry[1](user):
        return None
    return entry[0](user, f, limit=limit)


def payroll_links(user) -> bool:
    """Whether pay figures may link to individual statements (Payroll and Admin)."""
    return sees_pay(user)
