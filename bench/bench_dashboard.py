"""The management dashboard: each panel's table function against hand-written SQL returning the same figures.

Data: the client list's data set (``bench_client_list.build``: N clients, small 20,000 / full 1,000,000; personal
managers holding legal entities up to their capacity, some ended assignments) with 200 client managers at small
scale and 10,000 at full (the issue's size), and besides: interactions (each assigned client's manager noting
some of them over the last year, so about half have a note within the knowledge window; pool managers noting
clients without a manager), opportunities with their stage changes (won ones with their acquisitions, 5 %
undone; lost and open ones), cases of the last ten days (open ones, about half past a target; resolved and
closed ones, with their "resolved" events) and ratings of interactions over the last eight months, each with its
rating request. All of it is written with raw inserts (``harness.bulk_insert``).

Cases, as a Management user with the default filters (the last six months) and 25 rows as on the page:
``portfolio`` (``portfolio_table``), ``load`` (``load_table``), ``groups`` (``groups_table``), ``risk``
(``risk_table``), ``acquisitions`` (``acquisitions_table`` + ``acquirers_table``), ``funnel`` (``funnel_table``),
``served`` (``served_table``), ``cases`` (``cases_table``), ``ratings`` (``ratings_table``), and ``dashboard``:
``sections.dashboard_sections`` (every table and chart of the page) against the sum of the floors above. The page
also shows the load bands (from the same loads), the charts and the pay tables, which have no floor here.

Each floor is the least work that gives the table's figures: set-based raw SQL through ``connection.cursor()``
(grouped counts joined to the managers, sorted and cut to 25 rows in the database where the table is cut), and
the few Python lines that turn the counts into the shares and smoothed ratings the table shows. Months are found
by comparing times with the months' bounds in the site's time zone. Before timing, every case checks that the
floor's figures equal the table's (names, counts, shares, ratings, row totals), and the dashboard case checks
its tables the same way; a mismatch fails the run loudly. The user object is reused, as within one request.
"""

import datetime
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from bench import bench_client_list
from bench.harness import analyze, bulk_insert, case_result, compare
from rapport.accounts.models import User
from rapport.cases.choices import OPEN_STATUSES, CaseEventKind, CaseStatus, Channel
from rapport.cases.models import Case, CaseEvent, Interaction
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.feedback import selectors as rating_selectors
from rapport.feedback.choices import RequestSubject
from rapport.feedback.models import Rating, RatingRequest
from rapport.feedback.periods import Period
from rapport.feedback.smoothing import summarise
from rapport.insight import panels, sections
from rapport.insight.filters import Filters
from rapport.managers.choices import EmploymentStatus, ManagerType, WorkMode
from rapport.pipeline.choices import LostReason, Stage
from rapport.pipeline.models import Acquisition, Opportunity, StageChange
from rapport.pipeline.selectors import FUNNEL_STAGES

BENCH = "dashboard"
SIZES = bench_client_list.SIZES
MANAGERS = {"small": 200, "full": 10_000}
LIMIT = panels.LIMIT
# Targets: ours / floor, the median over rounds. A panel should run set-based queries as cheap as its floor plus
# Django's cost of compiling them and of building a table of 25 rows; 2.0 leaves room for that and catches a
# slower plan or per-row work. The whole page also builds the load bands, the pay tables and the charts, which
# have no floor here, hence its looser target. Where ours builds a row (model instances) for every manager while
# the page shows 25 (load and risk, sorted in Python; ratings, every rated manager summarised per month), its
# Python cost grows with the number of managers, while the floor sorts and cuts in the database.
TARGET = 2.0
DASHBOARD_TARGET = 2.5
ROUNDS = {"small": 15, "full": 7}

OPEN = tuple(str(status) for status in OPEN_STATUSES)


# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------


