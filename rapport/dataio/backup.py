"""Online backup and restore of the database.

SQLite: the sqlite3 backup API copies the database in one step under a read transaction, so the copy is one
consistent snapshot; in WAL mode (the app's setting) writers go on meanwhile. PostgreSQL: ``pg_dump`` in its
custom format, which also reads one snapshot; ``pg_restore`` loads it. A restore refuses to overwrite a
database that already holds users or clients unless forced.

``database_fingerprint`` gives, per table, the row count and a checksum of the rows in primary-key order, so a
restored database can be compared with its source.
"""

import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.dataio.errors import DataImportError

# Tables whose rows mean the database is in use (a migrated, empty database has none).
IN_USE_TABLES = ("accounts_user", "clients_client")


def default_backup_name(vendor: str) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(f"rapport-{stamp}.{'sqlite3' if vendor == 'sqlite' else 'dump'}")


def _sqlite_connect(name: str) -> sqlite3.Connection:
    uri = str(name).startswith("file:")
    return sqlite3.connect(str(name), uri=uri, timeout=30)


def sqlite_backup(source: str, output: Path) -> None:
    """Copy the SQLite database ``source`` (a path or ``file:`` URI) to ``output``, in one step (one snapshot)."""
    output.unlink(missing_ok=True)
    with _sqlite_connect(source) as src, sqlite3.connect(output) as dst:
        src.backup(dst, pages=-1)
    src.close()
    dst.close()


def sqlite_restore(backup: Path, target: str) -> None:
    """Replace the SQLite database ``target`` with the contents of ``backup``."""
    with sqlite3.connect(backup) as src, _sqlite_connect(target) as dst:
        src.backup(dst, pages=-1)
    src.close()
    dst.close()


def pg_tool(name: str) -> str | None:
    """The path of a PostgreSQL client program (pg_dump, pg_restore): on PATH, else the newest under
    /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parent.parent.name or 0)
    )
    return candidates[-1] if candidates else None


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    """Connection arguments and environment (password) of the PostgreSQL client programs."""
    args = []
    if settings_dict.get("HOST"):
        args += ["-h", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def pg_backup(settings_dict: dict, output: Path) -> None:
    """``pg_dump`` the database of ``settings_dict`` to ``output`` in the custom format."""
    tool = pg_tool("pg_dump")
    if tool is None:
        raise RuntimeError("pg_dump was not found on PATH nor under /usr/lib/postgresql/*/bin.")
    args, env = _pg_args(settings_dict)
    _run([tool, *args, "--format=custom", "--no-owner", "--file", str(output), settings_dict["NAME"]], env)


def pg_restore(settings_dict: dict, backup: Path) -> None:
    """``pg_restore`` ``backup`` into the database of ``settings_dict``, replacing the objects it holds."""
    tool = pg_tool("pg_restore")
    if tool is None:
        raise RuntimeError("pg_restore was not found on PATH nor under /usr/lib/postgresql/*/bin.")
    args, env = _pg_args(settings_dict)
    _run(
        [
            tool,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            settings_dict["NAME"],
            str(backup),
        ],
        env,
    )


def database_in_use(alias: str = "default") -> bool:
    """Whether the database already holds users or clients."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in IN_USE_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return True
    return False


def backup_database(*, output: Path | None = None, alias: str = "default") -> Path:
    """Back the database up to ``output`` (a timestamped file in the current folder by default); safe while the
    app runs. Returns the file written."""
    connection = connections[alias]
    output = Path(output or default_backup_name(connection.vendor))
    if connection.vendor == "sqlite":
        sqlite_backup(connection.settings_dict["NAME"], output)
    elif connection.vendor == "postgresql":
        pg_backup(connection.settings_dict, output)
    else:
        raise RuntimeError(f"No backup for {connection.vendor}.")
    return output


def restore_database(*, backup: Path, force: bool = False, alias: str = "default") -> None:
    """Replace the database with ``backup``; refused when it holds users or clients, unless ``force``."""
    connection = connections[alias]
    if not Path(backup).is_file():
        raise FileNotFoundError(backup)
    if not force and database_in_use(alias):
        raise refuse(
            DataImportError.BACKUP_TARGET_NOT_EMPTY,
            _("The database already holds data; restoring would replace it. Use --force to do so."),
        )
    connection.close()
    if connection.vendor == "sqlite":
        sqlite_restore(Path(backup), connection.settings_dict["NAME"])
    elif connection.vendor == "postgresql":
        pg_restore(connection.settings_dict, Path(backup))
    else:
        raise RuntimeError(f"No restore for {connection.vendor}.")


def database_fingerprint(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of the rows in primary-key order)} for every table, read through a DB-API cursor."""
    if vendor == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables = [row[0] for row in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # noqa: S608 (table names from the catalogue)
        digest = hashlib.sha256()
        count = 0
        for row in cursor.fetchall():
            digest.update(repr(tuple(row)).encode())
            count += 1
        result[table] = (count, digest.hexdigest())
    return result
