"""Substring-search indexes on search_text: pg_trgm GIN (PostgreSQL), FTS5 trigram (SQLite).

Not part of the model state: they depend on the database and are created here
and, for SQLite's triggers, restored after every migrate (see directory/search_index.py).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from directory import search_index

    search_index.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from directory import search_index

    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