def _fetch(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _interactions(rng: random.Random, now: datetime.datetime, boss_id: int, assigned, pool, others) -> list[dict]:
    """Notes of assigned clients by their manager over the last year; pool managers' notes of other clients."""
    channels = list(Channel.values)
    rows = []
    for client_id, manager_id in assigned:
        if rng.random() < 0.7:
            for _n in range(rng.randint(1, 3)):
                rows.append((client_id, manager_id, now - datetime.timedelta(minutes=rng.randint(60, 365 * 24 * 60))))
    for client_id in rng.sample(others, min(len(others), len(others) // 5)):
        rows.append((client_id, rng.choice(pool), now - datetime.timedelta(minutes=rng.randint(60, 240 * 24 * 60))))
    rows.sort(key=lambda row: row[2])
    return [
        {
            "client_id": client_id,
            "manager_id": manager_id,
            "channel": rng.choice(channels),
            "occurred_at": at,
            "summary": "Talked about the next quarter",
            "created_by_id": boss_id,
        }
        for client_id, manager_id, at in rows
    ]


def _pipeline(rng: random.Random, now: datetime.datetime, boss_id: int, scale: str, prospects, owner, personal):
    """Won opportunities with their acquisitions over the last year (5 % undone), and as many lost and open ones."""
    won = {"small": 1_000, "full": 5_000}[scale]
    chosen = rng.sample(prospects, min(len(prospects), 3 * won))
    opportunities, acquisitions = [], []
    for index, (client_id, is_vip) in enumerate(chosen):
        manager_id = owner.get(client_id) or rng.choice(personal)
        opened = now - datetime.timedelta(days=rng.randint(20, 380), minutes=rng.randint(0, 1440))
        closed = opened + datetime.timedelta(days=rng.randint(1, 19))
        row = {
            "client_id": client_id,
            "manager_id": manager_id,
            "title": f"Opportunity {index}",
            "stage_changed_at": closed,
            "created_by_id": boss_id,
            "created_at": opened,
            "updated_at": closed,
        }
        kind = index % 3
        if kind == 0:
            row.update(stage=Stage.WON, closed_at=closed)
            acquisition = {
                "client_id": client_id,
                "manager_id": manager_id,
                "acquired_on": timezone.localtime(closed).date(),
                "was_vip": is_vip,
                "credited_by_id": boss_id,
            }
            if rng.random() < 0.05:
                acquisition.update(reversed_at=closed + datetime.timedelta(days=1), reversed_by_id=boss_id)
                acquisition["reversal_reason"] = "Won by mistake"
            acquisitions.append(acquisition)
        elif kind == 1:
            row.update(stage=Stage.LOST, closed_at=closed, lost_reason=LostReason.PRICE)
        else:
            row.update(stage=rng.choice([Stage.NEW, Stage.CONTACTED, Stage.OFFER]), stage_changed_at=opened)
        opportunities.append(row)
    bulk_insert(Opportunity, opportunities)
    _stage_changes(rng, boss_id, opportunities)
    ids = dict(_fetch("SELECT client_id, id FROM pipeline_opportunity WHERE stage = %s", [Stage.WON]))
    for acquisition in acquisitions:
        acquisition["opportunity_id"] = ids[acquisition["client_id"]]
    bulk_insert(Acquisition, acquisitions)
    return len(acquisitions)


def _stage_changes(rng: random.Random, boss_id: int, opportunities: list[dict]) -> int:
    """Each opportunity's moves through the funnel up to its stage (a lost one after one to three stages)."""
    ids = {client_id: pk for pk, client_id in _fetch("SELECT id, client_id FROM pipeline_opportunity")}
    funnel = list(FUNNEL_STAGES)
    rows = []
    for opportunity in opportunities:
        stage = opportunity["stage"]
        path = [*funnel[: rng.randint(1, 3)], Stage.LOST] if stage == Stage.LOST else funnel[: funnel.index(stage) + 1]
        at = opportunity["created_at"]
        for before, after in zip(["", *path], path, strict=False):
            rows.append(
                {
                    "opportunity_id": ids[opportunity["client_id"]],
                    "from_stage": before,
                    "to_stage": after,
                    "at": at,
                    "actor_id": boss_id,
                }
            )
            at += datetime.timedelta(hours=rng.randint(1, 48))
    return bulk_insert(StageChange, rows)


def _cases(rng: random.Random, now: datetime.datetime, boss_id: int, scale: str, clients, owner, pool) -> int:
    """Cases of random clients: open ones from the last ten days (whole days plus half a day old, so no target
    falls due while the benchmark runs), about half of them past a target; resolved and closed ones."""
    n = SIZES[scale] // 20
    statuses = [CaseStatus.NEW] * 4 + [CaseStatus.ACKNOWLEDGED] * 3 + [CaseStatus.IN_PROGRESS] * 4
    statuses += [CaseStatus.RESOLVED] * 5 + [CaseStatus.CLOSED] * 4
    rows = []
    for client_id, is_vip in rng.sample(clients, min(n, len(clients))):
        status = rng.choice(statuses)
        handler = owner.get(client_id) or (rng.choice(pool) if rng.random() < 0.9 else None)
        if handler is None and status not in OPEN_STATUSES:
            handler = rng.choice(pool)
        opened = now - datetime.timedelta(days=rng.randint(0, 10), hours=12)
        row = {
            "client_id": client_id,
            "handler_id": handler,
            "subject": "Invoice question",
            "description": "The client asks about an invoice.",
            "status": status,
            "client_was_vip": is_vip,
            "opened_at": opened,
            "opened_by_id": boss_id,
            "acknowledge_due_at": opened + datetime.timedelta(days=1),
            "resolve_due_at": opened + datetime.timedelta(days=4),
        }
        if status != CaseStatus.NEW:
            acknowledged = min(opened + datetime.timedelta(hours=rng.randint(1, 40)), now - datetime.timedelta(hours=1))
            row.update(acknowledged_at=acknowledged, problem_statement="Wants a corrected invoice.")
            if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
                resolved = min(acknowledged + datetime.timedelta(hours=rng.randint(1, 100)), now)
                row.update(resolved_at=resolved, resolved_by_id=handler, resolution="Sent a corrected invoice.")
                if status == CaseStatus.CLOSED:
                    row["closed_at"] = resolved
        rows.append(row)
    bulk_insert(Case, rows)
    # The "resolved" events (the served clients of pool managers count them).
    ids = [pk for (pk,) in _fetch("SELECT id FROM cases_case ORDER BY id")]
    events = [
        {"case_id": pk, "kind": CaseEventKind.RESOLVED, "at": row["resolved_at"], "manager_id": row["resolved_by_id"]}
        for pk, row in zip(ids, rows, strict=True)
        if row.get("resolved_at")
    ]
    bulk_insert(CaseEvent, ({**event, "actor_id": boss_id} for event in events))
    return len(rows)


def _ratings(rng: random.Random, now: datetime.datetime, scale: str, interactions: list[dict]) -> int:
    """Ratings of interactions from the last eight months, each through its (used) rating request."""
    n = {"small": 3_000, "full": 50_000}[scale]
    ids = [row[0] for row in _fetch("SELECT id FROM cases_interaction ORDER BY id")]
    since = now - datetime.timedelta(days=240)
    recent = [(pk, row) for pk, row in zip(ids, interactions, strict=True) if row["occurred_at"] >= since]
    chosen = rng.sample(recent, min(n, len(recent)))
    requests, ratings = [], []
    for index, (pk, row) in enumerate(chosen):
        sent = row["occurred_at"] + datetime.timedelta(minutes=30)
        rated = min(sent + datetime.timedelta(hours=rng.randint(1, 72)), now)
        requests.append(
            {
                "client_id": row["client_id"],
                "manager_id": row["manager_id"],
                "subject": RequestSubject.INTERACTION,
                "interaction_id": pk,
                "email": f"client{row['client_id']}@example.com",
                "language": "en",
                "created_at": sent,
                "token_hash": f"{index:064x}",
                "sent_at": sent,
                "expires_at": sent + datetime.timedelta(days=14),
                "used_at": rated,
            }
        )
        ratings.append((row, rated))
    bulk_insert(RatingRequest, requests)
    request_ids = dict(_fetch("SELECT interaction_id, id FROM feedback_ratingrequest"))
    stars = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5]
    return bulk_insert(
        Rating,
        (
            {
                "request_id": request_ids[pk],
                "client_id": row["client_id"],
                "manager_id": row["manager_id"],
                "stars": rng.choice(stars),
                "created_at": rated,
            }
            for (pk, _row), (row, rated) in zip(chosen, ratings, strict=True)
        ),
    )


def build(scale: str) -> User:
    """The client list's data set with MANAGERS[scale] managers, plus the dashboard's; returns a Management user."""
    boss, _busiest = bench_client_list.build(scale, managers=MANAGERS[scale])
    rng = random.Random(20_261_127)
    now = timezone.now()
    managers = _fetch("SELECT id, work_mode FROM managers_clientmanager ORDER BY id")
    personal = [pk for pk, mode in managers if mode == WorkMode.PERSONAL]
    pool = [pk for pk, mode in managers if mode == WorkMode.POOL]
    assigned = _fetch("SELECT client_id, manager_id FROM assignment_assignment WHERE end_date IS NULL ORDER BY id")
    owner = dict(assigned)
    clients = [(pk, bool(vip)) for pk, vip in _fetch("SELECT id, is_vip FROM clients_client ORDER BY id")]
    others = [pk for pk, _vip in clients if pk not in owner]
    interactions = _interactions(rng, now, boss.pk, assigned, pool, others)
    bulk_insert(Interaction, interactions)
    legal = _fetch("SELECT id, is_vip FROM clients_client WHERE kind = %s ORDER BY id", [ClientKind.LEGAL_ENTITY])
    won = _pipeline(rng, now, boss.pk, scale, [(pk, bool(vip)) for pk, vip in legal], owner, personal)
    cases = _cases(rng, now, boss.pk, scale, clients, owner, pool)
    rated = _ratings(rng, now, scale, interactions)
    analyze()
    print(
        f"# {BENCH}: {len(managers):,} managers, {len(assigned):,} current assignments, {len(interactions):,} "
        f"interactions, {won:,} acquisitions, {cases:,} cases, {rated:,} ratings",
        file=sys.stderr,
    )
    return User.objects.get(pk=boss.pk)


# ---------------------------------------------------------------------------------------------------------------
# Floors: set-based SQL for the default filters (no client group, no manager type), the figures each table shows
# ---------------------------------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _greatest() -> str:
    return "GREATEST" if connection.vendor == "postgresql" else "MAX"


# Employed personal managers: the rows of the load and risk tables.
PERSONAL = f"m.work_mode = '{WorkMode.PERSONAL}' AND m.employment_status <> '{EmploymentStatus.DISMISSED}'"


def floor_portfolio() -> list:
    """One pass over active clients, joined to their current assignment and its manager."""
    (legal, legal_free, vip, vip_free, covered, uncovered, known, matched) = _fetch(
        f"""
        SELECT COUNT(*) FILTER (WHERE c.kind = '{ClientKind.LEGAL_ENTITY}'),
               COUNT(*) FILTER (WHERE c.kind = '{ClientKind.LEGAL_ENTITY}' AND a.id IS NULL),
               COUNT(*) FILTER (WHERE c.is_vip),
               COUNT(*) FILTER (WHERE c.is_vip AND a.id IS NULL),
               COUNT(*) FILTER (WHERE c.is_vip AND m.vip_qualified),
               COUNT(*) FILTER (WHERE c.is_vip AND NOT m.vip_qualified),
               COUNT(a.id) FILTER (WHERE c.motivation <> '{Motivation.UNKNOWN}'),
               COUNT(*) FILTER (WHERE c.motivation = m.manager_type)
        FROM clients_client c
        LEFT JOIN assignment_assignment a ON a.client_id = c.id AND a.end_date IS NULL
        LEFT JOIN managers_clientmanager m ON m.id = a.manager_id
        WHERE c.status = '{ClientStatus.ACTIVE}'
        """
    )[0]
    return [
        (legal, None),
        (legal_free, _share(legal_free, legal)),
        (vip, None),
        (covered, _share(covered, vip)),
        (uncovered, _share(uncovered, vip)),
        (vip_free, _share(vip_free, vip)),
        (known, None),
        (matched, _share(matched, known)),
        (known - matched, _share(known - matched, known)),
    ]


def floor_load() -> dict:
    """Current assignments counted per manager, joined to the employed personal managers, fullest first."""
    rows = _fetch(
        f"""
        SELECT u.first_name, u.last_name, u.username, m.capacity, COALESCE(x.clients, 0), COALESCE(x.vip, 0),
               COUNT(*) OVER ()
        FROM managers_clientmanager m
        JOIN accounts_user u ON u.id = m.user_id
        LEFT JOIN (
            SELECT a.manager_id, COUNT(*) AS clients, COUNT(*) FILTER (WHERE c.is_vip) AS vip
            FROM assignment_assignment a JOIN clients_client c ON c.id = a.client_id
            WHERE a.end_date IS NULL
            GROUP BY a.manager_id
        ) x ON x.manager_id = m.id
        WHERE {PERSONAL}
        ORDER BY CASE WHEN m.capacity > 0 THEN COALESCE(x.clients, 0) * 1.0 / m.capacity ELSE 0 END DESC,
                 COALESCE(x.clients, 0) DESC, u.first_name || ' ' || u.last_name
        LIMIT {LIMIT}
        """
    )
    return {
        "total": rows[0][-1] if rows else 0,
        "rows": [
            [_name(first, last, username), clients, vip, capacity, _share(clients, capacity) or Decimal(0)]
            for first, last, username, capacity, clients, vip, _total in rows
        ],
    }


def floor_groups() -> list:
    """Current assignments per client group and manager type; active legal entities without one per group."""
    groups = _fetch("SELECT id, name FROM clients_clientgroup ORDER BY name")
    counts = dict(
        ((group_id, manager_type), n)
        for group_id, manager_type, n in _fetch(
            """
            SELECT c.group_id, m.manager_type, COUNT(*)
            FROM assignment_assignment a
            JOIN clients_client c ON c.id = a.client_id
            JOIN managers_clientmanager m ON m.id = a.manager_id
            WHERE a.end_date IS NULL
            GROUP BY c.group_id, m.manager_type
            """
        )
    )
    free = dict(
        _fetch(
            f"""
            SELECT c.group_id, COUNT(*)
            FROM clients_client c
            LEFT JOIN assignment_assignment a ON a.client_id = c.id AND a.end_date IS NULL
            WHERE c.status = '{ClientStatus.ACTIVE}' AND c.kind = '{ClientKind.LEGAL_ENTITY}' AND a.id IS NULL
            GROUP BY c.group_id
            """
        )
    )
    types = list(ManagerType.values)
    rows = [[name, *[counts.get((pk, t), 0) for t in types], free.get(pk, 0)] for pk, name in groups]
    if any(counts.get((None, t)) for t in types) or free.get(None):
        rows.append([_("No group"), *[counts.get((None, t), 0) for t in types], free.get(None, 0)])
    return rows


def _since() -> datetime.datetime:
    """The start of the knowledge window, as ``risks`` computes it."""
    today = timezone.localdate()
    return timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=panels.knowledge_days()), datetime.time.min)
    )


