"""The facet index with the id, so PostgreSQL reads published ids from the index alone.

Replaces 0005's org_facets_idx; the SQL is written here as it ran when this migration
was made.
"""

from django.db import migrations

TABLE = "directory_organization"


def forwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS org_facets_idx")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS org_facets_cover_idx ON {TABLE} "
            "(region_id, kind, status, is_published, id)"
        )


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS org_facets_cover_idx")
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS org_facets_idx ON {TABLE} "
            "(region_id, kind, status, is_published)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_list_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
