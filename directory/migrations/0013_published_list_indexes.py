"""Indexes of published rows only for the list: facet counts, and the name orders.

The name orders are raw SQL outside the model state, like 0005 (they must match the
ORDER BY of directory.selectors.translated_order exactly); they replace 0005's.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from directory import search_index

    search_index.drop_old_list_indexes(schema_editor.connection)
    search_index.install_list_indexes(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0012_published_updated_index'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['kind', 'status', 'region'], name='org_pub_facets_idx'),
        ),
    ]
