"""Indexes for the organizations list without a text query, as raw SQL outside the model state.

A narrow index answers the facet counts (region, kind, status) without reading the
wide rows; an expression index per language gives the first page in name order
without sorting every organization (the name in that language, else the other, Ё
sorted with Е: it must match the ORDER BY of the name sort exactly). 0006 and 0013
replace them; the SQL is written here as it ran when this migration was made.
"""

from django.db import migrations

TABLE = "directory_organization"
NAME_ORDER = {
    "ru": "REPLACE(REPLACE(COALESCE(NULLIF(name_ru, ''), name_en, name), 'Ё', 'Е'), 'ё', 'е')",
    "en": "REPLACE(REPLACE(COALESCE(NULLIF(name_en, ''), name_ru, name), 'Ё', 'Е'), 'ё', 'е')",
}


def forwards(apps, schema_editor):
    # PostgreSQL wants an expression in its own parentheses.
    wrap = "({})" if schema_editor.connection.vendor == "postgresql" else "{}"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS org_facets_idx ON {TABLE} "
            "(region_id, kind, status, is_published)"
        )
        for language, expression in NAME_ORDER.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS org_name_{language}_order_idx ON {TABLE} "
                f"({wrap.format(expression)})"
            )


def backwards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for name in ("org_facets_idx", "org_name_ru_order_idx", "org_name_en_order_idx"):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_search_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
