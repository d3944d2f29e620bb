"""Substring-search indexes on search_text: pg_trgm GIN (PostgreSQL), FTS5 trigram (SQLite).

Not part of the model state: they depend on the database. The SQL is written here as
it ran when this migration was made, so the migration keeps its meaning whatever
directory/search_index.py (which restores SQLite's triggers after every migrate)
becomes. Where an index cannot be made (an old SQLite, no right to create the
extension) the search still works, by scanning the table.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

TABLE = "directory_organization"
FTS_TABLE = "directory_organization_fts"
TRGM_INDEX = "org_search_text_trgm_idx"

# The indentation is part of the SQL that SQLite stores in sqlite_master.
TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{FTS_TABLE}_ad": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    f"{FTS_TABLE}_au": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    # A savepoint each, so a database that cannot make the index still migrates.
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON {TABLE} "
                    "USING gin (search_text gin_trgm_ops)"
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                    f"search_text, content='{TABLE}', content_rowid='id', tokenize='trigram')"
                )
                for sql in TRIGGERS.values():
                    cursor.execute(sql)
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    except DatabaseError as error:
        logger.warning("No substring index for the search (%s); searching by table scan.", error)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        elif connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
