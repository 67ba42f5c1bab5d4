#!/usr/bin/env python
"""Build the load test's data set into the database that ``DATABASE_URL`` names (which must be empty):

    DATABASE_URL=sqlite:////tmp/load.sqlite3 python loadtest/build.py [--clients 50000]

The demo company (its users for every role, password ``rapport-demo``; its cases, interactions, pay periods and
hiring records) with its client registry filled up to ``--clients`` by raw bulk inserts, as the client list
benchmark builds them (``bench.bench_client_list``), and a share of the new legal entities assigned to the demo's
personal managers within their capacity. Runs in well under a minute for 50,000 clients on SQLite.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50_000


def build(clients: int) -> dict:
    """Migrate, build the demo company and add clients up to ``clients``; return a few figures."""
    from django.core.management import call_command
    from django.db import connection

    from bench.bench_client_list import _client_rows
    from bench.harness import analyze, bulk_insert, today
    from rapport.accounts.models import User
    from rapport.assignment.choices import AssignmentReason
    from rapport.assignment.models import Assignment
    from rapport.clients.choices import ClientKind
    from rapport.clients.models import Client, ClientGroup
    from rapport.demo.services import build_demo
    from rapport.managers.choices import EmploymentStatus, WorkMode
    from rapport.managers.models import ClientManager

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    build_demo()
    demo = time.perf_counter()

    rng = random.Random(20_261_127)
    group_ids = list(ClientGroup.objects.values_list("pk", flat=True))
    missing = max(0, clients - Client.objects.count())
    first_new = (Client.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    bulk_insert(Client, _client_rows(missing, rng, group_ids))

    # Fill the personal managers up to their capacity with new legal entities, so their own lists are full-sized.
    boss = User.objects.get(username="boss")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM clients_client WHERE id >= %s AND kind = %s AND is_vip = %s",
            [first_new, ClientKind.LEGAL_ENTITY, False],
        )
        free = [pk for (pk,) in cursor.fetchall()]
    rng.shuffle(free)
    assignments = []
    start = today() - datetime.timedelta(days=200)
    for manager in ClientManager.objects.filter(
        work_mode=WorkMode.PERSONAL, employment_status=EmploymentStatus.ACTIVE
    ).order_by("pk"):
        room = manager.capacity - Assignment.objects.filter(manager=manager, end_date__isnull=True).count()
        for _ in range(max(0, room)):
            assignments.append(
                {
                    "client_id": free.pop(),
                    "manager_id": manager.pk,
                    "start_date": start + datetime.timedelta(days=rng.randint(0, 150)),
                    "reason": AssignmentReason.PLAN,
                    "actor_id": boss.pk,
                }
            )
    bulk_insert(Assignment, assignments)
    analyze()
    return {
        "clients": Client.objects.count(),
        "assignments": len(assignments),
        "migrate_s": round(migrated - started, 1),
        "demo_s": round(demo - migrated, 1),
        "bulk_s": round(time.perf_counter() - demo, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    figures = build(args.clients)
    print(
        f"load data: {figures['clients']:,} clients ({figures['assignments']:,} new assignments); "
        f"migrate {figures['migrate_s']} s, demo {figures['demo_s']} s, bulk {figures['bulk_s']} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
