"""Put back the SQLite list indexes that 0014's table rebuild dropped.

SQLite alters a table by copying it into a new one, which keeps only the indexes
Django's model state knows; the list indexes of 0006, 0008 and 0013 are raw SQL
outside it. PostgreSQL alters the table in place and keeps them: nothing to do there.
The SQL is the statements as SQLite holds them after 0013, frozen here.
"""

from django.db import migrations

INDEXES = (
    "CREATE INDEX IF NOT EXISTS org_facets_cover_idx ON directory_organization "
    "(region_id, kind, status, is_published, id)",
    "CREATE INDEX IF NOT EXISTS org_match_cover_idx ON directory_organization "
    "(id, is_published, region_id, kind, status)",
    "CREATE INDEX IF NOT EXISTS org_pub_name_en_idx ON directory_organization "
    "(REPLACE(REPLACE(COALESCE(NULLIF(name_en, ''), name_ru, name), 'Ё', 'Е'), 'ё', 'е')) "
    'WHERE "is_published"',
    "CREATE INDEX IF NOT EXISTS org_pub_name_ru_idx ON directory_organization "
    "(REPLACE(REPLACE(COALESCE(NULLIF(name_ru, ''), name_en, name), 'Ё', 'Е'), 'ё', 'е')) "
    'WHERE "is_published"',
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in INDEXES:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0015_records_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
