"""Indexes of the client list: a group's clients by name, and on PostgreSQL a trigram index for the name search.

The search (``?q=``, ``name__icontains``) is ``UPPER(name) LIKE UPPER('%…%')`` on PostgreSQL: without the trigram
index it reads every client (over a second at a million). The index is PostgreSQL's own (``pg_trgm``), so it is
created by SQL that does nothing on other databases and is not part of the model's state.
"""

from django.db import migrations, models

TRIGRAM_INDEX = "client_name_trgm_idx"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON clients_client USING gin (UPPER(name::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_client_soft_delete"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["group", "name", "id"], name="client_group_name_idx"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