def floor_risk() -> dict:
    """Per employed personal manager, their active clients joined to the clients noted in the knowledge window,
    with the totals of active VIP and corporate clients; the largest share first."""
    corporate = f"c.kind = '{ClientKind.LEGAL_ENTITY}' AND NOT c.is_vip"
    known = f"c.motivation <> '{Motivation.UNKNOWN}'"
    share = f"""{_greatest()}(COALESCE(x.vip * 1.0 / NULLIF(t.vip, 0), 0),
                              COALESCE(x.corporate * 1.0 / NULLIF(t.corporate, 0), 0))"""
    rows = _fetch(
        f"""
        WITH totals AS (
            SELECT COUNT(*) FILTER (WHERE c.is_vip) AS vip, COUNT(*) FILTER (WHERE {corporate}) AS corporate
            FROM clients_client c WHERE c.status = '{ClientStatus.ACTIVE}'
        ),
        noted AS (SELECT DISTINCT client_id FROM cases_interaction WHERE occurred_at >= %s),
        per AS (
            SELECT a.manager_id, COUNT(*) AS clients, COUNT(*) FILTER (WHERE c.is_vip) AS vip,
                   COUNT(*) FILTER (WHERE {corporate}) AS corporate, COUNT(*) FILTER (WHERE {known}) AS motivation,
                   COUNT(n.client_id) AS notes, COUNT(n.client_id) FILTER (WHERE {known}) AS documented
            FROM assignment_assignment a
            JOIN clients_client c ON c.id = a.client_id
            LEFT JOIN noted n ON n.client_id = a.client_id
            WHERE a.end_date IS NULL AND c.status = '{ClientStatus.ACTIVE}'
            GROUP BY a.manager_id
        )
        SELECT u.first_name, u.last_name, u.username, COALESCE(x.clients, 0), COALESCE(x.vip, 0),
               COALESCE(x.corporate, 0), COALESCE(x.motivation, 0), COALESCE(x.notes, 0),
               COALESCE(x.documented, 0), t.vip, t.corporate, COUNT(*) OVER ()
        FROM managers_clientmanager m
        JOIN accounts_user u ON u.id = m.user_id
        CROSS JOIN totals t
        LEFT JOIN per x ON x.manager_id = m.id
        WHERE {PERSONAL}
        ORDER BY {share} DESC, COALESCE(x.clients, 0) DESC, u.first_name || ' ' || u.last_name
        LIMIT {LIMIT}
        """,
        [connection.ops.adapt_datetimefield_value(_since())],
    )
    result = []
    for first, last, username, clients, vip, corp, motivation, notes, documented, total_vip, total_corp, _n in rows:
        result.append(
            [
                _name(first, last, username),
                clients,
                vip,
                _share(vip, total_vip),
                corp,
                _share(corp, total_corp),
                _share(motivation, clients),
                _share(notes, clients),
                _share(documented, clients),
            ]
        )
    return {"total": rows[0][-1] if rows else 0, "rows": result}


