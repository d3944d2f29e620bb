"""Indexes for the organizations list without a text query (see directory/search_index.py).

Raw SQL outside the model state, like 0004: one of them indexes an expression
that must match the ORDER BY of directory.selectors.translated_order exactly.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from directory import search_index

    search_index.install_list_indexes(schema_editor.connection)


def backwards(apps, schema_editor):
    from directory import search_index

    search_index.uninstall_list_indexes(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
