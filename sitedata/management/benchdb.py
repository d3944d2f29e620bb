"""The throwaway database a benchmark command runs in, never the one in use."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


@contextmanager
def benchmark_database(name: str, *, keepdb: bool) -> Iterator[None]:
    """Switch to a database of its own for the block: ``var/<name>.sqlite3`` or ``<db>_<name>``.

    Created like a test database (migrated), and dropped afterwards unless ``keepdb``,
    which also reuses one kept earlier. Never ``test_<db>``, which pytest would drop.
    """
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        path = Path(settings.BASE_DIR) / "var" / f"{name}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        test_settings["NAME"] = str(path)
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_{name}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=keepdb, serialize=False
    )
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=keepdb)