def floor_acquisitions(f: Filters) -> dict:
    """Standing acquisitions of the period counted per month, and per manager (most first)."""
    month = "to_char(acquired_on, 'YYYY-MM')" if connection.vendor == "postgresql" else "substr(acquired_on, 1, 7)"
    where = "reversed_at IS NULL AND acquired_on >= %s AND acquired_on <= %s"
    params = [f.start, f.end]
    by_month = {
        key: (n, vip)
        for key, n, vip in _fetch(
            f"SELECT {month}, COUNT(*), COUNT(*) FILTER (WHERE was_vip) FROM pipeline_acquisition WHERE {where} "
            f"GROUP BY {month}",
            params,
        )
    }
    by_manager = _fetch(
        f"""
        SELECT u.first_name, u.last_name, x.n, x.vip, COUNT(*) OVER ()
        FROM (
            SELECT manager_id, COUNT(*) AS n, COUNT(*) FILTER (WHERE was_vip) AS vip
            FROM pipeline_acquisition WHERE {where} GROUP BY manager_id
        ) x
        JOIN managers_clientmanager m ON m.id = x.manager_id
        JOIN accounts_user u ON u.id = m.user_id
        ORDER BY x.n DESC, u.last_name, u.first_name, x.manager_id
        LIMIT {LIMIT}
        """,
        params,
    )
    months = [[m, *by_month.get(f"{m:%Y-%m}", (0, 0))] for m in f.months]
    return {
        "months": months,
        "total": by_manager[0][-1] if by_manager else 0,
        "managers": [[f"{first} {last}".strip(), n, vip] for first, last, n, vip, _total in by_manager],
    }


