"""On SQLite, an index that answers the text match's region, kind and status by id."""

from django.db import migrations


def forwards(apps, schema_editor):
    from directory import search_index

    search_index.install_list_indexes(schema_editor.connection)


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS org_match_cover_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_person_title_label"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
