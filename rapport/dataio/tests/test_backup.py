"""Backup under concurrent writes, restore into a fresh database, and compare every table.

A writer thread commits, over and over, one new client together with its history record while the backup runs.
The backup is one snapshot, so the restored database holds as many history records as clients, no fewer than
before the backup started and no more than after it, and every table's row count and checksum equal the backup's
and (for the tables nobody wrote to) the source's.
"""

import os
import sqlite3
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rapport.clients.models import Client
from rapport.core.testing import make_client, make_user
from rapport.dataio import backup
from rapport.dataio.sql import history_columns

pytestmark = pytest.mark.django_db(transaction=True)

WRITTEN = {"clients_client", "clients_historicalclient"}


def _writer_sql(placeholder: str) -> tuple[str, str]:
    """Copy client 1 as a new client (a new registration number) and record its history."""
    columns = [f.column for f in Client._meta.concrete_fields if f.column not in ("id", "registration_number")]
    listed = ", ".join(columns)
    insert = (
        f"INSERT INTO clients_client ({listed}, registration_number) "  # noqa: S608
        f"SELECT {listed}, {placeholder} FROM clients_client WHERE id = {placeholder}"
    )
    copied = ", ".join(history_columns(Client))
    history = (
        f"INSERT INTO clients_historicalclient ({copied}, history_date, history_type, history_change_reason) "  # noqa: S608
        f"SELECT {copied}, updated_at, '+', 'test' FROM clients_client WHERE registration_number = {placeholder}"
    )
    return insert, history


class Writer(threading.Thread):
    """Commits client + history pairs through its own connection until stopped."""

    def __init__(self, connect, placeholder: str, template_id: int):
        super().__init__(daemon=True)
        self.connect = connect
        self.sql = _writer_sql(placeholder)
        self.template_id = template_id
        self.commits = 0
        self.stop = threading.Event()
        self.error = None

    def run(self):
        conn = self.connect()
        try:
            while not self.stop.is_set():
                number = f"W-{uuid.uuid4().hex[:12]}"
                cursor = conn.cursor()
                cursor.execute(self.sql[0], (number, self.template_id))
                cursor.execute(self.sql[1], (number,))
                conn.commit()
                self.commits += 1
        except Exception as exc:  # the test reports it
            self.error = exc
        finally:
            conn.close()

    def wait_for(self, commits: int) -> None:
        deadline = time.monotonic() + 30
        while self.commits < commits and time.monotonic() < deadline and self.error is None:
            time.sleep(0.01)


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
    return cursor.fetchone()[0]


def _check_snapshot(restored: dict, source_before: dict, clients_before: int, clients_after: int) -> None:
    clients, history = restored["clients_client"][0], restored["clients_historicalclient"][0]
    # one snapshot: every committed pair or none of it, between what existed before and after the backup
    assert clients == history
    assert clients_before <= clients <= clients_after
    for table, fingerprint in source_before.items():
        if table not in WRITTEN:
            assert restored[table] == fingerprint, table


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup")
def test_sqlite_backup_under_concurrent_writes(tmp_path):
    # given a file database (a copy of the migrated test database) with users and a client
    make_user(username="keeper")
    template = make_client(name="Template Kft.")
    source = tmp_path / "live.sqlite3"
    backup.sqlite_backup(connection.settings_dict["NAME"], source)
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        source_before = backup.database_fingerprint(conn.cursor(), "sqlite")

    # when a writer commits clients while the database is backed up
    writer = Writer(lambda: sqlite3.connect(source, timeout=30), "?", template.pk)
    writer.start()
    writer.wait_for(20)
    with sqlite3.connect(source) as conn:
        clients_before = _count(conn.cursor(), "clients_client")
    output = tmp_path / "backup.sqlite3"
    backup.sqlite_backup(str(source), output)
    with sqlite3.connect(source) as conn:
        clients_after = _count(conn.cursor(), "clients_client")
    writer.wait_for(writer.commits + 20)
    writer.stop.set()
    writer.join()
    assert writer.error is None

    # and the backup is restored into a fresh database file
    fresh = tmp_path / "fresh.sqlite3"
    backup.sqlite_restore(output, str(fresh))

    # then the fresh database equals the backup table by table, and the backup is one consistent snapshot
    with sqlite3.connect(fresh) as conn:
        restored = backup.database_fingerprint(conn.cursor(), "sqlite")
    with sqlite3.connect(output) as conn:
        assert backup.database_fingerprint(conn.cursor(), "sqlite") == restored
    assert 1 + writer.commits > clients_after  # the writer went on after the backup
    _check_snapshot(restored, source_before, clients_before, clients_after)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite commands")
def test_backup_and_restore_commands(tmp_path):
    # given a database with a client, backed up by the command
    make_client(name="Kept Kft.")
    output = tmp_path / "rapport.sqlite3"
    call_command("backup", output=output, stdout=open(os.devnull, "w"))  # noqa: SIM115
    before = backup.database_fingerprint(connection.cursor(), "sqlite")

    # when it is restored over the database, which holds data / then it is refused and nothing changes
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(output))
    assert backup.database_fingerprint(connection.cursor(), "sqlite") == before

    # when a client is added and the backup is restored with --force / then the database is the backup again
    make_client(name="Added later Kft.")
    call_command("restore", str(output), force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(Client.objects.values_list("name", flat=True)) == ["Kept Kft."]
    assert backup.database_fingerprint(connection.cursor(), "sqlite") == before


@pytest.mark.skipif(
    connection.vendor != "postgresql" or backup.pg_tool("pg_dump") is None,
    reason="the PostgreSQL backup needs a PostgreSQL test database and pg_dump",
)
def test_postgresql_backup_under_concurrent_writes(tmp_path):
    import psycopg
    from psycopg import sql as pgsql

    # given a database with users and a client
    make_user(username="keeper")
    template = make_client(name="Template Kft.")
    settings_dict = connection.settings_dict
    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    params = {k: v for k, v in params.items() if v}
    # Read through the same plain driver connection as the restored database (Django's adapts types its own way).
    with psycopg.connect(**params) as conn:
        source_before = backup.database_fingerprint(conn.cursor(), "postgresql")

    # when a writer commits clients while pg_dump runs
    writer = Writer(lambda: psycopg.connect(**params), "%s", template.pk)
    writer.start()
    writer.wait_for(20)
    with connection.cursor() as cursor:
        clients_before = _count(cursor, "clients_client")
    output = tmp_path / "backup.dump"
    backup.backup_database(output=output)
    with connection.cursor() as cursor:
        clients_after = _count(cursor, "clients_client")
    writer.wait_for(writer.commits + 20)
    writer.stop.set()
    writer.join()
    assert writer.error is None

    # and it is restored into a fresh database
    fresh = f"{settings_dict['NAME']}_restore_{os.getpid()}"
    admin = psycopg.connect(**params, autocommit=True)
    admin.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(fresh)))
    try:
        backup.pg_restore({**settings_dict, "NAME": fresh}, output)
        with psycopg.connect(**{**params, "dbname": fresh}) as conn:
            restored = backup.database_fingerprint(conn.cursor(), "postgresql")
    finally:
        admin.execute(pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(pgsql.Identifier(fresh)))
        admin.close()

    # then it is one consistent snapshot and the tables nobody wrote to equal the source's
    _check_snapshot(restored, source_before, clients_before, clients_after)