def _month_bucket(column: str, months: list[datetime.date], upper: datetime.datetime) -> tuple[str, list]:
    """A CASE giving the index of the month of ``column`` (months cut in the site's time zone), with its params."""
    ends = [Period(month, month).bounds()[0] for month in months[1:]] + [upper]
    sql = "CASE " + " ".join(f"WHEN {column} < %s THEN {index}" for index in range(len(months))) + " END"
    return sql, [connection.ops.adapt_datetimefield_value(end) for end in ends]


def floor_funnel(f: Filters) -> dict:
    """Opportunities opened in the period per manager, by the highest funnel stage their stage changes reached
    (grouped once per opportunity, then joined), and the total row."""
    lower, upper = Period(f.start, f.end).bounds()
    adapt = connection.ops.adapt_datetimefield_value
    rank = " ".join(f"WHEN '{stage}' THEN {index}" for index, stage in enumerate(FUNNEL_STAGES))
    reached = ", ".join(f"COUNT(*) FILTER (WHERE COALESCE(b.best, 0) >= {i})" for i in range(len(FUNNEL_STAGES)))
    rows = _fetch(
        f"""
        SELECT u.first_name, u.last_name, x.*
        FROM (
            SELECT o.manager_id, {reached}, COUNT(*) FILTER (WHERE o.stage = '{Stage.LOST}')
            FROM pipeline_opportunity o
            LEFT JOIN (
                SELECT opportunity_id, MAX(CASE to_stage {rank} ELSE 0 END) AS best
                FROM pipeline_stagechange GROUP BY opportunity_id
            ) b ON b.opportunity_id = o.id
            WHERE o.created_at >= %s AND o.created_at < %s
            GROUP BY o.manager_id
        ) x
        JOIN managers_clientmanager m ON m.id = x.manager_id
        JOIN accounts_user u ON u.id = m.user_id
        ORDER BY u.last_name, u.first_name, x.manager_id
        """,
        [adapt(lower), adapt(upper)],
    )

    def row(label: str, counts) -> list:
        *reached, lost = counts
        return [label, *reached, lost, reached[-1] / reached[0] if reached[0] else None]

    result = [row(f"{first} {last}".strip(), counts) for first, last, _manager, *counts in rows[:LIMIT]]
    if rows:
        result.append(row(str(_("All")), [sum(column) for column in zip(*[r[3:] for r in rows], strict=True)]))
    return {"total": len(rows), "rows": result}


