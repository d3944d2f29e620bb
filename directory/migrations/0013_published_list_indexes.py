"""Indexes of published rows only for the list: facet counts, and the name orders.

The name orders are raw SQL outside the model state, like 0005's, which they replace:
of published rows only (the list shows nothing else), SQLite reads a page, however
deep, from the index alone. Their expressions must match the ORDER BY of the name
sort exactly. The SQL is written here as it ran when this migration was made.
"""

from django.db import migrations, models

TABLE = "directory_organization"
NAME_ORDER = {
    "ru": "REPLACE(REPLACE(COALESCE(NULLIF(name_ru, ''), name_en, name), 'Ё', 'Е'), 'ё', 'е')",
    "en": "REPLACE(REPLACE(COALESCE(NULLIF(name_en, ''), name_ru, name), 'Ё', 'Е'), 'ё', 'е')",
}


def _name_orders(schema_editor, *, drop: str, create: str, where: str) -> None:
    # PostgreSQL wants an expression in its own parentheses.
    wrap = "({})" if schema_editor.connection.vendor == "postgresql" else "{}"
    with schema_editor.connection.cursor() as cursor:
        for language in NAME_ORDER:
            cursor.execute(f"DROP INDEX IF EXISTS {drop.format(language)}")
        for language, expression in NAME_ORDER.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {create.format(language)} ON {TABLE} "
                f"({wrap.format(expression)}){where}"
            )


def forwards(apps, schema_editor):
    _name_orders(
        schema_editor,
        drop="org_name_{}_order_idx",
        create="org_pub_name_{}_idx",
        where=' WHERE "is_published"',
    )


def backwards(apps, schema_editor):
    _name_orders(
        schema_editor, drop="org_pub_name_{}_idx", create="org_name_{}_order_idx", where=""
    )


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0012_published_updated_index'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(condition=models.Q(('is_published', True)), fields=['kind', 'status', 'region'], name='org_pub_facets_idx'),
        ),
    ]
