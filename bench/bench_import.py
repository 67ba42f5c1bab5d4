"""The client import: a whole CSV file of clients imported, against the least work that stores the same rows.

Data: a CSV file of N client rows (small: 20,000; full: 1,000,000), built from a seeded RNG: an external id on
every row, 70 % legal entities with a registration number, 30 % individuals; name, e-mail, city, country, client
group (by name, 80 % of rows), status, motivation, and 3 % VIPs with their date and reason. The clients table starts
empty (six client groups exist).

Cases:
- ``clients`` / ``time``: ours is ``dataio.services.import_data(kind="clients", ...)`` with the columns guessed
  from the headers: read the file, parse and validate every column by the client form's rules, apply the rules of
  ``clients.rules``, match and de-duplicate on external id and registration number, write the rows (indexes
  dropped and rebuilt at the end for a load this size: they are live when it returns), write one history record
  per client, commit. The floor reads the same file with ``csv.reader`` and writes the same columns (the CSV's
  values as they are, the group id looked up in a dict, constants for the rest) in one transaction into the
  same table with its indexes live: one ``executemany`` on SQLite, COPY on PostgreSQL. Both start from an empty
  table (emptied untimed between runs), alternate, and the median ratio ours / floor is reported. Targets: 1.5 on
  SQLite, 2 on PostgreSQL.
- ``clients_no_history`` / ``time``: the same without writing the history records (the import's
  ``history=False``, which only the benchmark uses), to show what the audit trail costs. Informational: its
  ``ok`` says only that the rows were right (``within_target`` compares its ratio with the target).

Checks: ours must report N created rows and leave N clients and N history records; the floor N clients.
"""

import csv
import io
import random
import statistics
import sys
import time

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from bench.harness import case_result
from rapport.accounts.models import User
from rapport.accounts.roles import Role
from rapport.clients.models import Client, ClientGroup
from rapport.dataio.services import import_data

BENCH = "import"
SIZES = {"small": 20_000, "full": 1_000_000}
ROUNDS = {"small": 5, "full": 3}
TARGETS = {"sqlite": 1.5, "postgresql": 2.0}
GROUPS = ["Retail", "Industry", "Software", "Public sector", "Logistics", "Healthcare"]
HEADERS = [
    "External id",
    "Kind",
    "Name",
    "Registration number",
    "E-mail",
    "City",
    "Country",
    "Client group",
    "Status",
    "Motivation",
    "VIP",
    "VIP since",
    "VIP reason",
]
SYLLABLES = ["ab", "el", "or", "in", "ka", "mo", "ri", "ta", "ve", "lu", "zo", "ne", "sa", "di", "pe", "gu"]
SUFFIXES = ["Kft.", "Zrt.", "Bt.", "Ltd", "GmbH", "Nyrt.", "Holding", "Trade"]
FIRST_NAMES = ["Anna", "Béla", "Csaba", "Dóra", "Eszter", "Ferenc", "Gábor", "Ilona", "János", "Katalin"]


def _log(message: str) -> None:
    print(f"# {BENCH}: {message}", file=sys.stderr, flush=True)


def build_csv(n: int) -> bytes:
    """The file: N rows in the import's own header names."""
    rng = random.Random(20_261_127)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    statuses = ["active"] * 13 + ["prospect"] * 4 + ["former"] * 3
    motivations = ["unknown", "advice", "decision", "partnership"]
    cities = ["Budapest", "Debrecen", "Szeged", "Pécs", "Győr"]
    for i in range(n):
        legal = rng.random() < 0.7
        vip = legal and rng.random() < 0.03
        writer.writerow(
            [
                f"C{i:08d}",
                "legal_entity" if legal else "individual",
                f"{word()} {word()} {rng.choice(SUFFIXES)}" if legal else f"{word()} {rng.choice(FIRST_NAMES)}",
                f"01-09-{i:07d}" if legal else "",
                f"client{i}@example.com",
                rng.choice(cities),
                "HU",
                rng.choice(GROUPS) if rng.random() < 0.8 else "",
                rng.choice(statuses),
                rng.choice(motivations),
                "yes" if vip else "no",
                "2023-01-01" if vip else "",
                "Main source of profit" if vip else "",
            ]
        )
    return out.getvalue().encode()