def floor_served(f: Filters) -> dict:
    """The first page of employed pool managers by name, and the distinct clients each served per month: the
    month's interactions and resolutions of those managers (a UNION, deduplicated), counted per manager and month."""
    months = f.months
    lower, upper = Period(f.start, f.end).bounds()
    adapt = connection.ops.adapt_datetimefield_value
    managers = _fetch(
        f"""
        SELECT m.id, u.first_name, u.last_name, u.username, COUNT(*) OVER ()
        FROM managers_clientmanager m JOIN accounts_user u ON u.id = m.user_id
        WHERE m.work_mode = '{WorkMode.POOL}' AND m.employment_status <> '{EmploymentStatus.DISMISSED}'
        ORDER BY u.last_name, u.first_name, m.id
        LIMIT {LIMIT}
        """
    )
    if not managers:
        return {"total": 0, "rows": []}
    ids = ", ".join(str(row[0]) for row in managers)
    interaction_month, interaction_params = _month_bucket("occurred_at", months, upper)
    event_month, event_params = _month_bucket("e.at", months, upper)
    counts = {
        (manager_id, month): n
        for manager_id, month, n in _fetch(
            f"""
            SELECT manager_id, month, COUNT(*) FROM (
                SELECT manager_id, {interaction_month} AS month, client_id
                FROM cases_interaction
                WHERE manager_id IN ({ids}) AND occurred_at >= %s AND occurred_at < %s
                UNION
                SELECT e.manager_id, {event_month}, c.client_id
                FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
                WHERE e.kind = '{CaseEventKind.RESOLVED}' AND e.manager_id IN ({ids}) AND e.at >= %s AND e.at < %s
            ) served
            GROUP BY manager_id, month
            """,
            [*interaction_params, adapt(lower), adapt(upper), *event_params, adapt(lower), adapt(upper)],
        )
    }
    return {
        "total": managers[0][-1],
        "rows": [
            [_name(first, last, username), *[counts.get((pk, index), 0) for index in range(len(months))]]
            for pk, first, last, username, _total in managers
        ],
    }


