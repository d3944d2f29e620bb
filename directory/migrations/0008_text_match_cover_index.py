"""On SQLite, an index that answers the text match's region, kind and status by id.

The FTS5 match gives ids, and reading each one's region, kind and status from the
wide row was most of its cost. Not on PostgreSQL, which reads the row anyway to
recheck the LIKE after the trigram index. The SQL is written here as it ran when
this migration was made.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS org_match_cover_idx ON directory_organization "
            "(id, is_published, region_id, kind, status)"
        )


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS org_match_cover_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_person_title_label"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
