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

"""

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

# The indexes that serve the list page without a text query (created by migrations
# 0006 and 0013): a narrow index that answers the facet counts (region, kind, status)
# and the ids of published rows without reading the wide rows, and the name orders of
# published rows (the expressions of ``translated_order``), from which SQLite reads a
# page however deep without looking each row up (30 ms -> 0.3 ms).
LIST_INDEXES = ("org_facets_cover_idx", "org_pub_name_ru_idx", "org_pub_name_en_idx")

_available: dict[tuple[str, str], bool] = {}


def _key(connection) -> tuple[str, str]:
    return connection.alias, str(connection.settings_dict.get("NAME"))


def ensure(connection) -> None:
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
        if missing:
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
