"""The facet index with the id, so PostgreSQL reads published ids from the index alone."""

from django.db import migrations


def forwards(apps, schema_editor):
    from directory import search_index

    search_index.drop_old_list_indexes(schema_editor.connection)
    search_index.install_list_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_list_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