def _floor(data: bytes, group_ids: dict[str, int]):
    """csv.reader and one executemany (COPY on PostgreSQL) of the same columns in one transaction."""
    fields = [f for f in Client._meta.concrete_fields if not f.primary_key]
    csv_fields = [
        "external_id",
        "kind",
        "name",
        "registration_number",
        "email",
        "city",
        "country",
        "group_id",
        "status",
        "motivation",
        "is_vip",
        "vip_since",
        "vip_reason",
    ]
    constant_fields = [f for f in fields if f.attname not in csv_fields]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    constants = tuple(now if f.attname in ("created_at", "updated_at") else f.get_default() for f in constant_fields)
    columns = [Client._meta.get_field(name).column for name in csv_fields] + [f.column for f in constant_fields]
    quote = connection.ops.quote_name
    table = quote(Client._meta.db_table)
    column_list = ", ".join(quote(c) for c in columns)

    def rows():
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        next(reader)
        for ext, kind, name, number, email, city, country, group, status, motivation, vip, since, reason in reader:
            yield (
                ext,
                kind,
                name,
                number,
                email,
                city,
                country,
                group_ids.get(group),
                status,
                motivation,
                vip == "yes",
                since or None,
                reason,
                *constants,
            )

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})", rows())

    return floor


def _empty() -> None:
    """Empty the clients and their history (untimed, between runs)."""
    history = Client.history.model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {history}, {Client._meta.db_table} CASCADE")  # the bench database: all empty
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute(f"DELETE FROM {history}")
            cursor.execute(f"DELETE FROM {Client._meta.db_table}")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _count(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def _measure(case: str, n: int, rounds: int, floor, ours, check_ours) -> dict:
    """Alternate floor and ours from an empty table each time; check what ours left; median ratio."""
    ratios, floor_times, our_times = [], [], []
    error = None
    for index in range(rounds):
        order = [("floor", floor), ("ours", ours)] if index % 2 == 0 else [("ours", ours), ("floor", floor)]
        times = {}
        for side, fn in order:
            _empty()
            started = time.perf_counter()
            fn()
            times[side] = time.perf_counter() - started
            clients = _count(Client)
            if clients != n:
                error = f"{side} left {clients} clients, expected {n}"
            if side == "ours":
                error = check_ours() or error
        ratios.append(times["ours"] / times["floor"])
        floor_times.append(times["floor"])
        our_times.append(times["ours"])
        _log(f"{case} round {index + 1}: floor {times['floor']:.2f} s, ours {times['ours']:.2f} s")
    timing = {
        "ratio": round(statistics.median(ratios), 3),
        "floor_ms": round(statistics.median(floor_times) * 1000, 1),
        "ours_ms": round(statistics.median(our_times) * 1000, 1),
        "rounds": rounds,
    }
    target = TARGETS.get(connection.vendor, TARGETS["postgresql"])
    return case_result(BENCH, case, target=target, timing=timing, error=error, rows=n)


def run(scale: str) -> list[dict]:
    n = SIZES[scale]
    started = time.perf_counter()
    ClientGroup.objects.bulk_create(ClientGroup(name=name) for name in GROUPS)
    group_ids = dict(ClientGroup.objects.values_list("name", "pk"))
    boss = User.objects.create_user(username="bench-boss", first_name="Bench", last_name="Boss")
    boss.groups.add(Group.objects.get(name=Role.MANAGEMENT.value))
    boss = User.objects.get(pk=boss.pk)
    data = build_csv(n)
    _log(f"built a {len(data) / 1e6:.0f} MB file of {n:,} rows in {time.perf_counter() - started:.1f} s")

    results = []
    for case, history in (("clients", True), ("clients_no_history", False)):
        reports = []

        def ours(history=history, reports=reports):
            reports.append(import_data(kind="clients", data=data, actor=boss, history=history).counts)

        def check_ours(history=history, reports=reports):
            expected = {"created": n, "updated": 0, "unchanged": 0, "refused": 0}
            if reports[-1] != expected:
                return f"ours reported {reports[-1]}, expected {expected}"
            records = _count(Client.history.model)
            if records != (n if history else 0):
                return f"ours left {records} history records"
            return None

        result = _measure(case, n, ROUNDS[scale], _floor(data, group_ids), ours, check_ours)
        if not history:
            result.update(ok="error" not in result, within_target=result["ratio"] <= result["target"])
        results.append(result)
    _empty()
    return results
