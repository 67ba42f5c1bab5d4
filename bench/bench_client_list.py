"""The client list: the first page of ``client_list`` against one hand-written SQL query returning the same rows.

Data: N clients (small: 20,000; full: 1,000,000), 200 client managers, the personal ones each holding up to their
capacity of legal-entity clients, with some ended assignments in the history.

Cases (page = 25 rows plus one to know whether a next page exists):
- ``management_search_page``: Management searches active clients whose name contains "ab".
- ``manager_own_page``: a personal manager opens their own client list.

The floor selects the same columns (client, group, current manager id) with one raw query through
``connection.cursor()``; ours is ``client_list(...)[0:26]`` materialised as model instances. The user object is
reused, as within one request, so the one role lookup per request is not part of either side.
"""

import datetime
import random
import sys
import time

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection

from bench.harness import analyze, bulk_insert, case_result, compare, today
from rapport.accounts.models import User
from rapport.accounts.roles import Role
from rapport.assignment.choices import AssignmentReason
from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.clients.selectors import client_list
from rapport.managers.choices import EmploymentStatus, ManagerLevel, ManagerType, WorkMode
from rapport.managers.models import ClientManager, default_capacity

BENCH = "client_list"
SIZES = {"small": 20_000, "full": 1_000_000}
MANAGERS = 200
PAGE = 26
# Targets. "sql": the ORM's own SQL against the hand-written query, through the same raw cursor; this is the part
# that grows with the data, so it must stay close to the floor. "time": the whole selector, model instances
# included, against the raw rows; Django spends a fixed ~2.5 ms building the query and 26 model objects, which is
# ~12x a 0.2 ms SQLite page and ~3.5x a PostgreSQL one. The time targets sit above that fixed cost and catch what
# would multiply it (an N+1 query per row, a lost index, a COUNT over the table).
SQL_TARGET = 1.5
TIME_TARGETS = {"sqlite": 20.0, "postgresql": 6.0}
SEARCH = "ab"

