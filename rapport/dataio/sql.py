"""Set-based helpers of bulk imports: fast inserts (COPY on PostgreSQL), suspended indexes, history rows.

Everything runs in the caller's transaction, so a failure or a kill part-way leaves nothing behind: SQLite and
PostgreSQL both roll back DDL (the dropped and re-created indexes) with the data.
"""

import contextlib
from collections.abc import Iterator, Sequence

from django.db import connection, models


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert ``rows`` into ``table``: COPY on PostgreSQL, one ``executemany`` elsewhere."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = "COPY {} ({}) FROM STDIN".format(quote(table), ", ".join(quote(c) for c in columns))
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from model metadata)
                    quote(table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns))
                ),
                rows,
            )


def update(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """``UPDATE table SET columns… WHERE id = …`` for each row (the values of ``columns``, then the id)."""
    if not rows:
        return
    sql = "UPDATE {} SET {} WHERE id = %s".format(  # noqa: S608 (names from model metadata)
        quote(table), ", ".join(f"{quote(c)} = %s" for c in columns)
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes of ``table`` that can be dropped and re-created: every index but
    the primary key and those that back a table constraint (a column declared unique)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, quote(table)],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


@contextlib.contextmanager
def indexes_suspended(tables: Sequence[str], *, suspend: bool) -> Iterator[None]:
    """Drop the secondary indexes of ``tables`` for a large load and build them again at the end (sorting once is
    far cheaper than a million index insertions); does nothing when ``suspend`` is false. A unique index that
    the loaded rows would break fails on re-creation, and the transaction rolls back."""
    if not suspend:
        yield
        return
    saved = [index for table in tables for index in secondary_indexes(table)]
    with connection.cursor() as cursor:
        _check_deferred(cursor)
        for name, _create in saved:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        _check_deferred(cursor)
        for _name, create in saved:
            cursor.execute(create)


def _check_deferred(cursor) -> None:
    """PostgreSQL does not change the indexes of a table with foreign-key checks still pending (Django defers
    them to the commit): run the pending checks now, and go on deferring the later ones."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def lock_for_import(model: type[models.Model]) -> None:
    """Keep other writers off ``model``'s table until the import commits (readers go on): on PostgreSQL a table
    lock; SQLite's write transaction already holds the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {quote(model._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")


def history_columns(model: type[models.Model]) -> list[str]:
    """The columns a model's history table copies from the model's table."""
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields}
    return [f.column for f in history._meta.concrete_fields if f.column in own and not f.column.startswith("history_")]


def write_history(
    model: type[models.Model], *, where: str, params: Sequence, history_type: str, actor_id, reason: str, now
) -> None:
    """Copy the rows of ``model`` matching ``where`` into its django-simple-history table as records of type
    ``history_type`` ("+" created, "~" changed) by ``actor_id`` with ``reason``: one INSERT … SELECT."""
    columns = ", ".join(quote(c) for c in history_columns(model))
    history = quote(model.history.model._meta.db_table)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history} ({columns}, history_date, history_change_reason, history_type, history_user_id) "  # noqa: S608
            f"SELECT {columns}, %s, %s, %s, %s FROM {table} WHERE {where}",
            [now, reason, history_type, actor_id, *params],
        )