def floor_cases() -> dict:
    """Open cases counted per handler (nobody included) with those past a target, most missed first. Every row is
    open, so a missed target is: acknowledged late, new past its acknowledge time, or past its resolve time."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = _fetch(
        f"""
        SELECT x.handler_id, u.first_name, u.last_name, x.open, x.breached, COUNT(*) OVER ()
        FROM (
            SELECT handler_id, COUNT(*) AS open,
                   COUNT(*) FILTER (WHERE acknowledged_at > acknowledge_due_at
                                    OR (status = '{CaseStatus.NEW}' AND acknowledge_due_at < %s)
                                    OR resolve_due_at < %s) AS breached
            FROM cases_case WHERE status IN ({", ".join(f"'{s}'" for s in OPEN)})
            GROUP BY handler_id
        ) x
        LEFT JOIN managers_clientmanager m ON m.id = x.handler_id
        LEFT JOIN accounts_user u ON u.id = m.user_id
        ORDER BY x.breached DESC, x.open DESC, u.last_name, x.handler_id
        LIMIT {LIMIT}
        """,
        [now, now],
    )
    return {
        "total": rows[0][-1] if rows else 0,
        "rows": [
            [f"{first} {last}".strip() if handler else _("Nobody yet (waits for Management)"), n, breached]
            for handler, first, last, n, breached, _total in rows
        ],
    }


def floor_ratings(f: Filters) -> dict:
    """The period's ratings counted and summed per manager and month (the month found by comparing with the
    months' bounds in the site's time zone), then per manager; the most rated first."""
    months = f.months
    bounds = [Period(m, m).bounds()[0] for m in months] + [Period(f.start, f.end).bounds()[1]]
    adapt = connection.ops.adapt_datetimefield_value
    bucket = "CASE " + " ".join(f"WHEN r.created_at < %s THEN {i}" for i in range(len(months))) + " END"
    rows = _fetch(
        f"""
        SELECT x.manager_id, u.first_name, u.last_name, u.username, x.month, x.n, x.total
        FROM (
            SELECT r.manager_id, {bucket} AS month, COUNT(*) AS n, SUM(r.stars) AS total
            FROM feedback_rating r
            WHERE r.created_at >= %s AND r.created_at < %s
            GROUP BY r.manager_id, month
        ) x
        JOIN managers_clientmanager m ON m.id = x.manager_id
        JOIN accounts_user u ON u.id = m.user_id
        """,
        [adapt(b) for b in bounds[1:]] + [adapt(bounds[0]), adapt(bounds[-1])],
    )
    weight, mean = rating_selectors.prior()
    per: dict[int, dict] = defaultdict(lambda: {"n": 0, "total": 0, "months": {}})
    for manager_id, first, last, username, month, n, total in rows:
        entry = per[manager_id]
        entry["name"] = _name(first, last, username)
        entry["n"] += n
        entry["total"] += total
        entry["months"][month] = (n, total)
    trends = sorted(per.values(), key=lambda e: (-e["n"], e["name"]))
    result = []
    for entry in trends[:LIMIT]:
        whole = summarise(total=entry["total"], count=entry["n"], prior_weight=weight, prior_mean=mean)
        monthly = [entry["months"].get(i) for i in range(len(months))]
        result.append(
            [
                entry["name"],
                entry["n"],
                whole.smoothed,
                *[
                    summarise(total=m[1], count=m[0], prior_weight=weight, prior_mean=mean).smoothed if m else None
                    for m in monthly
                ],
            ]
        )
    return {"total": len(trends), "rows": result}


# ---------------------------------------------------------------------------------------------------------------
# Ours, and the figures of its tables (the columns the floors give)
# ---------------------------------------------------------------------------------------------------------------


def _values(table, columns: list[int] | None = None) -> list[list]:
    return [[cell.value for i, cell in enumerate(row) if columns is None or i in columns] for row in table.rows]


def figures_portfolio(table) -> list:
    return [(row[1].value, row[2].value) for row in table.rows]


def figures_load(table) -> dict:
    return {"total": table.total, "rows": _values(table, [0, 4, 5, 6, 7])}


def figures_groups(table) -> list:
    return _values(table)


def figures_risk(table) -> dict:
    return {"total": table.total, "rows": _values(table, [0, 2, 3, 4, 5, 6, 7, 8, 9])}


def figures_acquisitions(tables) -> dict:
    months, managers = tables
    return {"months": _values(months), "total": managers.total, "managers": _values(managers)}


def figures_table(table) -> dict:
    return {"total": table.total, "rows": _values(table)}


figures_cases = figures_ratings = figures_table


def cases(user, f: Filters) -> list[tuple]:
    """(case, floor, ours, figures of ours): one per panel."""
    return [
        ("portfolio", floor_portfolio, lambda: panels.portfolio_table(user, f), figures_portfolio),
        ("load", floor_load, lambda: panels.load_table(user, f), figures_load),
        ("groups", floor_groups, lambda: panels.groups_table(user, f), figures_groups),
        ("risk", floor_risk, lambda: panels.risk_table(user, f), figures_risk),
        (
            "acquisitions",
            lambda: floor_acquisitions(f),
            lambda: (panels.acquisitions_table(user, f), panels.acquirers_table(user, f)),
            figures_acquisitions,
        ),
        ("funnel", lambda: floor_funnel(f), lambda: panels.funnel_table(user, f), figures_table),
        ("served", lambda: floor_served(f), lambda: panels.served_table(user, f), figures_table),
        ("cases", floor_cases, lambda: panels.cases_table(user, f), figures_cases),
        ("ratings", lambda: floor_ratings(f), lambda: panels.ratings_table(user, f), figures_ratings),
    ]


# Where each case's tables sit in the dashboard's sections (section key, table key).
DASHBOARD_TABLES = {
    "portfolio": ["portfolio"],
    "load": ["load"],
    "groups": ["groups"],
    "risk": ["risk"],
    "acquisitions": ["acquisitions", "acquirers"],
    "funnel": ["funnel"],
    "served": ["served"],
    "cases": ["cases"],
    "ratings": ["ratings"],
}


def _dashboard_figures(found: list, figures) -> object:
    by_key = {table.key: table for section in found for table in section.tables}
    tables = [by_key[key] for key in DASHBOARD_TABLES[figures[0]]]
    return figures[1](tables[0] if len(tables) == 1 else tuple(tables))


class Mismatch(AssertionError):
    pass


def check(case: str, expected, got) -> None:
    if expected != got:
        print(f"# {BENCH} {case}: floor {expected!r}", file=sys.stderr)
        print(f"# {BENCH} {case}: ours  {got!r}", file=sys.stderr)
        raise Mismatch(f"{case}: ours and the floor gave other figures")


def run(scale: str) -> list[dict]:
    started = time.perf_counter()
    boss = build(scale)
    built = time.perf_counter() - started
    print(f"# {BENCH}: built {SIZES[scale]:,} clients in {built:.1f} s", file=sys.stderr)
    f = Filters.default()
    rounds = ROUNDS[scale]
    extra = {"clients": SIZES[scale], "managers": MANAGERS[scale]}
    results = []
    all_cases = cases(boss, f)
    for case, floor, ours, figures in all_cases:
        expected = floor()
        check(case, expected, figures(ours()))
        timing = compare(floor, ours, rounds=rounds)
        results.append(case_result(BENCH, case, target=TARGET, timing=timing, **extra))
        print(f"# {BENCH} {case}: {timing}", file=sys.stderr)

    def floors():
        return [floor() for _case, floor, _ours, _figures in all_cases]

    def dashboard():
        return sections.dashboard_sections(boss, f)

    found = dashboard()
    for (case, _floor, _ours, figures), expected in zip(all_cases, floors(), strict=True):
        check(f"dashboard/{case}", expected, _dashboard_figures(found, (case, figures)))
    timing = compare(floors, dashboard, rounds=rounds)
    print(f"# {BENCH} dashboard: {timing}", file=sys.stderr)
    results.append(case_result(BENCH, "dashboard", target=DASHBOARD_TARGET, timing=timing, **extra))
    return results
