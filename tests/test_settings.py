"""Settings read from the environment, checked in fresh interpreters."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

SHOW_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
database = settings.DATABASES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": database["ENGINE"],
    "name": str(database["NAME"]),
    "host": database.get("HOST", ""),
    "port": str(database.get("PORT", "")),
    "user": database.get("USER", ""),
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "contact_email": settings.RIGHTSNET_CONTACT_EMAIL,
}))
"""


def run_settings(**env: str) -> subprocess.CompletedProcess:
    return run_python(SHOW_SETTINGS, **env)


def run_python(script: str, **env: str) -> subprocess.CompletedProcess:
    """``script`` in a fresh interpreter with the project's settings and only ``env`` set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RIGHTSNET_")) and key != "DATABASE_URL"
    }
    clean["DJANGO_SETTINGS_MODULE"] = "rightsnet.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_from(**env: str) -> dict:
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = run_settings(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="rightsnet.example")

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: "
        "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr
    )


def test_debug_off_without_allowed_hosts_refuses_to_start():
    result = run_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off." in result.stderr


def test_nothing_set_gives_debug_and_sqlite_in_the_project():
    values = settings_from()

    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(django_settings.BASE_DIR / "db.sqlite3")
    assert "127.0.0.1" in values["allowed_hosts"]


def test_a_sqlite_site_never_loads_the_postgresql_driver(tmp_path):
    """psycopg and django.contrib.postgres cost a SQLite process ~10 MB for nothing."""
    result = run_python(
        "import sys, django; django.setup()\n"
        "import rightsnet.urls, directory.exports, directory.listings\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'psycopg'))",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_postgres_database_url_gives_the_postgresql_backend():
    values = settings_from(DATABASE_URL="postgres://staff@db.example:6543/rightsnet_prod")

    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"], values["port"], values["user"]) == (
        "rightsnet_prod",
        "db.example",
        "6543",
        "staff",
    )


def test_production_settings_serve_compressed_hashed_static_files():
    values = settings_from(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="rightsnet.example, www.rightsnet.example",
    )

    assert values["debug"] is False
    assert values["allowed_hosts"] == ["rightsnet.example", "www.rightsnet.example"]
    assert values["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize("value", ["a year", "-1"])
def test_a_malformed_hsts_value_is_refused_with_the_variable_named(value):
    result = run_settings(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="rightsnet.example",
        DJANGO_SECURE_HSTS_SECONDS=value,
    )

    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number of seconds." in result.stderr


def test_the_contact_address_is_empty_unless_set():
    assert settings_from()["contact_email"] == ""
    assert settings_from(RIGHTSNET_CONTACT_EMAIL=" editors@example.org ")["contact_email"] == (
        "editors@example.org"
    )


@pytest.mark.parametrize("value", ["editors", "editors@", "<editors@example.org>"])
def test_a_contact_address_that_is_not_an_email_is_refused(value):
    result = run_settings(RIGHTSNET_CONTACT_EMAIL=value)

    assert result.returncode != 0
    assert f"RIGHTSNET_CONTACT_EMAIL must be an email address, not {value!r}." in result.stderr


def test_a_server_process_keeps_the_cycle_collector_off_djangos_objects():
    """rightsnet/wsgi.py (what gunicorn loads) tunes the collector once Django is loaded."""
    script = (
        "import gc, json\n"
        "before = gc.get_threshold()\n"
        "import rightsnet.wsgi\n"
        "print(json.dumps([before, gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "rightsnet.settings"},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    before, after, frozen, enabled = json.loads(out.stdout)
    assert before != after == [50_000, 20, 20]
    assert frozen > 10_000  # Django and the apps, out of the collector's reach
    assert enabled  # the collector still runs
