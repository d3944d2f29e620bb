"""Indexes that make the substring search of ``directory/search.py`` fast at scale.

``search_text`` is matched as a substring (``LIKE '%word%'``), which no B-tree index
serves. On PostgreSQL a ``pg_trgm`` GIN index answers such a ``LIKE`` directly. On
SQLite an FTS5 table with the trigram tokenizer mirrors ``search_text`` of the
organizations (kept in step by triggers) and the search asks it for the matching
ids. Without either (an old SQLite, no right to create the extension) the search
still works, only by scanning the table.

The migrations create these indexes with SQL of their own (0004 the search index,
0005, 0006, 0008 and 0013 the list indexes), frozen as it ran: changing this module
changes no migration. What stays here is what runs after them. Django rebuilds a
SQLite table to alter it, which drops its triggers, so ``ensure()`` runs after every
``migrate`` and restores them (the same SQL as migration 0004), rebuilding the index
from the table when they were missing; ``fts_table()`` tells the search whether the
FTS5 table is there.

``LIST_INDEXES`` name the indexes that serve the list page without a text query: a
narrow index that answers the facet counts (region, kind, status) without reading the
wide rows, and expression indexes that give a page in name order without sorting
every organization. They match ``directory.selectors.translated_order`` exactly.
"""

import logging

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

TABLE = "directory_organization"
FTS_TABLE = "directory_organization_fts"
TRGM_INDEX = "org_search_text_trgm_idx"

_TRIGGERS = {
    f"{FTS_TABLE}_ai": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    f"{FTS_TABLE}_ad": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    f"{FTS_TABLE}_au": f"""
        CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}

# name -> (columns or expression, whether it is an expression)
LIST_INDEXES = {
    # With the id, PostgreSQL answers "the ids of published rows" from the index too.
    "org_facets_cover_idx": ("region_id, kind, status, is_published, id", False),
    # Of published rows only (the list shows nothing else): SQLite then reads a page,
    # however deep, from the index alone, without looking up each row to see whether
    # it is published (a deep page of the name order: 30 ms -> 0.3 ms).
    "org_pub_name_ru_idx": (
        "REPLACE(REPLACE(COALESCE(NULLIF(name_ru, ''), name_en, name), 'Ё', 'Е'), 'ё', 'е')",
        True,
    ),
    "org_pub_name_en_idx": (
        "REPLACE(REPLACE(COALESCE(NULLIF(name_en, ''), name_ru, name), 'Ё', 'Е'), 'ё', 'е')",
        True,
    ),
}
# Indexes above that hold published rows only.
PUBLISHED_ONLY = frozenset({"org_pub_name_ru_idx", "org_pub_name_en_idx"})

# SQLite only: the text match looks each matching id up for its region, kind and
# status; this narrow index answers that without reading the wide row. PostgreSQL
# reads the row anyway, to recheck the LIKE after the trigram index.
SQLITE_LIST_INDEXES = {
    "org_match_cover_idx": ("id, is_published, region_id, kind, status", False),
}

_available: dict[tuple[str, str], bool] = {}


def _list_indexes(connection) -> dict[str, tuple[str, bool]]:
    if connection.vendor == "sqlite":
        return {**LIST_INDEXES, **SQLITE_LIST_INDEXES}
    return LIST_INDEXES


def install_list_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for name, (columns, expression) in _list_indexes(connection).items():
            # PostgreSQL wants an expression in its own parentheses.
            body = f"({columns})" if expression and connection.vendor == "postgresql" else columns
            where = ' WHERE "is_published"' if name in PUBLISHED_ONLY else ""
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({body}){where}")


# Replaced by a wider one (dropped by migration 0006), and the name orders of every
# row, replaced by those of published rows (migration 0012).
OLD_LIST_INDEXES = ("org_facets_idx", "org_name_ru_order_idx", "org_name_en_order_idx")


def drop_old_list_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for name in OLD_LIST_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def uninstall_list_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for name in _list_indexes(connection):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _key(connection) -> tuple[str, str]:
    return connection.alias, str(connection.settings_dict.get("NAME"))


def install(connection) -> None:
    """Create the index for this database (a no-op where it cannot be made)."""
    _available.pop(_key(connection), None)
    if connection.vendor == "postgresql":
        _install_postgres(connection)
    elif connection.vendor == "sqlite":
        _install_sqlite(connection)


def uninstall(connection) -> None:
    _available.pop(_key(connection), None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")
        elif connection.vendor == "sqlite":
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def _install_postgres(connection) -> None:
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON {TABLE} "
                "USING gin (search_text gin_trgm_ops)"
            )
    except DatabaseError as error:
        logger.warning("No trigram index for the search (%s); searching by table scan.", error)


def _install_sqlite(connection) -> None:
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                f"search_text, content='{TABLE}', content_rowid='id', tokenize='trigram')"
            )
    except DatabaseError as error:
        logger.warning("No FTS5 trigram index for the search (%s); searching by scan.", error)
        return
    ensure(connection, force_rebuild=True)


def ensure(connection, force_rebuild: bool = False) -> None:
    """Restore missing SQLite triggers and rebuild the FTS index if any were missing."""
    if connection.vendor != "sqlite":
        return
    _available.pop(_key(connection), None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, type FROM sqlite_master WHERE name = %s OR name IN (%s, %s, %s)",
            [FTS_TABLE, *_TRIGGERS],
        )
        present = {name for name, _type in cursor.fetchall()}
        if FTS_TABLE not in present:
            return
        missing = [name for name in _TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(_TRIGGERS[name])
        if missing or force_rebuild:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def fts_table(connection) -> str | None:
    """The FTS5 table to ask for matching organization ids, or None (not SQLite, or absent)."""
    if connection.vendor != "sqlite":
        return None
    key = _key(connection)
    if key not in _available:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *_TRIGGERS],
            )
            _available[key] = cursor.fetchone()[0] == 1 + len(_TRIGGERS)
    return FTS_TABLE if _available[key] else None


def on_post_migrate(sender, using, **kwargs) -> None:
    from django.db import connections

    ensure(connections[using])