SYLLABLES = ["ab", "el", "or", "in", "ka", "mo", "ri", "ta", "ve", "lu", "zo", "ne", "sa", "di", "pe", "gu"]
SUFFIXES = ["Kft.", "Zrt.", "Bt.", "Ltd", "GmbH", "Nyrt.", "Holding", "Trade"]
FIRST_NAMES = ["Anna", "Béla", "Csaba", "Dóra", "Eszter", "Ferenc", "Gábor", "Ilona", "János", "Katalin", "Abel"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _client_rows(n: int, rng: random.Random, group_ids: list[int]):
    statuses = [ClientStatus.ACTIVE] * 13 + [ClientStatus.PROSPECT] * 4 + [ClientStatus.FORMER] * 3
    motivations = list(Motivation.values)
    vip_since = datetime.date(2023, 1, 1)
    for i in range(n):
        legal = rng.random() < 0.7
        row = {
            "kind": ClientKind.LEGAL_ENTITY if legal else ClientKind.INDIVIDUAL,
            "name": f"{_word(rng)} {_word(rng)} {rng.choice(SUFFIXES)}"
            if legal
            else f"{_word(rng)} {rng.choice(FIRST_NAMES)}",
            "registration_number": f"01-09-{i:07d}" if legal else "",
            "email": f"client{i}@example.com",
            "city": rng.choice(["Budapest", "Debrecen", "Szeged", "Pécs", "Győr"]),
            "country": "HU",
            "group_id": rng.choice(group_ids) if rng.random() < 0.8 else None,
            "status": rng.choice(statuses),
            "motivation": rng.choice(motivations),
        }
        if legal and rng.random() < 0.03:
            row.update(is_vip=True, vip_since=vip_since, vip_reason="Main source of profit")
        yield row


def build(scale: str, managers: int = MANAGERS) -> tuple[User, User]:
    """Build the data set with ``managers`` client managers; return (a Management user, the personal manager's
    user with the most clients)."""
    rng = random.Random(20_241_127)
    n_clients = SIZES[scale]
    groups = ClientGroup.objects.bulk_create(
        ClientGroup(name=name, manager_types=types)
        for name, types in [
            ("Retail", ["advice"]),
            ("Industry", ["decision", "partnership"]),
            ("Software", ["decision"]),
            ("Public sector", ["partnership"]),
            ("Logistics", ["advice", "partnership"]),
            ("Healthcare", ["partnership"]),
        ]
    )
    group_ids = [g.pk for g in ClientGroup.objects.all()] if groups[0].pk is None else [g.pk for g in groups]

    boss = User.objects.create_user(username="bench-boss", first_name="Bench", last_name="Boss")
    boss.groups.add(Group.objects.get(name=Role.MANAGEMENT.value))
    width = max(3, len(str(managers - 1)))
    User.objects.bulk_create(
        User(
            username=f"bench-manager-{i:0{width}d}",
            first_name="Manager",
            last_name=f"{i:0{width}d}",
            password=make_password(None),
        )
        for i in range(managers)
    )
    users = list(User.objects.filter(username__startswith="bench-manager-").order_by("username"))
    role = Group.objects.get(name=Role.CLIENT_MANAGER.value)
    User.groups.through.objects.bulk_create(User.groups.through(user_id=u.pk, group_id=role.pk) for u in users)

    hire = datetime.date(2020, 1, 1)
    levels = list(ManagerLevel.values)
    types = list(ManagerType.values)
    profiles = []
    for i, user in enumerate(users):
        level = rng.choice(levels)
        profiles.append(
            ClientManager(
                user=user,
                manager_type=types[i % len(types)],
                level=level,
                work_mode=WorkMode.PERSONAL if i % 5 < 3 else WorkMode.POOL,
                vip_qualified=rng.random() < 0.3,
                capacity=default_capacity(level),
                employment_status=EmploymentStatus.ACTIVE,
                status_since=hire,
                hire_date=hire,
                years_of_experience=rng.randint(1, 15),
            )
        )
    ClientManager.objects.bulk_create(profiles)
    profiles = list(ClientManager.objects.filter(user__in=users).order_by("id"))

    bulk_insert(Client, _client_rows(n_clients, rng, group_ids))

    # Personal managers get legal entities (VIPs only if VIP-qualified), each up to their capacity.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, is_vip FROM clients_client WHERE kind = %s", [ClientKind.LEGAL_ENTITY])
        legal = cursor.fetchall()
    rng.shuffle(legal)
    plain = [pk for pk, vip in legal if not vip]
    vips = [pk for pk, vip in legal if vip]
    start = today() - datetime.timedelta(days=400)
    assignments = []
    loads: dict[int, int] = {}
    personal = [p for p in profiles if p.work_mode == WorkMode.PERSONAL]
    for manager in personal:
        load = rng.randint(manager.capacity // 2, manager.capacity)
        for _ in range(load):
            pool = vips if manager.vip_qualified and vips and rng.random() < 0.1 else plain
            if not pool:
                break
            client_id = pool.pop()
            began = start + datetime.timedelta(days=rng.randint(0, 300))
            if rng.random() < 0.2:  # an earlier manager in the history
                other = rng.choice(personal)
                assignments.append(
                    {
                        "client_id": client_id,
                        "manager_id": other.pk,
                        "start_date": began - datetime.timedelta(days=200),
                        "end_date": began,
                        "reason": AssignmentReason.MANUAL,
                        "actor_id": boss.pk,
                        "ended_by_id": boss.pk,
                    }
                )
            assignments.append(
                {
                    "client_id": client_id,
                    "manager_id": manager.pk,
                    "start_date": began,
                    "reason": AssignmentReason.PLAN,
                    "actor_id": boss.pk,
                }
            )
            loads[manager.pk] = loads.get(manager.pk, 0) + 1
    bulk_insert(Assignment, assignments)
    analyze()

    busiest = max(personal, key=lambda p: (loads.get(p.pk, 0), -p.pk))
    return User.objects.get(pk=boss.pk), User.objects.get(pk=busiest.user_id)


def _floor_management(status: str, term: str):
    """The search page in one hand-written query, in the form each database runs fastest (measured): a join for
    the current manager and LIKE (case-insensitive for ASCII) on SQLite; a scalar subquery and UPPER ... LIKE on
    PostgreSQL, where both beat a LEFT JOIN and ILIKE."""
    if connection.vendor == "postgresql":
        sql = f"""
            SELECT c.*, g.*,
                   (SELECT a.manager_id FROM assignment_assignment a WHERE a.client_id = c.id AND a.end_date IS NULL)
            FROM clients_client c
            LEFT JOIN clients_clientgroup g ON g.id = c.group_id
            WHERE c.status = %s AND (UPPER(c.name) LIKE UPPER(%s) OR c.registration_number = %s)
            ORDER BY c.name, c.id
            LIMIT {PAGE}
        """
    else:
        sql = f"""
            SELECT c.*, g.*, a.manager_id
            FROM clients_client c
            LEFT JOIN clients_clientgroup g ON g.id = c.group_id
            LEFT JOIN assignment_assignment a ON a.client_id = c.id AND a.end_date IS NULL
            WHERE c.status = %s AND (c.name LIKE %s OR c.registration_number = %s)
            ORDER BY c.name, c.id
            LIMIT {PAGE}
        """
    params = [status, f"%{term}%", term]

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return floor


def _floor_manager(user_id: int):
    """A manager's own page in one hand-written query: the current assignments of their profile, joined."""
    sql = f"""
        SELECT c.*, g.*, a.manager_id
        FROM clients_client c
        JOIN assignment_assignment a ON a.client_id = c.id AND a.end_date IS NULL
        JOIN managers_clientmanager m ON m.id = a.manager_id
        LEFT JOIN clients_clientgroup g ON g.id = c.group_id
        WHERE m.user_id = %s
        ORDER BY c.name, c.id
        LIMIT {PAGE}
    """

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            return cursor.fetchall()

    return floor


def _raw(queryset):
    """The SQL that the ORM generates for ``queryset``, run through a plain cursor (no compiling, no models)."""
    sql, params = queryset.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def _measure(case: str, floor, make_queryset) -> dict:
    """Check that ours returns the floor's rows, then time both.

    Besides the ratio, ``orm_sql_ratio`` times the ORM's own SQL through a raw cursor against the floor: it tells
    a slower query plan (a problem that grows with the data) from the fixed Python cost of building the query
    and the model instances (a constant per page).
    """

    def ours():
        return list(make_queryset()[0:PAGE])

    time_target = TIME_TARGETS.get(connection.vendor, TIME_TARGETS["postgresql"])
    expected = [(row[0], row[-1]) for row in floor()]
    got = [(c.pk, c.current_manager_id) for c in ours()]
    error = None
    if len(expected) < PAGE:
        error = f"floor returned {len(expected)} rows"
    elif got != expected:
        error = "ours and the floor returned other rows"
    if error:
        return [
            case_result(BENCH, case, target=SQL_TARGET, timing=None, error=error, metric="sql"),
            case_result(BENCH, case, target=time_target, timing=None, error=error),
        ]
    return [
        case_result(BENCH, case, target=SQL_TARGET, timing=compare(floor, _raw(make_queryset()[0:PAGE])), metric="sql"),
        case_result(BENCH, case, target=time_target, timing=compare(floor, ours), rows=len(expected)),
    ]


def run(scale: str) -> list[dict]:
    started = time.perf_counter()
    boss, manager_user = build(scale)
    print(f"# {BENCH}: built {SIZES[scale]:,} clients in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    results = [
        *_measure(
            "management_search_page",
            _floor_management(ClientStatus.ACTIVE, SEARCH),
            lambda: client_list(user=boss, filters={"status": "active", "q": SEARCH}),
        ),
        *_measure(
            "manager_own_page",
            _floor_manager(manager_user.pk),
            lambda: client_list(user=manager_user, filters={}),
        ),
    ]
    return [result | {"clients": SIZES[scale]} for result in results]
